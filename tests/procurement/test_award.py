"""The award: the approve page shows what it approves, the award is made only
from a check-your-answers page, with an owner chosen, a standstill recorded
either way, and a letter to each bidder with its own and the winner's scores.

Dead ends of issue 13 each fail on 14eac55: the approve page showed no
results, the award was made by the first button, the owner was whoever
awarded, nothing recorded a standstill and no bidder was told anything."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from core.roles import Role
from procurement.constants import CallOffStatus
from procurement.services import ProcurementError, award, call_offs, evaluation
from tests.factories import ProviderContactFactory
from tests.html_forms import form_data
from tests.pages import page_text
from tests.procurement.conftest import AFTER, award_answers
from tests.procurement.test_mini_competition import CONSENSUS, open_and_bid, score_everything

# Tuesday 2 February 2027: the standstill's eighth working day is Thursday 11th.
AWARD_DAY = "2027-02-02 10:00 +00:00"
STANDSTILL_ENDS = date(2027, 2, 11)
RATIONALE = {letter: f"Rationale{letter}xq" for letter in "ABC"}
TOTALS = {"A": "89.00", "B": "90.00", "C": "62.00"}


@pytest.fixture
def bids(call_off, procurement_officer, evaluators, approver, time_machine):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    criteria = list(call_off.criteria.all())
    for letter, bid in bids.items():
        ProviderContactFactory(
            provider=bid.provider, is_main_contact=True, email=f"bids@{letter.lower()}.example"
        )
        for number, (criterion, score) in enumerate(
            zip(criteria, CONSENSUS[letter], strict=True), start=1
        ):
            evaluation.consensus_record(
                bid=bid,
                criterion=criterion,
                by=procurement_officer,
                score=score,
                rationale=f"{RATIONALE[letter]} on criterion {number}",
            )
    time_machine.move_to(AWARD_DAY)
    return bids


@pytest.fixture
def approved(call_off, bids, approver):
    evaluation.results_approve(call_off=call_off, by=approver)
    return bids


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return page_text(response)


def test_the_approve_page_shows_the_ranked_results_it_approves(call_off, bids, client_as):
    text = _page(
        client_as(Role.APPROVING_MANAGER).get(
            reverse("procurement:results_approve", args=[call_off.pk])
        )
    )
    assert "Recommended winner Provider B Ltd, 90.00 points out of 100" in text
    # Each criterion's moderated score and the weighted total, in rank order.
    assert "1 Provider B Ltd 4 of 5 5 of 5 5 of 5 90.00" in text
    assert "2 Provider A Ltd 5 of 5 4 of 5 3 of 5 89.00" in text
    assert "3 Provider C Ltd 3 of 5 3 of 5 5 of 5 62.00" in text
    assert "Outcomes and person-centred support (50%)" in text


def test_the_approve_page_says_what_is_still_to_moderate(call_off, bids, client_as):
    bids["C"].consensus.first().delete()
    text = _page(
        client_as(Role.APPROVING_MANAGER).get(
            reverse("procurement:results_approve", args=[call_off.pk])
        )
    )
    assert "1 consensus score still to agree in moderation" in text
    assert "Provider C Ltd" not in text  # not ranked until every score is agreed


def _form(owner, **changes) -> dict:
    data = {
        "owner": owner.pk,
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2027",
        "standstill_applies": "yes",
        "standstill_days": "8",
        "no_standstill_reason": "",
    }
    return {**data, **changes}


def test_the_award_is_made_only_from_the_check_your_answers_page(
    call_off, approved, client_as, commissioning_officer
):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    questions = reverse("procurement:award", args=[call_off.pk])
    check = reverse("procurement:award_check", args=[call_off.pk])
    response = officer.post(questions, _form(commissioning_officer))
    assert response.status_code == 302
    assert response.url == check
    call_off.refresh_from_db()
    assert (call_off.status, call_off.contract) == (CallOffStatus.APPROVED, None)

    page = officer.get(check)
    text = _page(page)
    assert "Check the award before you make it" in text
    assert "Provider Provider B Ltd" in text
    assert "Score 90.00 points out of 100, ranked 1" in text
    assert "Annual value £250,000.00 £1,250,000.00 over the whole term" in text
    assert "Term 3+1+1: ends 31 March 2030, or 31 March 2032 with every option" in text
    assert "Start date 1 April 2027 Change the start date" in text
    assert "Contract owner Chidi Okafor Change the contract owner" in text
    assert "8 working days, 2 February 2027 to Thursday 11 February 2027" in text
    assert f'href="{questions}#id_owner"' in page.text

    # Change takes the answers back to the questions, as they were given,
    # and sending them again comes back to the check page.
    again = officer.get(questions)
    resent = officer.post(questions, form_data(again.content.decode(), having="owner"))
    assert resent.status_code == 302, page_text(resent)
    assert resent.url == check

    response = officer.post(check)
    assert response.url == reverse("procurement:award_letters", args=[call_off.pk])
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert call_off.contract.owner == commissioning_officer
    assert call_off.contract.provider.legal_name == "Provider B Ltd"
    assert (call_off.standstill_applies, call_off.standstill_ends_on) == (True, STANDSTILL_ENDS)
    # The same button pressed again (a second tab) awards nothing twice.
    again = officer.post(check)
    assert again.url == questions


def test_the_award_questions_say_what_to_put_right(call_off, approved, client_as):
    page = client_as(Role.PROCUREMENT_OFFICER).post(
        reverse("procurement:award", args=[call_off.pk]), {}
    )
    text = page_text(page)
    for message in (
        "Choose a commissioning officer to own the contract",
        "Enter the contract start date",
        "Say whether there will be a standstill period",
    ):
        assert text.count(message) == 2, message  # in the summary and by the field


def test_without_a_standstill_the_reason_is_required_and_recorded(
    call_off, approved, client_as, commissioning_officer
):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:award", args=[call_off.pk])
    refused = officer.post(url, _form(commissioning_officer, standstill_applies="no"))
    assert "Enter why no standstill period applies" in page_text(refused)
    reason = "Light-touch contract: adult social care (Procurement Act 2023 s.51)"
    answered = officer.post(
        url, _form(commissioning_officer, standstill_applies="no", no_standstill_reason=reason)
    )
    assert f"Standstill period None: {reason}" in _page(officer.get(answered.url))
    officer.post(answered.url)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED
    assert (call_off.standstill_applies, call_off.standstill_ends_on) == (False, None)
    assert call_off.no_standstill_reason == reason


def test_the_contract_cannot_start_before_the_standstill_ends(
    call_off, approved, client_as, commissioning_officer
):
    page = client_as(Role.PROCUREMENT_OFFICER).post(
        reverse("procurement:award", args=[call_off.pk]),
        _form(commissioning_officer, start_date_0="11", start_date_1="2"),
    )
    assert "must be on or after 12 February 2027, the day after the standstill ends" in (
        page_text(page)
    )
    call_off.refresh_from_db()
    assert call_off.contract is None


def test_the_contract_owner_must_be_a_commissioning_officer(
    call_off, approved, procurement_officer
):
    with pytest.raises(ProcurementError, match="Choose a commissioning officer"):
        award.call_off_award(
            call_off=call_off, by=procurement_officer, **award_answers(procurement_officer)
        )
    call_off.refresh_from_db()
    assert call_off.contract is None


def test_the_check_page_without_answers_goes_back_to_the_questions(call_off, approved, client_as):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    check = reverse("procurement:award_check", args=[call_off.pk])
    for response in (officer.get(check), officer.post(check)):
        assert response.url == reverse("procurement:award", args=[call_off.pk])
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.APPROVED


def test_results_not_approved_cannot_be_awarded(call_off, bids, client_as, commissioning_officer):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    page = officer.post(
        reverse("procurement:award", args=[call_off.pk]), _form(commissioning_officer)
    )
    assert "Approve the results before awarding." in page_text(page)


def _award(call_off, procurement_officer, commissioning_officer):
    return award.call_off_award(
        call_off=call_off, by=procurement_officer, **award_answers(commissioning_officer)
    )


def test_each_bidder_is_emailed_its_own_and_the_winners_scores_only(
    call_off, approved, procurement_officer, commissioning_officer
):
    _award(call_off, procurement_officer, commissioning_officer)
    emails = {m.payload["to"][0]: m.payload for m in OutboxMessage.objects.filter(kind="email")}
    assert sorted(emails) == ["bids@a.example", "bids@b.example", "bids@c.example"]
    for letter in "ABC":
        email = emails[f"bids@{letter.lower()}.example"]
        for body in (email["body"], email["html_body"]):
            _sees_own_and_winners_only(body, letter)
    assert emails["bids@b.example"]["subject"].startswith("Award of contract: SL-2027-01")
    assert emails["bids@a.example"]["subject"].startswith("Outcome of your bid: SL-2027-01")


def _sees_own_and_winners_only(text: str, letter: str) -> None:
    assert RATIONALE[letter] in text, letter
    assert TOTALS[letter] in text, letter
    assert RATIONALE["B"] in text and TOTALS["B"] in text, letter
    for other in set("ABC") - {letter, "B"}:
        assert RATIONALE[other] not in text, (letter, other)
        assert TOTALS[other] not in text, (letter, other)


def test_each_letter_pdf_shows_the_bidders_and_the_winners_scores_and_no_others(
    call_off, approved, procurement_officer, commissioning_officer, client_as, tmp_path
):
    _award(call_off, procurement_officer, commissioning_officer)
    client = client_as(Role.PROCUREMENT_OFFICER)
    listing = _page(client.get(reverse("procurement:award_letters", args=[call_off.pk])))
    assert "Provider B Ltd Successful bids@b.example" in listing
    assert "Provider C Ltd Unsuccessful bids@c.example" in listing
    for letter, bid in approved.items():
        response = client.get(reverse("procurement:award_letter", args=[call_off.pk, bid.pk]))
        assert response["Content-Type"] == "application/pdf"
        path = tmp_path / f"{letter}.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        _sees_own_and_winners_only(text, letter)
        assert "standstill period ends: Thursday 11 February 2027" in text
        assert "Page 1 of" in text


def test_there_are_no_letters_before_the_award(call_off, approved, client_as):
    client = client_as(Role.PROCUREMENT_OFFICER)
    bid = approved["A"]
    assert client.get(reverse("procurement:award_letters", args=[call_off.pk])).status_code == 404
    url = reverse("procurement:award_letter", args=[call_off.pk, bid.pk])
    assert client.get(url).status_code == 404


def test_a_direct_award_asks_who_owns_the_contract(lot, admitted, client_as, procurement_officer):
    from procurement.constants import CallOffRoute

    direct = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.DIRECT_AWARD,
        reference="SL-DA-2",
        title="Existing scheme, Crosby",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("180000.00"),
    )
    page = client_as(Role.PROCUREMENT_OFFICER).post(
        reverse("procurement:direct_award", args=[direct.pk]),
        {"provider": admitted[0].pk, "justification": "Continuity"},
    )
    assert "Choose a commissioning officer to own the contract" in page_text(page)
    direct.refresh_from_db()
    assert direct.contract is None
