"""The contract change pages: raising a change with a check of the answers,
deciding it, the contract page's section, and the locked edit page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from contracts.models_changes import ChangeStatus, ContractChange
from contracts.services import changes as change_services
from core.roles import Role
from tests.factories import ContractFactory, ProviderFactory, contract_with_changes
from tests.html_forms import form_data
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-09-15 09:00 +00:00")


@pytest.fixture
def contract():
    return ContractFactory(
        reference="ILSS-2025",
        start_date=date(2025, 4, 1),
        term="5",
        annual_value=Decimal("491804.00"),
    )


ANSWERS = {
    "reason": "price_review",
    "explanation": "Annual price review: 12%",
    "effective_from_0": "1",
    "effective_from_1": "10",
    "effective_from_2": "2026",
    "new_annual_value": "550820.48",
}


def test_officer_raises_a_change_checks_it_and_a_manager_approves_it(
    client_as, contract, user_with_role
):
    officer = client_as(Role.COMMISSIONING_OFFICER)
    url = reverse("contracts:change_raise", args=[contract.pk])
    check = officer.post(url, ANSWERS)
    assert check.status_code == 200
    text = page_text(check)
    assert "Check the change" in text
    assert "+£206,476.84" in text
    assert not ContractChange.objects.exists()

    # "Change your answers" brings the form back filled in.
    again = officer.post(
        url, {**form_data(check.content.decode(), having="explanation"), "edit": "yes"}
    )
    assert "550820.48" in again.content.decode()

    sent = officer.post(
        url, {**form_data(check.content.decode(), having="explanation"), "confirmed": "yes"}
    )
    change = ContractChange.objects.get()
    assert sent.status_code == 302 and sent["Location"] == change.get_absolute_url()

    manager = client_as(Role.APPROVING_MANAGER)
    decide = reverse("contracts:change_decide", args=[contract.pk, change.pk])
    assert "Approve the change" in page_text(manager.get(decide))
    done = manager.post(decide, {"decision": "approve", "reason": "Budget agreed"})
    assert done.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED

    page = page_text(manager.get(contract.get_absolute_url()))
    assert "Contract changes" in page
    assert "+£59,016.48 (+12.00%)" in page
    assert "more than 10% of the value at award" in page
    history = page_text(manager.get(reverse("contracts:history", args=[contract.pk])))
    assert "Contract change: annual value" in history


def test_the_form_says_what_is_missing(client_as, contract):
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:change_raise", args=[contract.pk]), {}
    )
    text = page_text(response)
    assert "Select why the contract is changing" in text
    assert "Explain what is changing and why" in text


def test_a_manager_over_their_limit_is_offered_only_escalation(client_as, contract, user_with_role):
    officer = user_with_role(Role.COMMISSIONING_OFFICER)
    change = change_services.change_raise(
        contract=contract,
        by=officer,
        reason="need_or_volume",
        explanation="More hours",
        effective_from=date(2026, 10, 1),
        new_annual_value=Decimal("691804"),
    )
    page = client_as(Role.APPROVING_MANAGER).get(
        reverse("contracts:change_decide", args=[contract.pk, change.pk])
    )
    text = page_text(page)
    assert "more than your delegated authority" in text
    assert "Approve the change" not in text


def test_no_change_section_without_changes_and_no_link_for_viewers(client_as, contract):
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "No changes yet" in text
    assert "Raise a contract change" not in text
    officer = page_text(client_as(Role.COMMISSIONING_OFFICER).get(contract.get_absolute_url()))
    assert "Raise a contract change" in officer


def test_the_change_page_shows_the_actions_each_role_may_take(client_as, contract, user_with_role):
    change = change_services.change_raise(
        contract=contract,
        by=user_with_role(Role.COMMISSIONING_OFFICER),
        reason="scope",
        explanation="Night support added",
        effective_from=date(2026, 10, 1),
        new_annual_value=Decimal("500000"),
    )
    expected = {
        Role.COMMISSIONING_OFFICER: ("Withdraw the change",),
        Role.APPROVING_MANAGER: ("Decide on the change",),
        Role.ADMINISTRATOR: ("Decide on the change", "Withdraw the change"),
        Role.AUDITOR: (),
        Role.FINANCE_OFFICER: (),
        Role.PROCUREMENT_OFFICER: (),
    }
    for role, actions in expected.items():
        text = page_text(client_as(role).get(change.get_absolute_url()))
        assert "Night support added" in text
        for action in ("Decide on the change", "Withdraw the change"):
            assert (action in text) == (action in actions), (role, action)


def test_a_live_contracts_edit_page_shows_the_figures_read_only(client_as, contract):
    officer = client_as(Role.COMMISSIONING_OFFICER)
    url = reverse("contracts:edit", args=[contract.pk])
    page = officer.get(url)
    html = page.content.decode()
    assert "Change this through a contract change" in page_text(page)
    assert reverse("contracts:change_raise", args=[contract.pk]) in html
    data = form_data(html, having="title")
    # A browser sends no disabled field: the descriptive fields still save.
    saved = officer.post(url, {**data, "title": "Independent living support"})
    assert saved.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Independent living support"

    # A crafted or stale form that changes a figure is refused, and saves nothing.
    forged = {**form_data(officer.get(url).content.decode(), having="title")}
    forged.update(annual_value="1.00", title="Changed title")
    refused = officer.post(url, forged)
    assert refused.status_code == 200
    assert "can only change through a contract change" in page_text(refused)
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("491804.00")
    assert contract.title == "Independent living support"


def test_a_drafts_edit_page_edits_the_figures(client_as):
    draft = ContractFactory(is_draft=True, annual_value=Decimal("1000"), provider=ProviderFactory())
    officer = client_as(Role.COMMISSIONING_OFFICER)
    url = reverse("contracts:edit", args=[draft.pk])
    page = officer.get(url)
    assert "Change this through a contract change" not in page_text(page)
    data = form_data(page.content.decode(), having="title")
    assert officer.post(url, {**data, "annual_value": "2000.00"}).status_code == 302
    assert Contract.objects.get(pk=draft.pk).annual_value == Decimal("2000.00")


def test_contract_page_query_count_is_flat_in_the_number_of_changes(client_as):
    client = client_as(Role.AUDITOR)

    def count(contract):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(contract.get_absolute_url())
        assert response.status_code == 200
        return len(captured)

    one = contract_with_changes(1)
    ten = contract_with_changes(10)
    assert "+£10,000.00 (+10.00%)" in page_text(client.get(ten.get_absolute_url()))
    assert count(one) == count(ten)


def test_the_changes_page_lists_every_change_and_the_contract_page_links_to_it(client_as):
    contract = contract_with_changes(3)
    client = client_as(Role.AUDITOR)
    overview = page_text(client.get(contract.get_absolute_url()))
    assert "View all 3 changes, with why each was made." in overview
    # The contract page keeps the cumulative change; the list is a page of its own.
    assert "+£3,000.00" in overview
    assert "Price review or uplift" not in overview

    url = reverse("contracts:change_list", args=[contract.pk])
    assert url in client.get(contract.get_absolute_url()).text
    text = page_text(client.get(url))
    assert text.count("Approved") >= 3
    assert "+£3,000.00" in text
    for change in contract.changes.all():
        assert change.get_absolute_url() in client.get(url).text


def test_changes_page_query_count_is_flat_in_the_number_of_changes(client_as):
    client = client_as(Role.COMMISSIONING_OFFICER)

    def count(contract):
        url = reverse("contracts:change_list", args=[contract.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response.text

    one, _ = count(contract_with_changes(1))
    ten, html = count(contract_with_changes(10))
    assert html.count("/changes/") >= 10
    assert one == ten


def test_pending_changes_are_on_the_decisions_due_page_for_approving_managers(
    client_as, contract, user_with_role
):
    officer = user_with_role(Role.COMMISSIONING_OFFICER)
    change_services.change_raise(
        contract=contract,
        by=officer,
        reason="need_or_volume",
        explanation="More hours",
        effective_from=date(2026, 10, 1),
        new_annual_value=Decimal("500000"),
    )
    url = reverse("contracts:decisions_due")
    manager = page_text(client_as(Role.APPROVING_MANAGER).get(url))
    assert "Contract changes waiting for a decision" in manager
    assert "ILSS-2025" in manager
    auditor = page_text(client_as(Role.AUDITOR).get(url))
    assert "ILSS-2025" not in auditor
    assert "ILSS-2025" in page_text(client_as(Role.AUDITOR).get(url + "?show=all"))


def test_decisions_due_query_count_is_flat_in_the_number_of_changes(client_as, user_with_role):
    client = client_as(Role.APPROVING_MANAGER)
    officer = user_with_role(Role.COMMISSIONING_OFFICER)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("contracts:decisions_due"))
        return len(captured)

    def pending(n):
        for _ in range(n):
            contract = ContractFactory(start_date=date(2025, 4, 1))
            change_services.change_raise(
                contract=contract,
                by=officer,
                reason="scope",
                explanation="More",
                effective_from=date(2026, 4, 1),
                new_annual_value=Decimal("123456"),
            )

    pending(1)
    one = count()
    pending(10)
    assert count() == one


def test_months_beyond_the_options_show_on_the_timeline(client_as, contract, user_with_role):
    manager = user_with_role(Role.APPROVING_MANAGER)
    change = change_services.change_raise(
        contract=contract,
        by=user_with_role(Role.COMMISSIONING_OFFICER),
        reason="extension",
        explanation="Recommissioning is late",
        effective_from=date(2029, 4, 1),
        months_added=6,
    )
    change_services.change_approve(change=change, by=manager, reason="Agreed")
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "Extended by contract change 1 Apr 2030 to 30 Sep 2030" in text
    assert "current end 30 September 2030" in text
