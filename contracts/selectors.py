"""Reads of the contracts register, with the derived status computed in the
database so the register can filter and count by it."""

from datetime import date

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from contracts import terms
from contracts.constants import ENDING_WITHIN_MONTHS, ContractStatus
from contracts.models import Contract

CURRENT_STATUSES = (ContractStatus.LIVE, ContractStatus.IN_EXTENSION, ContractStatus.ENDING)


def status_expression(today: date):
    """The contract's status on `today`, as a database expression.

    Order matters: a draft is a draft; a termination that has taken effect
    beats expiry; a contract in its last months with no options left (or a
    termination still to take effect) is ending.
    """
    soon = terms.add_months(today, ENDING_WITHIN_MONTHS)
    no_options_left = Q(options_closed=True) | Q(options_taken__gte=F("option_count"))
    return Case(
        When(is_draft=True, then=Value(ContractStatus.DRAFT)),
        When(terminated_on__lte=today, then=Value(ContractStatus.TERMINATED)),
        When(current_end_date__lt=today, then=Value(ContractStatus.EXPIRED)),
        When(terminated_on__gt=today, then=Value(ContractStatus.ENDING)),
        When(no_options_left & Q(current_end_date__lte=soon), then=Value(ContractStatus.ENDING)),
        When(
            options_taken__gt=0, initial_end_date__lt=today, then=Value(ContractStatus.IN_EXTENSION)
        ),
        default=Value(ContractStatus.LIVE),
        output_field=CharField(),
    )


def contract_register(*, today: date | None = None) -> QuerySet[Contract]:
    today = today or timezone.localdate()
    return (
        Contract.objects.select_related("provider", "owner")
        .prefetch_related(Prefetch("additional_providers"))
        .annotate(status=status_expression(today))
    )


def contract_detail(pk: int, *, today: date | None = None) -> Contract:
    return (
        contract_register(today=today)
        .prefetch_related("extensions__requested_by", "extensions__decided_by")
        .get(pk=pk)
    )


def contract_counts(*, today: date | None = None) -> dict[str, int]:
    """Figures for the home page, in one query."""
    today = today or timezone.localdate()
    soon = terms.add_months(today, 3)
    status = status_expression(today)
    return Contract.objects.annotate(status=status).aggregate(
        current=Count("pk", filter=Q(status__in=CURRENT_STATUSES)),
        ending=Count("pk", filter=Q(status=ContractStatus.ENDING)),
        decisions_due=Count(
            "pk", filter=Q(decision_deadline__gte=today, decision_deadline__lte=soon)
        ),
    )
