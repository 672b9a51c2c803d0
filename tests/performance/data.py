"""KPIs, returns and reviews for the contract page's tests, made directly:
what matters here is what the page shows, not how the rows were recorded."""

from datetime import date, timedelta
from decimal import Decimal

from contracts import terms
from performance.constants import KpiRating, PerformanceRating, ReturnStatus
from performance.models import Kpi, KpiActual, MonitoringReturn, Review

FIRST_QUARTER = date(2019, 4, 1)


def quarter(i: int) -> tuple[date, date]:
    start = terms.add_months(FIRST_QUARTER, 3 * i)
    return start, terms.add_months(start, 3) - timedelta(days=1)


def make_kpis(contract, n: int, **fields) -> list[Kpi]:
    return Kpi.objects.bulk_create(
        Kpi(
            contract=contract,
            name=fields.get("name", f"People supported to live independently {i + 1}"),
            measure=fields.get("measure", "Share of people with a support plan reviewed"),
            unit=fields.get("unit", "%"),
            target=fields.get("target", Decimal(90)),
            tolerance=fields.get("tolerance", Decimal(5)),
            direction=fields.get("direction", "higher"),
            order=i,
        )
        for i in range(n)
    )


def actual_for(k: int, q: int) -> Decimal | None:
    """A figure for KPI k in quarter q: now and then not reported."""
    if (k + q) % 7 == 3:
        return None
    return Decimal(80 + (k * 3 + q * 5) % 20) + Decimal("0.25")


def rating_for(actual: Decimal | None, target=Decimal(90), tolerance=Decimal(5)) -> str:
    if actual is None:
        return KpiRating.NOT_REPORTED
    if actual >= target:
        return KpiRating.GREEN
    return KpiRating.AMBER if actual >= target - tolerance else KpiRating.RED


def make_returns(contract, kpis, quarters: int, *, reviewer, rating=PerformanceRating.GOOD):
    """Reviewed quarterly returns, each with an actual for every KPI."""
    returns = MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            contract=contract,
            period_start=quarter(q)[0],
            period_end=quarter(q)[1],
            due_date=quarter(q)[1] + timedelta(days=30),
            status=ReturnStatus.REVIEWED,
        )
        for q in range(quarters)
    )
    KpiActual.objects.bulk_create(
        KpiActual(
            monitoring_return=r,
            kpi=kpi,
            actual=actual_for(k, q),
            rating=rating_for(actual_for(k, q), kpi.target, kpi.tolerance),
        )
        for q, r in enumerate(returns)
        for k, kpi in enumerate(kpis)
    )
    Review.objects.bulk_create(
        Review(
            monitoring_return=r,
            contract=contract,
            overall_rating=rating,
            other_reason="Reported late" if rating == PerformanceRating.OTHER else "",
            reviewed_on=r.due_date + timedelta(days=10),
            reviewed_by=reviewer,
        )
        for r in returns
    )
    return returns
