"""Reads of a contract's KPIs, returns and reviews, each a fixed number of
queries however many KPIs and returns the contract has.

`contract_performance`, for the contract page's performance section, costs
three: the contract page is read far more often than returns are recorded,
and a contract five years in has twenty KPIs by twenty returns.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Prefetch
from django.utils import timezone

from performance import ratings
from performance.charts import amber_band, format_measure, measure_formatter, period_label
from performance.constants import (
    ImprovementPlanStatus,
    KpiRating,
    PerformanceRating,
    ReturnStatus,
)
from performance.models import ImprovementPlan, Kpi, KpiActual, KpiTemplate, MonitoringReturn
from performance.selectors_failures import latest_plan

# A KPI's rating as a GOV.UK tag colour; an actual not yet reviewed has none.
RATING_COLOURS = ratings.KPI_RATING_TAG_COLOURS
NOT_YET_REVIEWED = "Not yet reviewed"


class _ReadByKey:
    """Django's templates try `obj[name]` before `obj.name`; on a plain
    object each try raises and catches an exception, which costs more than
    printing the value. A contract's figures are hundreds of table cells."""

    __slots__ = ()

    def __getitem__(self, name):
        return getattr(self, name)


@dataclass(slots=True)
class Period(_ReadByKey):
    start: date
    end: date
    label: str
    actual: Decimal | None
    actual_display: str
    # "" until the return is reviewed (the review fixes the rating).
    rating: str
    rating_label: str
    rating_colour: str


@dataclass(slots=True)
class KpiSeries(_ReadByKey):
    kpi: Kpi
    periods: list[Period] = field(default_factory=list)
    # Printed on every row of the KPI's table: worked out once.
    target_display: str = ""

    def __post_init__(self):
        self.target_display = format_measure(self.kpi.target, self.kpi.unit)

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


@dataclass(slots=True)
class LatestReview(_ReadByKey):
    """The latest review's verdict and the period it was of."""

    overall_rating: str
    overall_rating_label: str
    other_reason: str
    reviewed_on: date
    period_start: date
    period_end: date


@dataclass(slots=True)
class ContractPerformance(_ReadByKey):
    kpis: list[KpiSeries]
    latest_review: LatestReview | None
    improvement_plan: ImprovementPlan | None  # the open one
    latest_plan: ImprovementPlan | None  # open, else the latest closed
    today: date

    @property
    def improvement_overdue(self) -> bool:
        plan = self.improvement_plan
        return plan is not None and plan.improve_by < self.today


RATING_LABELS = dict(KpiRating.choices)


# (rating, reported?) -> the rating cell's words and tag colour.
RATING_CELLS = {
    **{
        (r, reported): (RATING_LABELS[r], RATING_COLOURS[r])
        for r in KpiRating
        for reported in (True, False)
    },
    ("", True): (NOT_YET_REVIEWED, ""),
    ("", False): (RATING_LABELS[KpiRating.NOT_REPORTED], RATING_COLOURS[KpiRating.NOT_REPORTED]),
}


def _period(measure, start: date, end: date, label: str, actual, rating: str) -> Period:
    # Positional: made once for each KPI in each period, hundreds a page.
    return Period(
        start,
        end,
        label,
        actual,
        measure(actual),
        rating,
        *RATING_CELLS[rating, actual is not None],
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
    # The reviews come with their returns: one query fewer on every view
    # of the contract page than asking for the latest on its own.
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
            "review__id",
            "review__reviewed_on",
            "review__overall_rating",
            "review__other_reason",
        )
    )
    returns: dict[int, tuple[date, date, str, bool, dict]] = {}
    latest, latest_key = None, None
    for pk, start, end, due, status, kpi_id, actual, rating, *review in rows:
        if pk not in returns:
            overdue = status == ReturnStatus.DUE and due < today
            returns[pk] = (start, end, period_label(start, end), overdue, {})
            review_id, reviewed_on, overall, other_reason = review
            if review_id is not None and (
                latest_key is None or (reviewed_on, review_id) > latest_key
            ):
                latest_key = (reviewed_on, review_id)
                latest = LatestReview(
                    overall_rating=overall,
                    overall_rating_label=PerformanceRating(overall).label,
                    other_reason=other_reason,
                    reviewed_on=reviewed_on,
                    period_start=start,
                    period_end=end,
                )
        if kpi_id is not None:
            returns[pk][4][kpi_id] = (actual, rating)

    series = [KpiSeries(kpi) for kpi in kpis]
    each = [
        (s.periods.append, s.kpi.id, s.kpi.retired_on, measure_formatter(s.kpi.unit))
        for s in series
    ]
    for start, end, label, overdue, actuals in returns.values():
        for add, kpi_id, retired_on, measure in each:
            if kpi_id in actuals:
                add(_period(measure, start, end, label, *actuals[kpi_id]))
            elif overdue and not actuals and (retired_on is None or retired_on > start):
                add(_period(measure, start, end, label, None, ""))

    # Read once for the page: the failures card shows it too.
    plan = latest_plan(contract)
    is_open = plan is not None and plan.status == ImprovementPlanStatus.OPEN
    return ContractPerformance(
        kpis=series,
        latest_review=latest,
        improvement_plan=plan if is_open else None,
        latest_plan=plan,
        today=today,
    )


def contract_kpis(contract):
    """Every KPI on the contract, current first, each with how many returns
    have reported against it (which decides retire versus delete)."""
    return list(
        Kpi.objects.filter(contract=contract)
        .annotate(return_count=Count("actuals"))
        .order_by("retired_on", "order", "pk")
    )


def contract_returns(contract):
    """The contract's returns, latest period first, with their reviews."""
    return list(
        MonitoringReturn.objects.filter(contract=contract)
        .select_related("review", "submitted_by")
        .order_by("-period_start")
    )


def return_detail(contract, pk) -> MonitoringReturn:
    """One return with its actuals, their KPIs and its review (raises
    MonitoringReturn.DoesNotExist)."""
    actuals = KpiActual.objects.select_related("kpi").order_by("kpi__order", "kpi__pk")
    return (
        MonitoringReturn.objects.select_related(
            "contract", "submitted_by", "review", "review__reviewed_by"
        )
        .prefetch_related(Prefetch("actuals", queryset=actuals))
        .get(contract=contract, pk=pk)
    )


def templates_for(service_area):
    return list(KpiTemplate.objects.filter(service_area=service_area).order_by("order", "name"))
