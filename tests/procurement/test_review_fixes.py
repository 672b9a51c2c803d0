"""Holes an independent review found, each closed with a test."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.roles import Role
from procurement.constants import AdmissionStatus
from procurement.models import Admission
from procurement.services import ProcurementError, award, call_offs, evaluation, systems
from tests.procurement.conftest import AFTER, BEFORE, award_answers
from tests.procurement.test_mini_competition import moderate, open_and_bid, score_everything


def remove(provider, lot, officer):
    admission = Admission.objects.get(provider=provider, lot=lot)
    systems.admission_decide(
        admission=admission, by=officer, status=AdmissionStatus.REMOVED, reason="Left the market"
    )


def test_a_provider_removed_after_the_invitation_cannot_bid(
    call_off, lot, admitted, procurement_officer
):
    invitations = call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)
    remove(admitted[0], lot, procurement_officer)
    invitation = next(i for i in invitations if i.provider == admitted[0])
    with pytest.raises(ProcurementError, match="not currently admitted"):
        call_offs.bid_submit(
            invitation=invitation, now=BEFORE, answers={c.pk: "x" for c in call_off.criteria.all()}
        )


def test_a_provider_removed_before_the_award_cannot_be_awarded(
    call_off, lot, admitted, procurement_officer, evaluators, approver, commissioning_officer
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    moderate(call_off, procurement_officer, bids)
    evaluation.results_approve(call_off=call_off, by=approver)
    remove(bids["B"].provider, lot, procurement_officer)
    with pytest.raises(ProcurementError, match="not currently admitted"):
        award.call_off_award(
            call_off=call_off, by=procurement_officer, **award_answers(commissioning_officer)
        )
    call_off.refresh_from_db()
    assert call_off.contract is None


def test_a_conflicted_procurement_officer_cannot_open_bids_or_moderate(
    call_off, procurement_officer, client_as, user_with_role
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    officer = user_with_role(Role.PROCUREMENT_OFFICER, username="po2")
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=officer)
    evaluation.conflict_declare(
        assignment=assignment,
        by=officer,
        has_conflict=True,
        statement="I used to work for Provider A",
    )
    with pytest.raises(ProcurementError, match="declared a conflict"):
        evaluation.consensus_record(
            bid=bids["A"], criterion=call_off.criteria.first(), by=officer, score=3, rationale="x"
        )
    from django.test import Client

    client = Client()
    with time_machine.travel(AFTER, tick=False):
        client.force_login(officer)
        for name in ("bid_detail", "moderation"):
            page = client.get(reverse(f"procurement:{name}", args=[call_off.pk, bids["A"].pk]))
            assert page.status_code == 403
            assert "declared a conflict of interest" in page.text
            assert "answer to" not in page.text


def test_the_panel_cannot_change_once_an_evaluator_has_submitted(
    call_off, procurement_officer, evaluators
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators[:2], bids)
    with pytest.raises(ProcurementError, match="can no longer change"):
        evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluators[2])


def test_an_evaluator_still_scoring_cannot_see_the_results(
    call_off, procurement_officer, user_with_role
):
    from django.test import Client

    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    officer = user_with_role(Role.COMMISSIONING_OFFICER, username="co-evaluator")
    evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=officer)
    client = Client()
    client.force_login(officer)
    for name in ("results", "results_pdf"):
        page = client.get(reverse(f"procurement:{name}", args=[call_off.pk]))
        assert page.status_code == 403
        assert b"once you have submitted your scores" in page.content
    assert bids


def test_a_tie_for_first_place_is_awarded_to_the_panels_choice(
    call_off, procurement_officer, evaluators, approver, client_as, commissioning_officer
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    for bid in bids.values():
        for criterion in call_off.criteria.all():
            evaluation.consensus_record(
                bid=bid, criterion=criterion, by=procurement_officer, score=4, rationale="Level"
            )
    evaluation.results_approve(call_off=call_off, by=approver)
    officer = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:award", args=[call_off.pk])
    page = officer.get(url)
    assert "Bids share first place" in page.text
    assert "Choose the bid to award" in officer.post(url, {}).text
    response = officer.post(
        url,
        {
            "bid": bids["C"].pk,
            "owner": commissioning_officer.pk,
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2027",
            "standstill_applies": "yes",
            "standstill_days": "8",
        },
    )
    assert response.url == reverse("procurement:award_check", args=[call_off.pk])
    response = officer.post(response.url)
    assert response.status_code == 302
    call_off.refresh_from_db()
    assert call_off.contract.provider == bids["C"].provider


def test_no_clarification_after_the_deadline(call_off, procurement_officer):
    open_and_bid(call_off, procurement_officer)
    with (
        time_machine.travel(AFTER, tick=False),
        pytest.raises(ProcurementError, match="before the deadline"),
    ):
        call_offs.clarification_publish(
            call_off=call_off, by=procurement_officer, question="Q", answer="A"
        )


def test_nobody_at_the_council_sees_the_providers_bid_links(
    call_off, procurement_officer, client_as
):
    invitations = call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)
    with time_machine.travel(BEFORE, tick=False):
        page = client_as(Role.ADMINISTRATOR).get(
            reverse("procurement:call_off_detail", args=[call_off.pk])
        )
    for invitation in invitations:
        assert invitation.token not in page.text


def test_care_package_bids_are_sealed_until_the_deadline(
    lot, admitted, procurement_officer, client_as
):
    from django.utils import timezone

    from procurement.services import packages

    now = timezone.now()
    package = packages.package_advertise(
        lot=lot,
        by=procurement_officer,
        reference="ISL-LD-0099",
        kind="individual",
        outcomes="Own flat",
        weekly_budget=Decimal("500.00"),
        start_date=now.date(),
        bid_deadline=now + timedelta(days=2),
    )
    packages.package_bid_record(
        package=package,
        by=procurement_officer,
        provider=admitted[0],
        proposal="SECRET-PROPOSAL",
        weekly_price=Decimal("480.00"),
        received_at=now,
    )
    url = reverse("procurement:package_detail", args=[package.pk])
    page = client_as(Role.AUDITOR).get(url)
    assert "SECRET-PROPOSAL" not in page.text and "480.00" not in page.text
    assert "1 bid received" in page.text
    with pytest.raises(ProcurementError, match="in the future"):
        packages.package_bid_record(
            package=package,
            by=procurement_officer,
            provider=admitted[1],
            proposal="x",
            weekly_price=Decimal(1),
            received_at=now + timedelta(hours=1),
        )
    with time_machine.travel(now + timedelta(days=3), tick=False):
        after = client_as(Role.AUDITOR).get(url)
    assert "SECRET-PROPOSAL" in after.text


def test_bid_documents_open_after_the_deadline_for_the_panel_and_are_logged(
    call_off, procurement_officer, evaluators, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procurement.models import BidAccess

    [invitation, *_] = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=BEFORE
    )
    bid = call_offs.bid_submit(
        invitation=invitation,
        now=BEFORE,
        answers={c.pk: "x" for c in call_off.criteria.all()},
        documents=[SimpleUploadedFile("method-statement.pdf", b"%PDF-1.4 our method")],
    )
    document = bid.documents.get()
    url = reverse("procurement:bid_document", args=[call_off.pk, bid.pk, document.pk])
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluators[0])
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(evaluators[0])
        assert client.get(url).status_code == 403  # no declaration yet, and sealed
    evaluation.conflict_declare(assignment=assignment, by=evaluators[0], has_conflict=False)
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(evaluators[0])
        sealed = client.get(url)
        assert sealed.status_code == 403
        assert b"before the deadline" in sealed.content
    with time_machine.travel(AFTER, tick=False):
        client.force_login(evaluators[0])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 our method"
        client.force_login(evaluators[1])  # not on the panel
        assert client.get(url).status_code == 403
    assert BidAccess.objects.filter(bid=bid, user=evaluators[0]).count() == 1
