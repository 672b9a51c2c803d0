"""A mini-competition end to end, and the rules that keep it fair."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.constants import ProcurementRoute
from procurement import selectors
from procurement.constants import CallOffStatus
from procurement.models import BidAccess
from procurement.services import ProcurementError, award, call_offs, evaluation
from tests.procurement.conftest import AFTER, BEFORE, DEADLINE, award_answers

# Consensus scores (0-5) for the three bids on outcomes (50%), workforce
# (45%) and social value (5%), and the weighted totals they must give:
# A: 50x5/5 + 45x4/5 + 5x3/5 = 50 + 36 + 3 = 89.00
# B: 50x4/5 + 45x5/5 + 5x5/5 = 40 + 45 + 5 = 90.00
# C: 50x3/5 + 45x3/5 + 5x5/5 = 30 + 27 + 5 = 62.00
CONSENSUS = {"A": (5, 4, 3), "B": (4, 5, 5), "C": (3, 3, 5)}
EXPECTED = [
    ("Provider B Ltd", 1, Decimal("90.00")),
    ("Provider A Ltd", 2, Decimal("89.00")),
    ("Provider C Ltd", 3, Decimal("62.00")),
]


def open_and_bid(call_off, officer):
    invitations = call_offs.call_off_open(call_off=call_off, by=officer, now=BEFORE)
    criteria = list(call_off.criteria.all())
    bids = {}
    for invitation in invitations:
        letter = invitation.provider.legal_name.split()[1]
        bids[letter] = call_offs.bid_submit(
            invitation=invitation,
            answers={c.pk: f"{letter}'s answer to {c.name}" for c in criteria},
            now=BEFORE,
        )
    return bids


def score_everything(call_off, evaluators, bids):
    criteria = list(call_off.criteria.all())
    assignments = [
        evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
        for evaluator in evaluators
    ]
    for evaluator, assignment in zip(evaluators, assignments, strict=True):
        evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
        for letter, bid in bids.items():
            # Evaluators differ by one here and there; moderation settles it.
            scores = {
                c: (max(0, s - (evaluator.pk % 2)), "")
                for c, s in zip(criteria, CONSENSUS[letter], strict=True)
            }
            evaluation.scores_save(assignment=assignment, by=evaluator, bid=bid, scores=scores)
        evaluation.scores_submit(assignment=assignment, by=evaluator)


def moderate(call_off, officer, bids):
    criteria = list(call_off.criteria.all())
    for letter, bid in bids.items():
        for criterion, score in zip(criteria, CONSENSUS[letter], strict=True):
            evaluation.consensus_record(
                bid=bid,
                criterion=criterion,
                by=officer,
                score=score,
                rationale="Agreed at moderation on the evidence in the answer",
            )


def test_a_mini_competition_from_invitation_to_contract(
    call_off, procurement_officer, evaluators, approver, commissioning_officer
):
    bids = open_and_bid(call_off, procurement_officer)
    assert call_off.invitations.count() == 3
    evaluation_started = call_offs.evaluation_start(
        call_off=call_off, by=procurement_officer, now=AFTER
    )
    assert evaluation_started.status == CallOffStatus.EVALUATION
    score_everything(call_off, evaluators, bids)
    moderate(call_off, procurement_officer, bids)

    results = selectors.results(call_off)
    assert results.missing == 0
    assert [(r.bid.provider.legal_name, r.rank, r.total) for r in results.rows] == EXPECTED

    evaluation.results_approve(call_off=call_off, by=approver)
    with pytest.raises(ProcurementError, match="locked"):
        evaluation.consensus_record(
            bid=bids["C"],
            criterion=call_off.criteria.first(),
            by=procurement_officer,
            score=5,
            rationale="Second thoughts",
        )

    awarded = award.call_off_award(
        call_off=call_off, by=procurement_officer, **award_answers(commissioning_officer)
    )
    contract = awarded.contract
    assert contract.owner == commissioning_officer
    assert contract.provider.legal_name == "Provider B Ltd"
    assert contract.procurement_route == ProcurementRoute.MINI_COMPETITION
    assert (contract.term, contract.start_date) == ("3+1+1", date(2027, 4, 1))
    assert contract.current_end_date == date(2030, 3, 31)
    assert contract.max_end_date == date(2032, 3, 31)
    assert contract.options_may_be_taken_together
    assert contract.annual_value == Decimal("250000.00")
    assert contract.whole_life_value == Decimal("1250000.00")
    assert contract.service_area == "supported_living"
    assert contract.lot == "Supported living"


def test_weights_that_do_not_add_up_to_100_stop_the_call_off_opening(call_off, procurement_officer):
    call_off.criteria.filter(name="Social value").delete()
    with pytest.raises(ProcurementError, match="add up to 95%; they must add up to 100%"):
        call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.DRAFT
    assert not call_off.invitations.exists()


def test_a_late_bid_is_refused_with_the_deadline(call_off, procurement_officer):
    invitation = call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)[0]
    answers = {c.pk: "Our answer" for c in call_off.criteria.all()}
    with pytest.raises(ProcurementError, match="deadline for bids was 15 January 2027 at 12:00"):
        call_offs.bid_submit(invitation=invitation, answers=answers, now=DEADLINE)
    assert not call_off.bids.exists()


def test_bid_contents_are_sealed_until_the_deadline(call_off, procurement_officer, approver):
    bids = open_and_bid(call_off, procurement_officer)
    for user in (procurement_officer, approver):
        with pytest.raises(selectors.BidSealed):
            selectors.bid_contents(bids["A"].pk, call_off=call_off, user=user, now=BEFORE)
    assert not BidAccess.objects.exists()
    # What can be known before the deadline: that three bids came, and when.
    assert [b.received_at for b in selectors.bid_receipts(call_off)] == [BEFORE] * 3
    opened = selectors.bid_contents(bids["A"].pk, call_off=call_off, user=approver, now=AFTER)
    assert opened.answers.count() == 3
    assert BidAccess.objects.get().user == approver


def test_an_evaluator_who_declares_a_conflict_cannot_score(
    call_off, procurement_officer, evaluators
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    evaluator = evaluators[0]
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
    evaluation.conflict_declare(
        assignment=assignment,
        by=evaluator,
        has_conflict=True,
        statement="My sister manages Provider A",
    )
    with pytest.raises(ProcurementError, match="conflict of interest"):
        evaluation.scores_save(
            assignment=assignment,
            by=evaluator,
            bid=bids["A"],
            scores={call_off.criteria.first(): (3, "")},
        )
    assert not assignment.scores.exists()


def test_an_evaluator_must_declare_before_scoring(call_off, procurement_officer, evaluators):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluators[0])
    with pytest.raises(ProcurementError, match="Declare"):
        evaluation.scores_save(
            assignment=assignment,
            by=evaluators[0],
            bid=bids["A"],
            scores={call_off.criteria.first(): (3, "")},
        )


def test_nobody_sees_an_evaluators_scores_until_they_submit(
    call_off, procurement_officer, evaluators
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    first, second = evaluators[:2]
    assignments = {}
    for evaluator in (first, second):
        assignments[evaluator] = evaluation.evaluator_assign(
            call_off=call_off, by=None, evaluator=evaluator
        )
        evaluation.conflict_declare(
            assignment=assignments[evaluator], by=evaluator, has_conflict=False
        )
    criterion = call_off.criteria.first()
    evaluation.scores_save(
        assignment=assignments[first], by=first, bid=bids["A"], scores={criterion: (4, "")}
    )

    def visible(user):
        return {s.assignment.evaluator for s in selectors.scores_visible_to(user, call_off)}

    assert visible(second) == set()
    assert visible(procurement_officer) == set()
    assert visible(first) == {first}

    for bid in bids.values():
        evaluation.scores_save(
            assignment=assignments[first],
            by=first,
            bid=bid,
            scores=dict.fromkeys(evaluation.scored_criteria(call_off), (3, "")),
        )
    evaluation.scores_submit(assignment=assignments[first], by=first)
    # Submitted: the moderator sees them; the second evaluator, still
    # scoring, does not.
    assert visible(procurement_officer) == {first}
    assert visible(second) == set()


def test_someone_other_than_the_author_approves_the_results(
    call_off, procurement_officer, evaluators
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    moderate(call_off, procurement_officer, bids)
    with pytest.raises(ProcurementError, match="Someone other"):
        evaluation.results_approve(call_off=call_off, by=procurement_officer)


def test_moderation_waits_for_every_evaluator(call_off, procurement_officer, evaluators):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluators[0])
    with pytest.raises(ProcurementError, match="every evaluator has submitted"):
        evaluation.consensus_record(
            bid=bids["A"],
            criterion=call_off.criteria.first(),
            by=procurement_officer,
            score=3,
            rationale="Too early",
        )


def test_a_direct_award_needs_an_admitted_provider_and_a_reason(
    lot, admitted, procurement_officer, commissioning_officer
):
    from procurement.constants import CallOffRoute
    from tests.factories import ProviderFactory

    call_off = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.DIRECT_AWARD,
        reference="SL-DA-1",
        title="Existing scheme, Crosby",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("180000.00"),
    )
    with pytest.raises(ProcurementError, match="not currently admitted"):
        call_offs.direct_award(
            call_off=call_off,
            by=procurement_officer,
            provider=ProviderFactory(),
            justification="Continuity",
            owner=commissioning_officer,
        )
    with pytest.raises(ProcurementError, match="Record why"):
        call_offs.direct_award(
            call_off=call_off,
            by=procurement_officer,
            provider=admitted[0],
            justification=" ",
            owner=commissioning_officer,
        )
    awarded = call_offs.direct_award(
        call_off=call_off,
        by=procurement_officer,
        provider=admitted[0],
        justification="Sefton 3.3: current provider joined the PDPS and keeps its service",
        owner=commissioning_officer,
    )
    assert awarded.contract.provider == admitted[0]
    assert awarded.contract.owner == commissioning_officer
    assert awarded.contract.procurement_route == ProcurementRoute.DIRECT_AWARD
