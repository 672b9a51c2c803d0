"""A contract's monitoring calendar: plain date rules, no Django.

Periods follow the council's financial year (1 April to 31 March), because
councils report to finance quarterly on that year and monitoring officers
line their returns up with it: quarters are April to June, July to
September, October to December and January to March; half-years April to
September and October to March. A contract starting or ending mid-period
gets a short first or last period, so the periods tile the contract exactly
(docs/decisions/0021-monitoring-calendar.md).

A period's return is due a set number of days after the period ends, and
its review a set number of days after that (both per service area). The
reminders about them go on working days, as every reminder does
(contracts.reminder_dates): "due" on the deadline or the working day before
it, "overdue" on the first working day after it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.reminder_dates import is_working_day, previous_working_day, raw_days_sent_on

ONE_DAY = timedelta(days=1)
FINANCIAL_YEAR_STARTS = 4  # April

# performance.constants.Frequency's values, with each period's length.
QUARTERLY, HALF_YEARLY, YEARLY = "quarterly", "half_yearly", "yearly"
PERIOD_MONTHS = {QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}

# Defaults a service area may change: a quarter's return 30 days after the
# quarter, its review 30 days after that.
RETURN_DUE_DAYS = 30
REVIEW_DUE_DAYS = 30


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start})")


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    extra, index = divmod(month - 1 + months, 12)
    return year + extra, index + 1


def financial_period(day: date, frequency: str) -> Period:
    """The whole financial quarter, half-year or year that `day` falls in."""
    months = PERIOD_MONTHS[frequency]
    into_year = (day.month - FINANCIAL_YEAR_STARTS) % 12
    year, month = _add_months(day.year, day.month, -(into_year % months))
    start = date(year, month, 1)
    next_year, next_month = _add_months(year, month, months)
    return Period(start, date(next_year, next_month, 1) - ONE_DAY)


def monitoring_periods(start: date, end: date, frequency: str) -> list[Period]:
    """The contract's periods from its start to its end (inclusive), in
    order: financial periods cut at the contract's start and end."""
    periods = []
    day = start
    while day <= end:
        whole = financial_period(day, frequency)
        periods.append(Period(day, min(whole.end, end)))
        day = whole.end + ONE_DAY
    return periods


def is_period_end(day: date, frequency: str) -> bool:
    """Whether a financial period of this frequency ends on `day`."""
    return financial_period(day, frequency).end == day


def most_frequent(frequencies: Iterable[str]) -> str | None:
    """The frequency a contract reports at: the most frequent of its KPIs'
    (one return covers every KPI). None when it has no KPIs: no returns."""
    found = set(frequencies)
    if not found:
        return None
    return min(found, key=PERIOD_MONTHS.__getitem__)


def return_due_date(period_end: date, days: int = RETURN_DUE_DAYS) -> date:
    """When the provider's return for a period is due: calendar days after
    the period's last day, as contracts word it ("within 30 days")."""
    if days < 1:
        raise ValueError("A return is due at least a day after its period ends")
    return period_end + timedelta(days=days)


def review_due_date(return_due: date, days: int = REVIEW_DUE_DAYS) -> date:
    """When the officer's review is due: calendar days after the return was due."""
    if days < 1:
        raise ValueError("A review is due at least a day after its return")
    return return_due + timedelta(days=days)


def due_reminder_day(deadline: date) -> date:
    """The "due" reminder goes on the deadline, or the working day before it."""
    return previous_working_day(deadline)


def overdue_reminder_day(deadline: date) -> date:
    """The "overdue" reminder goes on the first working day after the deadline."""
    day = deadline + ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def deadlines_due_on(send_day: date) -> list[date]:
    """Every deadline whose "due" reminder goes on `send_day` (the inverse of
    due_reminder_day): the day itself and the weekend or bank holidays after
    it. None if it is not a working day."""
    return raw_days_sent_on(send_day)


def deadlines_overdue_on(send_day: date) -> list[date]:
    """Every deadline whose "overdue" reminder goes on `send_day` (the
    inverse of overdue_reminder_day): the day before, and back over the
    weekend or bank holidays before it to the last working day."""
    if not is_working_day(send_day):
        return []
    day = send_day - ONE_DAY
    deadlines = [day]
    while not is_working_day(day):
        day -= ONE_DAY
        deadlines.append(day)
    return deadlines


def periods_ending_between(
    start: date, end: date, frequency: str, first: date, last: date
) -> list[Period]:
    """The contract's periods (as monitoring_periods gives them) whose last
    day is from `first` to `last`, without walking the whole contract: what
    a sweep covering those days has to create."""
    day = max(start, financial_period(first, frequency).start)
    found = []
    while day <= end:
        whole = financial_period(day, frequency)
        period = Period(day, min(whole.end, end))
        if period.end > last:
            break
        if period.end >= first:
            found.append(period)
        day = whole.end + ONE_DAY
    return found
