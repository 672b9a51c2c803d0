"""Warning a provider (an improvement plan: what must improve, by when) and
closing the plan as improvement made or not made.

A contract has at most one open plan at a time, so "the improvement plan"
on the contract and extension pages is never ambiguous; a further warning
waits until the open one is closed.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Contract
from core import concurrency
from performance import failure_rules
from performance.constants import ImprovementPlanStatus
from performance.models import ImprovementPlan
from performance.services.failures import FailureError, check_may_manage, locked_contract

ALREADY_OPEN = (
    "This contract already has an open improvement plan: close it before warning the "
    "provider again."
)


def _first(problems) -> None:
    if problems:
        field, message = problems[0]
        raise FailureError(message, field=field)


@transaction.atomic
def improvement_plan_warn(
    *,
    contract: Contract,
    by,
    warned_on: date,
    must_improve: str,
    improve_by: date,
    today: date | None = None,
) -> ImprovementPlan:
    check_may_manage(by)
    today = today or timezone.localdate()
    contract = locked_contract(contract)
    if contract.is_draft:
        raise FailureError("This contract is a draft: record performance once it has been awarded.")
    if not must_improve.strip():
        raise FailureError("Enter what must improve", field="must_improve")
    _first(
        failure_rules.plan_warning_problems(warned_on=warned_on, improve_by=improve_by, today=today)
    )
    if contract.improvement_plans.filter(status=ImprovementPlanStatus.OPEN).exists():
        raise FailureError(ALREADY_OPEN)
    plan = ImprovementPlan(
        contract=contract,
        warned_on=warned_on,
        must_improve=must_improve,
        improve_by=improve_by,
        raised_by=by,
    )
    plan._history_user = by
    plan._change_reason = "Provider warned: improvement plan opened"
    try:
        with transaction.atomic():
            concurrency.save_next_version(plan)
    except IntegrityError as exc:  # the one-open-plan constraint
        raise FailureError(ALREADY_OPEN) from exc
    return plan


CLOSING = {ImprovementPlanStatus.MET, ImprovementPlanStatus.NOT_MET}


@transaction.atomic
def improvement_plan_close(
    *,
    plan: ImprovementPlan,
    by,
    version: int | None,
    status: str,
    closed_on: date,
    outcome_notes: str,
    today: date | None = None,
) -> ImprovementPlan:
    check_may_manage(by)
    today = today or timezone.localdate()
    plan = concurrency.lock(ImprovementPlan.objects, pk=plan.pk, version=version)
    if plan.status != ImprovementPlanStatus.OPEN:
        raise FailureError(
            f"This improvement plan was already closed on {plan.closed_on:%-d %B %Y}."
        )
    if status not in CLOSING:
        raise FailureError("Select whether the improvement was made", field="status")
    _first(
        failure_rules.plan_closing_problems(
            warned_on=plan.warned_on, closed_on=closed_on, today=today
        )
    )
    if not outcome_notes.strip():
        raise FailureError("Describe what the council found", field="outcome_notes")
    plan.status = status
    plan.closed_on = closed_on
    plan.outcome_notes = outcome_notes
    plan._history_user = by
    plan._change_reason = f"Improvement plan closed: {ImprovementPlanStatus(status).label.lower()}"
    concurrency.save_next_version(plan)
    return plan
