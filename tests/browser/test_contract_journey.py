"""An officer asks for an extension and a manager decides it, in Chromium,
with axe-core on every page."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.constants import ExtensionStatus
from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_extension_requested_and_approved(live_server, page_factory, axe, user_with_role):
    contract = ContractFactory(
        reference="SL-001",
        title="Supported living call-off",
        start_date=date(2025, 9, 1),
        term="3+1+1",
        annual_value=Decimal("120000.00"),
    )
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    user_with_role(Role.APPROVING_MANAGER, username="amira.hassan")

    officer = page_factory()
    sign_in(officer, live_server, "lisa.lopez")
    officer.wait_for_url(f"{live_server.url}/")
    axe.check(officer)
    officer.get_by_role("link", name="Contracts", exact=True).first.click()
    officer.wait_for_url("**/contracts/")
    axe.check(officer)
    officer.get_by_label("Service area").select_option("supported_living")
    officer.get_by_role("button", name="Apply filters").click()
    officer.get_by_role("link", name="SL-001").click()
    officer.wait_for_url(f"**/contracts/{contract.pk}/")
    assert "Initial period" in officer.locator(".app-timeline").inner_text()
    axe.check(officer)

    officer.get_by_role("button", name="Request an extension").click()
    axe.check(officer)
    officer.get_by_role("button", name="Send for a decision").click()
    assert "Choose which options" in officer.locator(".govuk-error-summary").inner_text()
    axe.check(officer)
    officer.get_by_label("Option 1: extends to 31 August 2029").check()
    officer.get_by_label("Why should the contract be extended?").fill("All KPIs met.")
    officer.get_by_role("button", name="Send for a decision").click()
    officer.wait_for_url(f"**/contracts/{contract.pk}/")
    assert "sent for a decision" in officer.locator(".govuk-notification-banner").inner_text()
    axe.check(officer)

    manager = page_factory()
    sign_in(manager, live_server, "amira.hassan")
    manager.wait_for_url(f"{live_server.url}/")
    manager.goto(f"{live_server.url}{contract.get_absolute_url()}")
    manager.get_by_role("link", name="Decide").click()
    axe.check(manager)
    manager.get_by_label("Approve the extension").check()
    manager.get_by_label("Reason", exact=True).fill("Good value and performance.")
    # No review is recorded yet, so approving needs the manager's explanation
    # (tests/browser/test_performance_journey.py approves on a review).
    manager.get_by_label("If you approve: why, although the evidence is against it?").fill(
        "First-year review booked; the provider's reports are good."
    )
    manager.get_by_role("button", name="Record decision").click()
    manager.wait_for_url(f"**/contracts/{contract.pk}/")
    assert "approved" in manager.locator(".govuk-notification-banner").inner_text()
    assert "Taken" in manager.locator(".app-timeline").inner_text()
    axe.check(manager)
    manager.get_by_role("link", name="View the history of changes").click()
    axe.check(manager)

    assert contract.extensions.get().status == ExtensionStatus.APPROVED
    assert officer.console_errors == [] and manager.console_errors == []


def test_contract_form_and_termination_pages_pass_axe(
    live_server, page_factory, axe, user_with_role
):
    contract = ContractFactory()
    old = ContractFactory(start_date=date(2019, 4, 1), term="3+1+1")
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    page = page_factory()
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    for path in [
        "/contracts/add/",
        f"/contracts/{contract.pk}/edit/",
        f"/contracts/{contract.pk}/terminate/",
        f"/contracts/{old.pk}/",
        f"/contracts/{old.pk}/earlier-options/",
    ]:
        page.goto(f"{live_server.url}{path}")
        axe.check(page)
    page.goto(f"{live_server.url}/contracts/add/")
    page.get_by_role("button", name="Save contract").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    axe.check(page)
