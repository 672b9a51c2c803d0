"""A contract offers "Request an extension" only while one can be raised:
not once its option has lapsed, its term has ended, it is terminated, or
every option is taken or closed; the request page refuses such a contract
with the reason (contracts/extension_rules.extension_refusal)."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contracts import services
from contracts.extension_rules import extension_refusal
from contracts.models import ExtensionRequest
from core.roles import Role
from tests.factories import ContractFactory
from tests.pages import page_text

BUTTON = "Request an extension"


def _page(client, contract):
    return page_text(client.get(contract.get_absolute_url()))


def _refused(client, contract):
    """The request page sends the officer back to the contract, saying why,
    and a POST from a page opened earlier raises nothing."""
    url = reverse("contracts:extension_request", args=[contract.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == contract.get_absolute_url()
    post = client.post(url, {"options_requested": "1", "justification": "Good"}, follow=True)
    assert not ExtensionRequest.objects.filter(contract=contract).exists()
    return page_text(response), page_text(post)


@pytest.fixture
def officer(client_as, time_machine):
    # Signed in at the tests' "now": a session older than its limit has ended.
    time_machine.move_to("2026-11-16 09:00 +00:00")
    return client_as(Role.COMMISSIONING_OFFICER)


def test_a_contract_with_an_option_to_decide_offers_an_extension_request(db, officer, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2024, 4, 1), term="3+1+1")
    assert BUTTON in _page(officer, contract)
    url = reverse("contracts:extension_request", args=[contract.pk])
    assert officer.get(url).status_code == 200


def test_a_contract_whose_option_has_lapsed_offers_no_extension_request(db, officer, time_machine):
    # Ends 31 March 2027; with 6 months' notice the decision was due by 30 September 2026.
    contract = ContractFactory(start_date=date(2024, 4, 1), term="3+1+1", notice_months=6)
    # Decided by 30 September 2026: that option has lapsed.
    text = _page(officer, contract)
    assert BUTTON not in text
    assert "the option has lapsed" in text
    shown, posted = _refused(officer, contract)
    assert "The decision deadline for the next option was 30 September 2026" in shown
    assert "the option has lapsed" in posted


def test_a_contract_whose_term_has_ended_offers_no_extension_request(db, officer, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2020, 4, 1), term="3+1+1")
    text = _page(officer, contract)
    assert BUTTON not in text
    shown, _ = _refused(officer, contract)
    assert "This contract's term ended on 31 March 2023" in shown


def test_a_terminated_contract_offers_no_extension_request(db, officer, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2024, 4, 1), term="3+1+1")
    services.contract_terminate(
        contract=contract, by=None, terminated_on=date(2026, 12, 31), reason="Provider exit"
    )
    assert BUTTON not in _page(officer, contract)
    shown, _ = _refused(officer, contract)
    assert "terminated early (last day 31 December 2026): it cannot be extended" in shown


def test_a_contract_whose_options_are_all_taken_offers_no_extension_request(
    db, officer, time_machine
):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2021, 4, 1), term="3+1+1")
    services.options_record_taken(contract=contract, by=None, options_taken=2)
    assert BUTTON not in _page(officer, contract)
    shown, _ = _refused(officer, contract)
    assert "Every extension option on this contract has been taken" in shown


def test_a_contract_whose_remaining_options_are_closed_offers_no_extension_request(
    db, officer, time_machine
):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2022, 4, 1), term="3+1+1")
    services.options_record_taken(contract=contract, by=None, options_taken=1, rest_not_taken=True)
    assert BUTTON not in _page(officer, contract)
    shown, _ = _refused(officer, contract)
    assert "The remaining extension options on this contract will not be taken" in shown


def test_a_contract_without_options_offers_no_extension_request(db, officer, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2025, 4, 1), term="3")
    assert BUTTON not in _page(officer, contract)
    shown, _ = _refused(officer, contract)
    assert "This contract has no extension options" in shown


def test_the_service_refuses_a_lapsed_option_with_the_pages_words(db, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(start_date=date(2024, 4, 1), term="3+1+1")
    with pytest.raises(services.ContractError, match="the option has lapsed"):
        services.extension_request_raise(
            contract=contract,
            by=None,
            options_requested=1,
            justification="Good",
            today=date(2027, 1, 1),
        )


OPEN = {
    "is_draft": False,
    "terminated_on": None,
    "options_closed": False,
    "option_count": 2,
    "options_taken": 0,
    "current_end_date": date(2027, 3, 31),
    "decision_deadline": date(2026, 12, 31),
    "has_open_request": False,
}


@given(today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_an_extension_may_be_requested_exactly_until_the_decision_deadline(today):
    refusal = extension_refusal(**OPEN, today=today)
    assert (refusal == "") == (today <= date(2026, 12, 31))


@pytest.mark.parametrize(
    "change",
    [
        {"is_draft": True},
        {"terminated_on": date(2026, 6, 30)},
        {"options_closed": True},
        {"options_taken": 2},
        {"option_count": 0},
        {"has_open_request": True},
    ],
)
def test_no_extension_may_be_requested_when_the_contract_rules_it_out(change):
    assert extension_refusal(**{**OPEN, **change}, today=date(2026, 6, 1))


def test_the_request_page_refuses_a_second_request_while_one_waits(db, officer):
    contract = ContractFactory(start_date=date(2024, 4, 1), term="3+1+1")
    services.extension_request_raise(
        contract=contract, by=None, options_requested=1, justification="Good"
    )
    url = reverse("contracts:extension_request", args=[contract.pk])
    response = officer.get(url, follow=True)
    assert "There is already an extension request waiting for a decision" in page_text(response)
    assert BUTTON not in _page(officer, contract)
