"""Reads for the performance section of the contract page.

`contract_performance` costs four queries whatever the number of KPIs and
returns: the contract page is read far more often than returns are
recorded, and a contract five years in has twenty KPIs by twenty returns.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from performance.charts import amber_band, format_measure, period_label
from performance.constants import ImprovementPlanStatus, KpiRating, ReturnStatus
from performance.models import ImprovementPlan, Kpi, MonitoringReturn, Review

# A KPI's rating as a GOV.UK tag colour; an actual not yet reviewed has none.
RATING_COLOURS = {
    KpiRating.GREEN: "green",
    KpiRating.AMBER: "yellow",
    KpiRating.RED: "red",
    KpiRating.NOT_REPORTED: "grey",
}
NOT_YET_REVIEWED = "Not yet reviewed"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    actual: Decimal | None
    actual_display: str
    # "" until the return is reviewed (the review fixes the rating).
    rating: str
    rating_label: str
    rating_colour: str


@dataclass
class KpiSeries:
    kpi: Kpi
    periods: list[Period] = field(default_factory=list)

    @property
    def target_display(self) -> str:
        return format_measure(self.kpi.target, self.kpi.unit)

    @property
    def amber_display(self) -> str:
        """ "" without a tolerance, else the figures still rated amber."""
        kpi = self.kpi
        if not kpi.tolerance:
            return ""
        low, high = amber_band(kpi.target, abs(kpi.tolerance), kpi.direction)
        return f"{format_measure(low, kpi.unit)} to {format_measure(high, kpi.unit)}"

    @property
    def latest(self) -> Period | None:
        return self.periods[-1] if self.periods else None


@dataclass
class ContractPerformance:
    kpis: list[KpiSeries]
    latest_review: Review | None
    improvement_plan: ImprovementPlan | None
    today: date

    @property
    def improvement_overdue(self) -> bool:
        plan = self.improvement_plan
        return plan is not None and plan.improve_by < self.today


def _period(kpi: Kpi, start: date, end: date, actual: Decimal | None, rating: str) -> Period:
    if rating:
        label, colour = KpiRating(rating).label, RATING_COLOURS[rating]
    elif actual is None:
        label, colour = KpiRating.NOT_REPORTED.label, RATING_COLOURS[KpiRating.NOT_REPORTED]
    else:
        label, colour = NOT_YET_REVIEWED, ""
    return Period(
        start=start,
        end=end,
        label=period_label(start, end),
        actual=actual,
        actual_display=format_measure(actual, kpi.unit),
        rating=rating,
        rating_label=label,
        rating_colour=colour,
    )


def contract_performance(contract, *, today: date | None = None) -> ContractPerformance:
    """The contract's KPIs, each with its actuals by period oldest first, the
    latest review and the open improvement plan.

    A period is on a KPI's chart when its return has a row for the KPI (an
    empty actual is "not reported"), or when the return is overdue and the
    provider has sent nothing: a gap for every KPI still in force then. A
    submitted return without a row for a KPI did not ask for it (a yearly
    KPI in a quarter, or a KPI added later), so that period is left off.
    """
    today = today or timezone.localdate()
    kpis = list(
        Kpi.objects.filter(contract=contract).order_by(
            F("retired_on").asc(nulls_first=True), "order", "pk"
        )
    )
    rows = (
        MonitoringReturn.objects.filter(contract=contract)
        .order_by("period_start")
        .values_list(
            "pk",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "actuals__kpi_id",
            "actuals__actual",
            "actuals__rating",
        )
    )
    returns: dict[int, tuple[date, date, bool, dict]] = {}
    for pk, start, end, due, status, kpi_id, actual, rating in rows:
        if pk not in returns:
            overdue = status == ReturnStatus.DUE and due < today
            returns[pk] = (start, end, overdue, {})
        if kpi_id is not None:
            returns[pk][3][kpi_id] = (actual, rating)

    series = [KpiSeries(kpi) for kpi in kpis]
    for start, end, overdue, actuals in returns.values():
        for item in series:
            kpi = item.kpi
            if kpi.pk in actuals:
                item.periods.append(_period(kpi, start, end, *actuals[kpi.pk]))
            elif overdue and not actuals and (kpi.retired_on is None or kpi.retired_on > start):
                item.periods.append(_period(kpi, start, end, None, ""))

    latest_review = (
        Review.objects.filter(contract=contract)
        .select_related("monitoring_return")
        .order_by("-reviewed_on", "-pk")
        .first()
    )
    plan = (
        ImprovementPlan.objects.filter(contract=contract, status=ImprovementPlanStatus.OPEN)
        .order_by("-warned_on", "-pk")
        .first()
    )
    return ContractPerformance(
        kpis=series, latest_review=latest_review, improvement_plan=plan, today=today
    )
