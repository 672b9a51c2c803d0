"""A manager follows a reminder from Your work (the home page) to the contract, in
Chromium, with axe-core on every page, with and without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contracts import terms
from contracts.models import ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_manager_follows_a_reminder_to_the_contract(
    live_server, page_factory, axe, user_with_role, javascript
):
    manager = user_with_role(Role.APPROVING_MANAGER, username="amira.hassan")
    area = ServiceAreaSettings.objects.create(service_area="supported_living")
    area.managers.add(manager)
    today = timezone.localdate()
    # Ends about a month from now with no options: its 3-month and 30-day
    # expiry reminders have both gone in the last 40 days.
    contract = ContractFactory(
        reference="SL-END", title="Supported living call-off",
        start_date=terms.months_before(today, 35), term="3",
    )  # fmt: skip
    for days_ago in range(40, -1, -1):
        day = today - timedelta(days=days_ago)
        for reminder in reminders.reminders_sweep(today=day).written:
            reminders.reminder_send(reminder.pk, today=day)

    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "amira.hassan")
    page.wait_for_url(f"{live_server.url}/")
    check(page)
    # Your work (the home page) counts it, from the same read as Decisions due.
    kinds = page.locator(".govuk-summary-list")
    assert kinds.inner_text().split() == ["Contracts", "ending", "1"]
    page.get_by_role("link", name="Decisions due", exact=True).click()
    page.wait_for_url("**/contracts/decisions-due/")
    check(page)
    ending = page.locator("table", has_text="Ends")
    assert "SL-END" in ending.inner_text()
    page.get_by_role("link", name="Everyone's").click()
    check(page)
    page.get_by_role("link", name="SL-END").click()
    page.wait_for_url(f"**{contract.get_absolute_url()}")
    table = page.locator("table", has_text="Sent to")
    assert "30 days before" in table.inner_text()
    assert manager.get_full_name() in table.inner_text()
    check(page)
    assert len(axe.checked) == (4 if javascript else 0)
