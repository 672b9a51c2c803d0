"""KPIs and returns made through the services, as a person would make them."""

from datetime import date
from decimal import Decimal

from performance import services

# ContractFactory's contracts start on 1 April 2024.
Q1 = (date(2025, 4, 1), date(2025, 6, 30))
Q2 = (date(2025, 7, 1), date(2025, 9, 30))
AFTER = date(2025, 12, 1)


def kpi_fields(**overrides):
    return {
        "name": "Tenancies sustained",
        "measure": "Tenancies sustained, as a percentage of tenancies",
        "unit": "%",
        "target": Decimal("95"),
        "direction": "higher",
        "tolerance": Decimal("3"),
        "frequency": "quarterly",
        "most_material": False,
        **overrides,
    }


def add_kpi(contract, by=None, **overrides):
    return services.kpi_add(contract=contract, by=by, **kpi_fields(**overrides))


def record(contract, by=None, period=Q1, values=None, today=AFTER):
    """A return for `period`; `values` maps KPI to actual (default: each
    KPI's target, i.e. met)."""
    kpis = contract.kpis.filter(retired_on__isnull=True)
    values = values or {}
    actuals = {k.pk: (values.get(k, k.target), "Provider's return") for k in kpis}
    return services.return_record(
        contract=contract,
        by=by,
        period_start=period[0],
        period_end=period[1],
        actuals=actuals,
        today=today,
    )


def review(monitoring_return, by, rating="good", today=AFTER, **extra):
    return services.return_review(
        monitoring_return=monitoring_return,
        by=by,
        overall_rating=rating,
        reviewed_on=today,
        today=today,
        **extra,
    )
