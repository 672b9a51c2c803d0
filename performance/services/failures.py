"""Recording a performance failure (the Procurement Act's "breach or poor
performance") and updating it as it develops.

A failure is recorded once and then changed as the provider mitigates it,
warning notices go out and the council decides the outcome; each change is
a new version (decision 11), so the history says who changed what and when.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from contracts.models import Contract
from core import concurrency
from core.errors import ServiceError
from performance import failure_rules
from performance.models import PerformanceFailure

MANAGE = "performance.manage_performance"

FAILURE_FIELDS = (
    "obligation",
    "what_happened",
    "impact",
    "started_on",
    "ended_on",
    "is_ongoing",
    "provider_mitigation",
    "warning_notices",
    "outcome",
    "damages_amount",
    "outcome_notes",
)
REQUIRED_TEXT = {
    "obligation": "Enter the obligation that was not met",
    "what_happened": "Describe what happened",
    "impact": "Describe the impact",
}


class FailureError(ServiceError):
    """A change to a contract's performance record that is refused."""


def check_may_manage(by) -> None:
    if by is None or not by.has_perm(MANAGE):
        raise FailureError("You do not have permission to manage performance on contracts.")


def locked_contract(contract: Contract) -> Contract:
    # Locked so a failure and the plan it prompts are written one at a time.
    return Contract.objects.select_for_update().get(pk=contract.pk)


def facts_of(failure: PerformanceFailure) -> failure_rules.FailureFacts:
    return failure_rules.FailureFacts(
        started_on=failure.started_on,
        ended_on=failure.ended_on,
        is_ongoing=failure.is_ongoing,
        outcome=failure.outcome,
        damages_amount=failure.damages_amount,
        outcome_notes=failure.outcome_notes,
    )


def _check(failure: PerformanceFailure, contract: Contract, today: date) -> None:
    for name, message in REQUIRED_TEXT.items():
        if not str(getattr(failure, name) or "").strip():
            raise FailureError(message, field=name)
    problems = failure_rules.failure_problems(
        facts_of(failure), today=today, contract_start=contract.start_date
    )
    if problems:
        field, message = problems[0]
        raise FailureError(message, field=field)


def _unknown(fields) -> None:
    unknown = set(fields) - set(FAILURE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown failure fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def failure_record(
    *, contract: Contract, by, today: date | None = None, **fields
) -> PerformanceFailure:
    _unknown(fields)
    check_may_manage(by)
    today = today or timezone.localdate()
    contract = locked_contract(contract)
    if contract.is_draft:
        raise FailureError("This contract is a draft: record performance once it has been awarded.")
    failure = PerformanceFailure(contract=contract, recorded_by=by, **fields)
    _check(failure, contract, today)
    failure._history_user = by
    failure._change_reason = "Performance failure recorded"
    concurrency.save_next_version(failure)
    return failure


@transaction.atomic
def failure_update(
    *,
    failure: PerformanceFailure,
    by,
    version: int | None,
    today: date | None = None,
    **fields,
) -> PerformanceFailure:
    """Change what is recorded; `version` is the one the page showed, and a
    save from a page opened before somebody else's change is refused."""
    _unknown(fields)
    check_may_manage(by)
    today = today or timezone.localdate()
    failure = concurrency.lock(
        PerformanceFailure.objects.select_related("contract"), pk=failure.pk, version=version
    )
    for name, value in fields.items():
        setattr(failure, name, value)
    _check(failure, failure.contract, today)
    failure._history_user = by
    failure._change_reason = "Performance failure updated"
    concurrency.save_next_version(failure)
    return failure
