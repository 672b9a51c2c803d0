"""Evaluation: evaluators declare conflicts and score independently;
moderation records consensus scores; approval locks the results. The award
is in procurement.services.award."""

from django.db import transaction
from django.utils import timezone

from procurement import notices, scoring
from procurement.constants import CallOffStatus
from procurement.models import (
    Bid,
    CallOff,
    ConsensusScore,
    Criterion,
    EvaluatorAssignment,
    Score,
)
from procurement.services import ProcurementError
from procurement.services.call_offs import (
    check_not_conflicted,
)
from procurement.services.cancel import check_not_cancelled


def _unlocked(call_off: CallOff) -> CallOff:
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    check_not_cancelled(call_off, refused="its bids are no longer scored, moderated or approved")
    if call_off.is_locked:
        raise ProcurementError(f"The results of {call_off.reference} are approved and locked.")
    return call_off


@transaction.atomic
def evaluator_assign(*, call_off: CallOff, by, evaluator) -> EvaluatorAssignment:
    call_off = _unlocked(call_off)
    if call_off.evaluators.filter(submitted_at__isnull=False).exists():
        raise ProcurementError(
            "An evaluator has already submitted: the panel can no longer change.",
            field="evaluator",
        )
    if not evaluator.has_perm("procurement.score_bids"):
        raise ProcurementError(f"{evaluator} cannot score bids.", field="evaluator")
    if call_off.evaluators.filter(evaluator=evaluator).exists():
        raise ProcurementError(f"{evaluator} is already an evaluator.", field="evaluator")
    assignment = EvaluatorAssignment.objects.create(call_off=call_off, evaluator=evaluator)
    notices.evaluator_assigned(assignment, by=by)
    return assignment


def _own(assignment: EvaluatorAssignment, by) -> EvaluatorAssignment:
    assignment = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.evaluator_id != by.pk:
        raise ProcurementError("Only the evaluator can declare or score for themselves.")
    return assignment


@transaction.atomic
def conflict_declare(
    *, assignment: EvaluatorAssignment, by, has_conflict: bool, statement: str = ""
) -> EvaluatorAssignment:
    assignment = _own(assignment, by)
    if assignment.declared_at is not None:
        raise ProcurementError("You have already made your declaration.")
    if has_conflict and not statement.strip():
        raise ProcurementError("Describe the conflict of interest.", field="statement")
    assignment.has_conflict, assignment.conflict_statement = has_conflict, statement.strip()
    assignment.declared_at = timezone.now()
    assignment.save()
    return assignment


@transaction.atomic
def scores_save(*, assignment: EvaluatorAssignment, by, bid: Bid, scores: dict) -> list[Score]:
    """Save an evaluator's scores for one bid: {criterion: (score, comment)}.
    Saved scores can be changed until the evaluator submits."""
    assignment = _own(assignment, by)
    call_off = _unlocked(assignment.call_off)
    if assignment.has_conflict is None:
        raise ProcurementError("Declare whether you have a conflict of interest first.")
    if assignment.has_conflict:
        raise ProcurementError("You declared a conflict of interest, so you cannot score.")
    if assignment.submitted_at:
        raise ProcurementError("You have submitted your scores; they can no longer change.")
    if call_off.status != CallOffStatus.EVALUATION:
        raise ProcurementError("Bids are scored once evaluation has started.")
    if bid.call_off_id != call_off.pk:
        raise ProcurementError("That bid is not part of this call-off.")
    saved = []
    for criterion, (score, comment) in scores.items():
        if criterion.call_off_id != call_off.pk:
            raise ProcurementError("That criterion is not part of this call-off.")
        try:
            scoring.check_score(criterion.for_scoring(), score)
        except scoring.ScoringError as exc:
            raise ProcurementError(str(exc), field=f"score_{criterion.pk}") from exc
        row, _ = Score.objects.update_or_create(
            assignment=assignment,
            bid=bid,
            criterion=criterion,
            defaults={"score": score, "comment": comment.strip()},
        )
        saved.append(row)
    return saved


def scored_criteria(call_off: CallOff):
    return call_off.criteria.exclude(kind=scoring.PRICE)


@transaction.atomic
def scores_submit(*, assignment: EvaluatorAssignment, by) -> EvaluatorAssignment:
    assignment = _own(assignment, by)
    call_off = _unlocked(assignment.call_off)
    if not assignment.may_score:
        raise ProcurementError("There is nothing for you to submit.")
    expected = call_off.bids.count() * scored_criteria(call_off).count()
    if assignment.scores.count() < expected:
        raise ProcurementError("Score every bid on every criterion before submitting.")
    assignment.submitted_at = timezone.now()
    assignment.save()
    return assignment


def evaluators_outstanding(call_off: CallOff) -> list[EvaluatorAssignment]:
    """Evaluators still to declare or to submit (a declared conflict is done)."""
    return outstanding_among(call_off.evaluators.select_related("evaluator"))


def outstanding_among(assignments) -> list[EvaluatorAssignment]:
    return [
        a
        for a in assignments
        if a.has_conflict is None or (a.has_conflict is False and a.submitted_at is None)
    ]


@transaction.atomic
def consensus_record(
    *, bid: Bid, criterion: Criterion, by, score: int, rationale: str
) -> ConsensusScore:
    """Moderation: once every evaluator has submitted, the panel agrees one
    score per bid and criterion, with its rationale."""
    call_off = _unlocked(bid.call_off)
    check_not_conflicted(call_off, by)
    if call_off.status != CallOffStatus.EVALUATION:
        raise ProcurementError("Moderation happens during evaluation.")
    scorers = call_off.evaluators.filter(has_conflict=False)
    if not scorers.exists() or evaluators_outstanding(call_off):
        raise ProcurementError("Moderation starts when every evaluator has submitted.")
    if criterion.call_off_id != call_off.pk or bid.call_off_id != call_off.pk:
        raise ProcurementError("That bid or criterion is not part of this call-off.")
    try:
        scoring.check_score(criterion.for_scoring(), score)
    except scoring.ScoringError as exc:
        raise ProcurementError(str(exc), field="score") from exc
    if not rationale.strip():
        raise ProcurementError("Record the rationale for the consensus score.", field="rationale")
    row, _ = ConsensusScore.objects.update_or_create(
        bid=bid,
        criterion=criterion,
        defaults={"score": score, "rationale": rationale.strip(), "moderated_by": by},
    )
    notices.results_ready(call_off)
    return row


@transaction.atomic
def results_approve(*, call_off: CallOff, by) -> CallOff:
    from procurement.selectors import results

    call_off = _unlocked(call_off)
    if call_off.status != CallOffStatus.EVALUATION:
        raise ProcurementError("Only results under evaluation can be approved.")
    if call_off.created_by_id == by.pk:
        raise ProcurementError("Someone other than the call-off's author must approve it.")
    check_not_conflicted(call_off, by)
    summary = results(call_off)
    if summary.missing:
        raise ProcurementError(
            f"{summary.missing} consensus score(s) are still to be recorded in moderation."
        )
    call_off.status = CallOffStatus.APPROVED
    call_off.results_approved_by, call_off.results_approved_at = by, timezone.now()
    call_off.save()
    notices.results_approved(call_off, by=by)
    return call_off
