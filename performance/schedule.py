"""The monitoring calendar at work: each contract's returns are created as
its periods end, and the returns and reviews due or overdue join the daily
reminder sweep (contracts.services.reminders), which calls this module for
the days it covers, so days missed in an outage are caught up
(docs/decisions/0007-reminders-exactly-once.md, 0021-monitoring-calendar.md).

A return is created, status "due", on the first day swept after its period
ends. Periods that ended before the contract had KPIs are never asked for:
a KPI set today does not make last year's quarters overdue.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from contracts.constants import ReminderKind, ServiceArea
from contracts.models import Reminder, ServiceAreaSettings
from performance import calendar
from performance.constants import ReturnStatus
from performance.models import Kpi, MonitoringReturn

ONE_DAY = timedelta(days=1)
CREATED_REASON = "Monitoring period ended: return due"


def return_due_days(area: ServiceAreaSettings | None) -> int:
    return area.return_due_days if area is not None else calendar.RETURN_DUE_DAYS


def review_due_days(area: ServiceAreaSettings | None) -> int:
    return area.review_due_days if area is not None else calendar.REVIEW_DUE_DAYS


def return_url(monitoring_return: MonitoringReturn) -> str:
    """The return's page, where it is recorded and reviewed."""
    return reverse(
        "performance:return_detail", args=[monitoring_return.contract_id, monitoring_return.pk]
    )


def period_label(monitoring_return: MonitoringReturn) -> str:
    return f"{monitoring_return.period_start:%-d %b %Y} to {monitoring_return.period_end:%-d %b %Y}"


def returns_create_due(
    *, start: date, end: date, areas: dict[str, ServiceAreaSettings]
) -> list[MonitoringReturn]:
    """Create the return for every period of a contract with KPIs that ended
    by a day from `start` to `end` (its last day is the day before), in a
    constant number of queries. Running it again, or twice at once, creates
    nothing twice (one_return_per_contract_period)."""
    first, last = start - ONE_DAY, end - ONE_DAY
    candidates = _periods_ended(first, last, areas)
    if not candidates:
        return []
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _create(candidates)
        except IntegrityError:
            # Another sweep created some of them between our read and insert.
            if attempt == 2:
                raise
    return []  # pragma: no cover - the loop returns or raises


def _periods_ended(first: date, last: date, areas) -> list[MonitoringReturn]:
    kpis = Kpi.objects.filter(
        Q(retired_on=None) | Q(retired_on__gt=first),
        contract__is_draft=False,
        contract__start_date__lte=last,
        contract__current_end_date__gte=first,
    ).exclude(contract__terminated_on__lt=first)
    # Every period of any frequency ends at a financial quarter's end or at
    # the contract's end: on other days only contracts ending can be due.
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if not any(calendar.is_period_end(day, calendar.QUARTERLY) for day in days):
        kpis = kpis.filter(
            Q(contract__current_end_date__range=(first, last))
            | Q(contract__terminated_on__range=(first, last))
        )
    by_contract: dict[int, list] = defaultdict(list)
    contracts = {}
    rows = kpis.order_by().values_list(
        "contract_id", "contract__start_date", "contract__current_end_date",
        "contract__terminated_on", "contract__service_area", "frequency", "retired_on",
    )  # fmt: skip
    for contract_id, starts, ends, terminated, area, frequency, retired in rows:
        contracts[contract_id] = (starts, min(ends, terminated or ends), area)
        by_contract[contract_id].append((frequency, retired))

    wanted = []
    for contract_id, kpi_rows in by_contract.items():
        starts, ends, area = contracts[contract_id]
        frequency = calendar.most_frequent(f for f, _ in kpi_rows)
        due_days = return_due_days(areas.get(area))
        for period in calendar.periods_ending_between(starts, ends, frequency, first, last):
            # A KPI retired before the period ended does not ask for a return.
            if any(retired is None or retired > period.end for _, retired in kpi_rows):
                wanted.append(
                    MonitoringReturn(
                        contract_id=contract_id,
                        period_start=period.start,
                        period_end=period.end,
                        due_date=calendar.return_due_date(period.end, due_days),
                        status=ReturnStatus.DUE,
                    )
                )
    return wanted


def _create(candidates: list[MonitoringReturn]) -> list[MonitoringReturn]:
    # A period already covered, by the calendar's row or by a return an
    # officer recorded for a period of their own, is not asked for again.
    recorded = defaultdict(list)
    for contract_id, starts, ends in MonitoringReturn.objects.filter(
        contract_id__in={r.contract_id for r in candidates},
        period_end__gte=min(r.period_start for r in candidates),
        period_start__lte=max(r.period_end for r in candidates),
    ).values_list("contract_id", "period_start", "period_end"):
        recorded[contract_id].append((starts, ends))
    new = [
        r
        for r in candidates
        if not any(
            starts <= r.period_end and r.period_start <= ends
            for starts, ends in recorded[r.contract_id]
        )
    ]
    if not new:
        return []
    return bulk_create_with_history(new, MonitoringReturn, default_change_reason=CREATED_REASON)


@dataclass(frozen=True)
class ReturnReminder:
    monitoring_return: MonitoringReturn
    kind: str
    send_day: date
    deadline: date


def reminders_due(days: list[date], areas: dict[str, ServiceAreaSettings]) -> list[ReturnReminder]:
    """Every reminder about a return or its review that goes on one of
    `days`, in one query whatever the number of returns: the working-day
    rules are inverted into the deadlines due, and the database is asked for
    the returns with those deadlines (a review's, per service area)."""
    due = {deadline: day for day in days for deadline in calendar.deadlines_due_on(day)}
    overdue = {deadline: day for day in days for deadline in calendar.deadlines_overdue_on(day)}
    deadlines = set(due) | set(overdue)
    if not deadlines:
        return []
    # One index read (status, due date): the returns due on those days and
    # those whose review is, in any service area; filtered per area below.
    dates = set(deadlines)
    for area in ServiceArea.values:
        back = timedelta(days=review_due_days(areas.get(area)))
        dates.update(deadline - back for deadline in deadlines)
    fields = (
        "period_start", "period_end", "due_date", "status",
        "contract__reference", "contract__title", "contract__service_area",
        "contract__owner__email", "contract__owner__is_active",
    )  # fmt: skip
    returns = (
        MonitoringReturn.objects.filter(
            status__in=[ReturnStatus.DUE, ReturnStatus.SUBMITTED], due_date__in=dates
        )
        .select_related("contract__owner")
        .only(*fields)
    )
    found = []
    for monitoring_return in returns:
        review = calendar.review_due_date(
            monitoring_return.due_date,
            review_due_days(areas.get(monitoring_return.contract.service_area)),
        )
        checks = [
            (ReminderKind.REVIEW_DUE, due, review),
            (ReminderKind.REVIEW_OVERDUE, overdue, review),
        ]
        if monitoring_return.status == ReturnStatus.DUE:
            checks += [
                (ReminderKind.RETURN_DUE, due, monitoring_return.due_date),
                (ReminderKind.RETURN_OVERDUE, overdue, monitoring_return.due_date),
            ]
        for kind, days_by_deadline, deadline in checks:
            if deadline in days_by_deadline:
                found.append(
                    ReturnReminder(monitoring_return, kind, days_by_deadline[deadline], deadline)
                )
    return found


def reminder_still_applies(reminder: Reminder, today: date) -> str | None:
    """Why a reminder about a return no longer applies, or None if it does:
    the return came in (or was reviewed) after the sweep wrote it, or the
    deadline a "due" reminder is about passed while it waited (the overdue
    one goes instead)."""
    status = reminder.monitoring_return.status
    if reminder.kind in (ReminderKind.RETURN_DUE, ReminderKind.RETURN_OVERDUE):
        if status != ReturnStatus.DUE:
            return "The return was submitted."
    elif status == ReturnStatus.REVIEWED:
        return "The return was reviewed."
    due_kinds = (ReminderKind.RETURN_DUE, ReminderKind.REVIEW_DUE)
    if reminder.kind in due_kinds and reminder.event_date < today:
        return f"{reminder.event_date:%-d %B %Y} had passed before it could be sent."
    return None
