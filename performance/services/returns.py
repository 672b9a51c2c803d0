"""Recording a monitoring return (each current KPI's actual and evidence)
and reviewing it: each KPI's rating fixed from its target and tolerance, and
the overall rating on the Procurement Act's scale."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import concurrency
from performance import ratings
from performance.constants import PerformanceRating, ReturnStatus
from performance.models import KpiActual, MonitoringReturn, Review
from performance.services.kpis import PerformanceError, current_kpis, lock_contract


def _return_due_days(contract) -> int:
    from contracts.models import ServiceAreaSettings
    from performance.schedule import return_due_days

    area = ServiceAreaSettings.objects.filter(service_area=contract.service_area).first()
    return return_due_days(area)


def _period(start: date, end: date) -> str:
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def period_of(monitoring_return) -> str:
    return _period(monitoring_return.period_start, monitoring_return.period_end)


def _check_period(contract, start: date, end: date, *, today: date, existing_pk=None) -> None:
    if end < start:
        raise PerformanceError("The period must end after it starts", field="period_end")
    if end > today:
        raise PerformanceError(
            "The period has not ended yet: record its return once it has", field="period_end"
        )
    if end < contract.start_date or start > contract.current_end_date:
        raise PerformanceError(
            "The period must fall within the contract, "
            + _period(contract.start_date, contract.current_end_date),
            field="period_start",
        )
    clash = (
        MonitoringReturn.objects.filter(
            contract=contract, period_start__lte=end, period_end__gte=start
        )
        .exclude(pk=existing_pk)
        .exclude(status=ReturnStatus.DUE, period_start=start, period_end=end)
        .first()
    )
    if clash is not None and clash.status == ReturnStatus.DUE:
        # The calendar's period differs from the one typed: record that one,
        # rather than two returns covering the same weeks.
        raise PerformanceError(
            f"The contract's calendar has a return due for {period_of(clash)}: "
            "record the return for that period from the contract's KPIs and returns",
            field="period_start",
        )
    if clash is not None:
        raise PerformanceError(
            f"A return for {period_of(clash)} has already been recorded: "
            "open it from the contract's KPIs and returns",
            field="period_start",
        )


def _clean_actual(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("Pass the actual as a Decimal, not a float")
    return Decimal(value)


@transaction.atomic
def return_record(
    *,
    contract,
    by,
    actuals: dict,
    period_start: date | None = None,
    period_end: date | None = None,
    monitoring_return: MonitoringReturn | None = None,
    version: int | None = None,
    today: date | None = None,
) -> MonitoringReturn:
    """Record what the provider reported for a period: `actuals` maps each
    current KPI's pk to (actual or None for not reported, evidence).

    Either fills in a due return the contract's calendar made
    (`monitoring_return`, with the `version` the page showed), or records one
    for the period the officer gives; a period that already has a return is
    refused."""
    today = today or timezone.localdate()
    contract = lock_contract(contract)
    if monitoring_return is not None:
        monitoring_return = concurrency.lock(
            MonitoringReturn.objects.filter(contract=contract), pk=monitoring_return.pk,
            version=version,
        )  # fmt: skip
        if monitoring_return.status != ReturnStatus.DUE:
            raise PerformanceError(
                f"The return for {period_of(monitoring_return)} has already been recorded"
            )
        period_start, period_end = monitoring_return.period_start, monitoring_return.period_end
    elif period_start is None or period_end is None:
        raise PerformanceError("Enter the period the return covers", field="period_start")
    _check_period(
        contract,
        period_start,
        period_end,
        today=today,
        existing_pk=monitoring_return.pk if monitoring_return else None,
    )
    if monitoring_return is None:
        # A due row for exactly this period, made by the calendar: fill it in.
        monitoring_return = (
            MonitoringReturn.objects.select_for_update()
            .filter(contract=contract, period_start=period_start, period_end=period_end)
            .first()
        ) or MonitoringReturn(
            contract=contract,
            period_start=period_start,
            period_end=period_end,
            # As the calendar would have made it: the service area's setting.
            due_date=period_end + timedelta(days=_return_due_days(contract)),
        )
    kpis = list(current_kpis(contract))
    if not kpis:
        raise PerformanceError("Set the contract's KPIs before recording a return")
    expected = {kpi.pk for kpi in kpis}
    if set(actuals) != expected:
        raise PerformanceError(
            "The KPIs have changed since you opened the page. Open it again and enter the return."
        )
    monitoring_return.status = ReturnStatus.SUBMITTED
    monitoring_return.submitted_at = timezone.now()
    monitoring_return.submitted_by = by
    monitoring_return._history_user = by
    monitoring_return._change_reason = "Return recorded"
    concurrency.save_next_version(monitoring_return)
    for kpi in kpis:
        actual, evidence = actuals[kpi.pk]
        row = KpiActual(
            monitoring_return=monitoring_return,
            kpi=kpi,
            actual=_clean_actual(actual),
            evidence=evidence or "",
        )
        row._history_user = by
        row.save()
    return monitoring_return


def derived_ratings(monitoring_return: MonitoringReturn) -> dict[int, str]:
    """Each actual's rating against its KPI's target and tolerance now, by
    KpiActual pk: what the review will fix. Expects `actuals` prefetched
    with their KPIs to keep the page's queries flat."""
    return {
        row.pk: ratings.kpi_rating(
            row.actual,
            target=row.kpi.target,
            direction=row.kpi.direction,
            tolerance=row.kpi.tolerance,
        )
        for row in monitoring_return.actuals.all()
    }


@transaction.atomic
def return_review(
    *,
    monitoring_return: MonitoringReturn,
    by,
    overall_rating: str,
    reviewed_on: date,
    other_reason: str = "",
    meeting_notes: str = "",
    care_manager_reviews: str = "",
    version: int | None = None,
    today: date | None = None,
) -> Review:
    """The officer's review: fixes each KPI's rating as it stands against
    today's target (a later change of target does not re-rate it) and gives
    the overall rating on the Procurement Act's scale."""
    today = today or timezone.localdate()
    monitoring_return = concurrency.lock(
        MonitoringReturn.objects, pk=monitoring_return.pk, version=version
    )
    if monitoring_return.status == ReturnStatus.REVIEWED:
        raise PerformanceError("This return has already been reviewed")
    if monitoring_return.status != ReturnStatus.SUBMITTED:
        raise PerformanceError("Record the return before reviewing it")
    if overall_rating not in PerformanceRating.values:
        raise PerformanceError("Select the overall rating", field="overall_rating")
    other_reason = (other_reason or "").strip()
    if ratings.needs_reason(overall_rating) and not other_reason:
        raise PerformanceError("Enter why the rating is Other", field="other_reason")
    if not ratings.needs_reason(overall_rating):
        other_reason = ""
    if reviewed_on > today:
        raise PerformanceError("The review date must be today or in the past", field="reviewed_on")
    if reviewed_on < monitoring_return.period_end:
        raise PerformanceError(
            f"The review date must be after the period ends "
            f"({monitoring_return.period_end:%-d %B %Y})",
            field="reviewed_on",
        )
    rows = list(monitoring_return.actuals.select_related("kpi").select_for_update(of=("self",)))
    for row in rows:
        row.rating = ratings.kpi_rating(
            row.actual, target=row.kpi.target, direction=row.kpi.direction,
            tolerance=row.kpi.tolerance,
        )  # fmt: skip
        row._history_user = by
        row._change_reason = "Rated at review"
        row.save(update_fields=["rating"])
    monitoring_return.status = ReturnStatus.REVIEWED
    monitoring_return._history_user = by
    monitoring_return._change_reason = "Reviewed"
    concurrency.save_next_version(monitoring_return)
    review = Review(
        monitoring_return=monitoring_return,
        contract_id=monitoring_return.contract_id,
        overall_rating=overall_rating,
        other_reason=other_reason,
        meeting_notes=meeting_notes or "",
        care_manager_reviews=care_manager_reviews or "",
        reviewed_on=reviewed_on,
        reviewed_by=by,
    )
    review._history_user = by
    review._change_reason = f"Reviewed: {ratings.pa_rating_label(overall_rating)}"
    review.save()
    return review
