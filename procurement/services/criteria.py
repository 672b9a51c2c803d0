"""Evaluation criteria while a call-off is being prepared: changed or
removed freely until providers are invited, never after, because bidders
answer the criteria they were sent."""

from django.db import transaction

from core import concurrency
from procurement import scoring
from procurement.models import Criterion
from procurement.services import ProcurementError
from procurement.services.call_offs import _draft


def _price_taken(criterion: Criterion, kind: str) -> bool:
    others = criterion.call_off.criteria.exclude(pk=criterion.pk)
    return kind == scoring.PRICE and others.filter(kind=scoring.PRICE).exists()


@transaction.atomic
def criterion_edit(
    *,
    criterion: Criterion,
    by,
    name: str,
    weight,
    kind: str,
    max_score: int = 5,
    descriptors: str = "",
    version: int | None = None,
) -> Criterion:
    """Change a criterion of a call-off being prepared. `version` is the one
    the edit page showed: a save from a copy someone has changed since is
    refused (decision 0011)."""
    call_off = _draft(criterion.call_off)
    criterion = concurrency.lock(Criterion.objects, pk=criterion.pk, version=version)
    criterion.call_off = call_off
    if _price_taken(criterion, kind):
        raise ProcurementError("Only one criterion can score price.", field="kind")
    criterion.name, criterion.weight, criterion.kind = name.strip(), weight, kind
    criterion.max_score, criterion.descriptors = max_score, descriptors.strip()
    criterion._history_user = by
    concurrency.save_next_version(criterion)
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: Criterion, by) -> None:
    """Remove a criterion of a call-off being prepared (its history stays)."""
    _draft(criterion.call_off)
    criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
    criterion._history_user = by
    criterion.delete()
