"""When reminders fall due: plain date rules, no Django.

A reminder due on a weekend or an English bank holiday is sent on the
working day before, so nobody learns on Monday of a deadline that passed on
Sunday.
"""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

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
        if self.months:
            return _plural(self.months, "month")
        if self.days == 0:
            return "on the day"
        if self.days % 7 == 0:
            return _plural(self.days // 7, "week")
        return _plural(self.days, "day")

    @property
    def notation(self) -> str:
        return f"{self.months}m" if self.months else f"{self.days}d"

    def events_reminded_on(self, raw_day: date) -> list[date]:
        """Every event date whose reminder this lead time puts on `raw_day`
        (before any move to a working day). Several at month ends: 28, 29,
        30 and 31 May less 3 months are all 28 February."""
        if not self.months:
            return [raw_day + timedelta(days=self.days)]
        year, month = divmod(raw_day.month - 1 + self.months, 12)
        anniversary = date(raw_day.year + year, month + 1, 1)
        # The event is in the month `months` later, on or after the same day.
        first = anniversary.replace(day=min(raw_day.day, _month_days(anniversary)))
        candidates = (first + timedelta(days=n) for n in range(4))
        return [
            day for day in candidates if day.month == first.month and self.before(day) == raw_day
        ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _month_days(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


# Defaults from the service design: a service area may set its own.
EXPIRY_LEAD_TIMES = (LeadTime(months=12), LeadTime(months=9), LeadTime(months=6),
                     LeadTime(months=3), LeadTime(days=30))  # fmt: skip
# Warnings 8 and 4 weeks before the extension decision deadline, and on the
# last working day for the decision.
DECISION_WARNINGS = (LeadTime(days=56), LeadTime(days=28), LeadTime(days=0))
# A request waiting this many full working days for a decision is chased.
EXTENSION_WAITING_WORKING_DAYS = 5

_LEAD_TIME = re.compile(r"^(\d{1,3})\s*(m|months?|d|days?|w|weeks?)$")


class LeadTimeError(ValueError):
    pass


def parse_lead_times(text: str) -> tuple[LeadTime, ...]:
    """`12m, 9m, 6m, 3m, 30d` (or "8 weeks") to lead times, longest first."""
    leads = set()
    for part in re.split(r"[,;]", text):
        part = part.strip().lower()
        if not part:
            continue
        match = _LEAD_TIME.match(part)
        if not match:
            raise LeadTimeError(
                f"“{part}” is not a lead time: write a number of months, weeks or days, "
                "such as 6m, 8w or 30d"
            )
        number, unit = int(match[1]), match[2][0]
        if unit == "m":
            if not 1 <= number <= 60:
                raise LeadTimeError(f"“{part}”: a lead time in months must be from 1 to 60")
            leads.add(LeadTime(months=number))
        else:
            days = number * 7 if unit == "w" else number
            if not 1 <= days <= 1825:
                raise LeadTimeError(f"“{part}”: a lead time in days must be from 1 to 1825")
            leads.add(LeadTime(days=days))
    if not leads:
        raise LeadTimeError("Enter at least one lead time, such as 3m")
    return tuple(sorted(leads, key=_length, reverse=True))


def _length(lead: LeadTime) -> int:
    return lead.months * 31 if lead.months else lead.days


def lead_times_notation(leads: Iterable[LeadTime]) -> str:
    return ", ".join(lead.notation for lead in leads)


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


def raw_days_sent_on(send_day: date) -> list[date]:
    """The days whose reminders are sent on `send_day`: the day itself and
    the weekend or bank holidays after it. None if it is not a working day."""
    if not is_working_day(send_day):
        return []
    days = [send_day]
    day = send_day + ONE_DAY
    while not is_working_day(day):
        days.append(day)
        day += ONE_DAY
    return days


class Due(NamedTuple):
    event: date
    send_day: date
    lead: LeadTime


def events_due(days: Iterable[date], lead_times: Iterable[LeadTime]) -> list[Due]:
    """Every reminder sent on any of `days`: its event date, send day and
    lead time. The inverse of `reminder_dates`, so a sweep can ask the
    database for exactly the events due instead of working out a date for
    every contract."""
    lead_times = tuple(lead_times)
    return [
        Due(event, send_day, lead)
        for send_day in days
        for raw_day in raw_days_sent_on(send_day)
        for lead in lead_times
        for event in lead.events_reminded_on(raw_day)
    ]


def waiting_reminder_day(requested_on: date) -> date:
    """The day a request still waiting is chased: the morning after it has
    waited EXTENSION_WAITING_WORKING_DAYS full working days."""
    return add_working_days(requested_on, EXTENSION_WAITING_WORKING_DAYS + 1)
