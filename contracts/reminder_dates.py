"""When reminders fall due: plain date rules, no Django (issue 5 builds the
sweep and the sending on these).

A reminder due on a weekend or an English bank holiday is sent on the
working day before, so nobody learns on Monday of a deadline that passed on
Sunday.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from contracts import terms

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class LeadTime:
    """How long before an event a reminder goes: months, or days if set."""

    months: int = 0
    days: int = 0

    def before(self, event: date) -> date:
        if self.days:
            return event - timedelta(days=self.days)
        return terms.months_before(event, self.months)

    @property
    def label(self) -> str:
        if self.days:
            return f"{self.days} days"
        return f"{self.months} months"


# Defaults from the service design: a service area may set its own.
EXPIRY_LEAD_TIMES = (LeadTime(months=12), LeadTime(months=9), LeadTime(months=6),
                     LeadTime(months=3), LeadTime(days=30))  # fmt: skip
DECISION_WARNINGS = (LeadTime(days=56), LeadTime(days=28))  # 8 and 4 weeks


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def previous_working_day(day: date) -> date:
    """The day itself if it is a working day, else the last one before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def add_working_days(day: date, count: int) -> date:
    """`count` working days after `day` (weekends and bank holidays skipped)."""
    while count > 0:
        day += ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def reminder_dates(event: date, lead_times: Iterable[LeadTime]) -> list[tuple[str, date]]:
    """(lead time label, send date) for each lead time before `event`,
    moved back to a working day."""
    return [(lead.label, previous_working_day(lead.before(event))) for lead in lead_times]
