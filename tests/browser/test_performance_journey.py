"""An officer sets a contract's KPIs from a template, records a quarter's
return and its review, and asks for an extension; an approving manager sees
the rating and the budget headroom on the decision page and approves. In
Chromium, with axe-core on every page, with JavaScript on and off."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.constants import ExtensionStatus
from core.roles import Role
from finance.models import BudgetLine
from performance.models import KpiTemplate, Review
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATES = [
    ("Tenancies sustained", "People still in their tenancy after 12 months", Decimal(95)),
    ("Outcomes met", "Support plan outcomes met in the quarter", Decimal(80)),
    ("Reviews on time", "Support plans reviewed by their due date", Decimal(90)),
]
ACTUALS = {"Tenancies sustained": "97", "Outcomes met": "82", "Reviews on time": "91"}


def fill_date(page, legend, day: date):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def click_and_check(page, axe, locator, url_glob=None):
    locator.click()
    if url_glob:
        page.wait_for_url(url_glob)
    page.wait_for_load_state()
    check(page, axe)


def check(page, axe):
    # axe-core is JavaScript: it checks every page in the js-on run; the
    # js-off run proves the same journey works without any script.
    if page.context_javascript:
        axe.check(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_extension_decided_on_performance_and_budget(
    javascript, live_server, page_factory, axe, user_with_role, time_machine
):
    # The live server runs in this process, so it sees the same day.
    time_machine.move_to("2026-11-16 09:00 +00:00", tick=True)
    officer_user = user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    user_with_role(Role.APPROVING_MANAGER, username="amira.hassan")
    # Ends 31 March 2027; option 1 adds 2027/28 at £100,000; decide by 31 December 2026.
    contract = ContractFactory(
        reference="SL-001",
        title="Riverside supported living",
        service_area="supported_living",
        start_date=date(2024, 4, 1),
        term="3+1+1",
        annual_value=Decimal("100000.00"),
        owner=officer_user,
    )
    for n, (name, measure, target) in enumerate(TEMPLATES):
        KpiTemplate.objects.create(
            service_area="supported_living",
            name=name,
            measure=measure,
            unit="%",
            target=target,
            tolerance=Decimal(5),
            order=n,
        )
    BudgetLine.objects.create(
        financial_year=2027, service_area="supported_living", amount=Decimal("450000.00")
    )
    # Already committed in 2027/28 by another supported living contract.
    ContractFactory(start_date=date(2026, 4, 1), term="3", annual_value=Decimal("300000.00"))

    officer = page_factory(javascript=javascript)
    officer.context_javascript = javascript
    sign_in(officer, live_server, "lisa.lopez")
    officer.wait_for_url(f"{live_server.url}/")
    officer.goto(f"{live_server.url}{contract.get_absolute_url()}")
    check(officer, axe)

    # Three KPIs from the service area's templates.
    click_and_check(
        officer,
        axe,
        officer.get_by_role("link", name="View the KPIs, monitoring returns and reviews"),
    )
    click_and_check(officer, axe, officer.get_by_role("button", name="Set KPIs from a template"))
    for name, _, _ in TEMPLATES:
        officer.get_by_label(name).check()
    click_and_check(officer, axe, officer.get_by_role("button", name="Add the selected KPIs"))
    table = officer.locator("table").first.inner_text()
    assert all(name in table for name in ACTUALS)

    # The July to September 2026 quarter's return.
    click_and_check(officer, axe, officer.get_by_role("button", name="Record a return").first)
    fill_date(officer, "Period start", date(2026, 7, 1))
    fill_date(officer, "Period end", date(2026, 9, 30))
    for name, actual in ACTUALS.items():
        officer.get_by_role("group", name=name).get_by_label("Actual (%)").fill(actual)
    click_and_check(officer, axe, officer.get_by_role("button", name="Record the return"))
    assert "recorded" in officer.locator(".govuk-notification-banner").inner_text()

    # Its review: every KPI met, so Good.
    click_and_check(officer, axe, officer.get_by_role("button", name="Review the return"))
    officer.get_by_label("Good", exact=True).check()
    fill_date(officer, "Review date", date(2026, 11, 10))
    click_and_check(officer, axe, officer.get_by_role("button", name="Save the review"))
    assert "Review saved: Good" in officer.locator(".govuk-notification-banner").inner_text()

    # The extension request shows what the manager will see.
    officer.goto(f"{live_server.url}{contract.get_absolute_url()}")
    click_and_check(officer, axe, officer.get_by_role("button", name="Request an extension"))
    evidence = officer.locator("main").inner_text()
    assert "Good" in evidence and "£50,000.00" in evidence
    officer.get_by_label("Option 1: extends to 31 March 2028").check()
    officer.get_by_label("Why should the contract be extended?").fill(
        "Every KPI met last quarter; the budget has room."
    )
    click_and_check(
        officer,
        axe,
        officer.get_by_role("button", name="Send for a decision"),
        f"**/contracts/{contract.pk}/",
    )
    assert "sent for a decision" in officer.locator(".govuk-notification-banner").inner_text()

    # The approving manager decides on the rating and the headroom.
    manager = page_factory(javascript=javascript)
    manager.context_javascript = javascript
    sign_in(manager, live_server, "amira.hassan")
    manager.wait_for_url(f"{live_server.url}/")
    manager.goto(f"{live_server.url}{contract.get_absolute_url()}")
    click_and_check(manager, axe, manager.get_by_role("link", name="Decide"))
    rating = manager.locator(".govuk-summary-list__row", has_text="Latest overall rating")
    assert rating.locator(".govuk-tag").inner_text() == "Good"
    kpis = manager.locator("table", has_text="KPI ratings at the latest review").inner_text()
    assert kpis.count("Green") == 3
    row = manager.locator("#extension-headroom tbody tr").first
    cells = [c.inner_text() for c in row.locator("th, td").all()]
    # £450,000 budget, £300,000 committed by the other contract, £100,000 for the option.
    assert cells == ["2027/28", "£450,000.00", "£300,000.00", "£100,000.00", "£50,000.00"]
    assert manager.locator("textarea[name=approved_despite]").count() == 0
    manager.get_by_label("Approve the extension").check()
    manager.get_by_label("Reason", exact=True).fill("Good performance and the budget has room.")
    click_and_check(
        manager,
        axe,
        manager.get_by_role("button", name="Record decision"),
        f"**/contracts/{contract.pk}/",
    )
    assert "approved" in manager.locator(".govuk-notification-banner").inner_text()

    contract.refresh_from_db()
    request = contract.extensions.get()
    assert (request.status, request.approved_despite) == (ExtensionStatus.APPROVED, "")
    assert contract.options_taken == 1
    assert Review.objects.get(contract=contract).overall_rating == "good"
    if javascript:
        assert len(axe.checked) == 12
        assert officer.console_errors == [] and manager.console_errors == []
