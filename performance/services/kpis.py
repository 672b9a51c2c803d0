"""Setting a contract's KPIs: from its service area's templates, one by one,
changed, and retired once returns have reported against them."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import concurrency
from core.errors import ServiceError
from performance.constants import Direction, Frequency
from performance.models import Kpi, KpiTemplate

KPI_FIELDS = (
    "name",
    "measure",
    "unit",
    "target",
    "direction",
    "tolerance",
    "frequency",
    "most_material",
)
# The Procurement Act asks for the three most material KPIs on the contract
# details notice (regulation 32(2)(r)): more than three cannot all be "the" three.
MOST_MATERIAL_LIMIT = 3


class PerformanceError(ServiceError):
    """A change to a contract's KPIs, returns or reviews that is refused."""


def lock_contract(contract):
    # Serialises changes to one contract's KPIs, so two officers adding the
    # third and fourth most material KPI at once cannot both succeed.
    return type(contract)._base_manager.select_for_update(of=("self",)).get(pk=contract.pk)


def current_kpis(contract):
    return Kpi.objects.filter(contract=contract, retired_on__isnull=True)


def _check(kpi: Kpi) -> None:
    if kpi.direction not in Direction.values:
        raise PerformanceError("Select whether higher or lower is better", field="direction")
    if kpi.frequency not in Frequency.values:
        raise PerformanceError("Select how often the KPI is reported", field="frequency")
    if Decimal(kpi.tolerance) < 0:
        raise PerformanceError("The tolerance cannot be negative", field="tolerance")
    others = current_kpis(kpi.contract_id).exclude(pk=kpi.pk)
    if others.filter(name__iexact=kpi.name).exists():
        raise PerformanceError(f"This contract already has a KPI called “{kpi.name}”", field="name")
    if kpi.most_material and others.filter(most_material=True).count() >= MOST_MATERIAL_LIMIT:
        raise PerformanceError(
            f"Only {MOST_MATERIAL_LIMIT} KPIs can be the most material: "
            "untick one of the others first",
            field="most_material",
        )


def _save(kpi: Kpi, *, by, reason: str) -> Kpi:
    kpi._history_user = by
    kpi._change_reason = reason
    concurrency.save_next_version(kpi)
    return kpi


def _next_order(contract) -> int:
    return (Kpi.objects.filter(contract=contract).aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def kpi_add(*, contract, by, **fields) -> Kpi:
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"Unknown KPI fields: {', '.join(sorted(unknown))}")
    contract = lock_contract(contract)
    kpi = Kpi(contract=contract, order=_next_order(contract), **fields)
    _check(kpi)
    return _save(kpi, by=by, reason="KPI added")


@transaction.atomic
def kpis_set_from_templates(*, contract, by, templates) -> list[Kpi]:
    """Copy the chosen templates onto the contract, each as a KPI of its
    own that can then be changed without changing the template."""
    contract = lock_contract(contract)
    templates = list(templates)
    if not templates:
        raise PerformanceError("Select at least one KPI", field="templates")
    order = _next_order(contract)
    added = []
    for template in sorted(templates, key=lambda t: (t.order, t.name)):
        if not isinstance(template, KpiTemplate) or template.service_area != contract.service_area:
            raise PerformanceError(
                f"“{template}” is not a template for {contract.get_service_area_display()}",
                field="templates",
            )
        kpi = Kpi(
            contract=contract,
            template=template,
            order=order,
            **{name: getattr(template, name) for name in KPI_FIELDS},
        )
        _check(kpi)
        added.append(_save(kpi, by=by, reason=f"KPI set from the template “{template.name}”"))
        order += 1
    return added


@transaction.atomic
def kpi_update(*, kpi: Kpi, by, version: int | None = None, **fields) -> Kpi:
    """Change a KPI. Reviews already made keep the ratings they gave
    (performance/models.py), so a new target applies from the next review."""
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"Unknown KPI fields: {', '.join(sorted(unknown))}")
    lock_contract(kpi.contract)
    kpi = concurrency.lock(Kpi.objects, pk=kpi.pk, version=version)
    if kpi.retired_on is not None:
        raise PerformanceError("This KPI has been retired and cannot be changed")
    changed = [name for name, value in fields.items() if getattr(kpi, name) != value]
    if not changed:
        return kpi
    for name in changed:
        setattr(kpi, name, fields[name])
    _check(kpi)
    return _save(kpi, by=by, reason="KPI changed: " + ", ".join(changed))


@transaction.atomic
def kpi_remove(*, kpi: Kpi, by, version: int | None = None, today=None) -> bool:
    """Retire a KPI that returns have reported against (its history stays
    with the returns), or delete one that has none. True if deleted."""
    kpi = concurrency.lock(Kpi.objects, pk=kpi.pk, version=version)
    if kpi.retired_on is not None:
        raise PerformanceError("This KPI has already been retired")
    kpi._history_user = by
    if not kpi.actuals.exists():
        kpi._change_reason = "KPI deleted: no returns had reported against it"
        kpi.delete()
        return True
    kpi.retired_on = today or timezone.localdate()
    kpi.most_material = False
    _save(kpi, by=by, reason="KPI retired")
    return False
