"""Contract changes (variations): the cumulative change against the value at
award, the Procurement Act's 10% flag, and the value schedule. Plain Python.

A contract's figures are the ones it was awarded with until an approved
change moves them from its effective date. The value schedule lists the
annual value (before uplift), the uplift and the funding split in force from
each effective date; the first entry is the award, from the start date.
Finance spreads each contract year's value over its days (decision 9), so
a change from 1 October counts from 1 October: the contract year is split
there, and each part takes its own annual value for its own days out of the
contract year's days.

The flag: under the Procurement Act 2023 a contract change notice (UK10) is
published before a modification, but not for one that alters the estimated
value by 10% or less (goods and services; 15% works) or the term by 10% or
less of the maximum term (s.75(2)); changes that could reasonably have been
made together are aggregated (s.75(4)-(5)); light-touch contracts need none
(s.75(6)(b)); see ss.74-77 and Sch 8.
So the approved changes are added up against the award, and a total of
more than 10% either way is flagged for the officer to consider.
See docs/decisions/0019-contract-changes-versus-edits.md.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from contracts import terms
from finance.years import Period

PENNY = Decimal("0.01")
# The Act's threshold for services (Sch 8 para 8): more than this needs a notice.
THRESHOLD_PERCENT = Decimal(10)


class ScheduleError(ValueError):
    """A value schedule or change the rules do not allow."""


@dataclass(frozen=True)
class ScheduleEntry:
    """The figures in force from `effective_from` until the next entry."""

    effective_from: date
    annual_value: Decimal
    uplift_percent: Decimal
    council_share_percent: Decimal = Decimal(100)
    icb_share_percent: Decimal = Decimal(0)
    other_share_percent: Decimal = Decimal(0)

    @property
    def shares(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.council_share_percent, self.icb_share_percent, self.other_share_percent)

    def text(self) -> str:
        figures = (self.annual_value, self.uplift_percent, *self.shares)
        return " ".join([self.effective_from.isoformat(), *(f"{Decimal(f):f}" for f in figures)])


def schedule_text(entries: Sequence[ScheduleEntry]) -> str:
    """The schedule as stored on the contract (and copied to its stored
    commitment, so a change to it makes the commitment out of date)."""
    return "\n".join(entry.text() for entry in entries)


def parse_schedule(text: str) -> tuple[ScheduleEntry, ...]:
    entries = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        day, *figures = line.split()
        if len(figures) != 5:
            raise ScheduleError(f"A schedule line needs a date and five figures: {line!r}")
        entries.append(ScheduleEntry(date.fromisoformat(day), *(Decimal(f) for f in figures)))
    return tuple(entries)


def check_schedule(entries: Sequence[ScheduleEntry], start: date) -> None:
    if not entries:
        return
    if entries[0].effective_from != start:
        raise ScheduleError("The schedule starts with the figures at award, on the start date")
    for before, after in pairwise(entries):
        if after.effective_from < before.effective_from:
            raise ScheduleError("Changes take effect in date order")


def in_force(entries: Sequence[ScheduleEntry], day: date) -> ScheduleEntry:
    """The last entry effective on or before `day`."""
    found = entries[0]
    for entry in entries:
        if entry.effective_from <= day:
            found = entry
    return found


def schedule_periods(
    start: date,
    months: int,
    entries: Sequence[ScheduleEntry],
    *,
    terminated_on: date | None = None,
) -> list[tuple[Period, ScheduleEntry]]:
    """The contract's first `months` months as periods for finance to spread
    over days, each with the entry in force: one a contract year, split at
    each effective date inside it. A part's annual value is its entry's value
    for that contract year (uplift compounded from the start, decision 5),
    and it takes its days out of the whole contract year's days."""
    check_schedule(entries, start)
    periods = []
    for first_month in range(0, months, 12):
        length = min(12, months - first_month)
        year_starts = terms.add_months(start, first_month)
        year_ends = terms.period_end(start, first_month + length)
        year_days = (year_ends - year_starts).days + 1
        if terminated_on is not None and year_starts > terminated_on:
            break
        cut = [e.effective_from for e in entries if year_starts < e.effective_from <= year_ends]
        starts_at = [year_starts, *cut]
        ends_at = [*(d - terms.ONE_DAY for d in cut), year_ends]
        for part_starts, part_ends in zip(starts_at, ends_at, strict=True):
            if terminated_on is not None:
                if part_starts > terminated_on:
                    break
                part_ends = min(part_ends, terminated_on)
            entry = in_force(entries, part_starts)
            value = terms.value_for_months(
                entry.annual_value,
                first_month=first_month,
                months=length,
                uplift_percent=entry.uplift_percent,
            )
            periods.append((Period(part_starts, part_ends, value, year_days), entry))
    return periods


def exact_value(period: Period) -> Decimal:
    days = (period.ends - period.starts).days + 1
    return Decimal(period.annual_value) * days / period.year_days


def schedule_value(start: date, months: int, entries: Sequence[ScheduleEntry]) -> Decimal:
    """The value of the first `months` months under the schedule, to the
    penny (rounded once, half up). With one entry this is exactly the
    register's months-based value (terms.value_for_months)."""
    total = sum((exact_value(p) for p, _ in schedule_periods(start, months, entries)), Decimal(0))
    return total.quantize(PENNY, ROUND_HALF_UP)


def funding_varies(entries: Sequence[ScheduleEntry]) -> bool:
    return len({entry.shares for entry in entries}) > 1


@dataclass(frozen=True)
class CumulativeChange:
    award: Decimal
    amount: Decimal  # pounds and pence, + for an increase
    percent: Decimal | None  # of the award, to 2 places; None when the award is 0
    over_threshold: bool

    @property
    def now(self) -> Decimal:
        return self.award + self.amount


def cumulative_change(award: Decimal, effects: Iterable[Decimal]) -> CumulativeChange:
    """The approved changes' effects added up against the value at award.

    More than 10% of the award either way is flagged (s.75(2) PA 2023: an
    increase or a decrease); exactly 10% is not. The effects are each to the
    penny already, so the total is too and does not depend on their order.
    """
    award = Decimal(award)
    amount = sum((Decimal(e) for e in effects), Decimal(0)).quantize(PENNY)
    if award == 0:
        return CumulativeChange(award, amount, None, amount != 0)
    percent = (amount * 100 / award).quantize(PENNY, ROUND_HALF_UP)
    over = abs(amount) * 100 > THRESHOLD_PERCENT * abs(award)
    return CumulativeChange(award, amount, percent, over)


def term_over_threshold(max_months_at_award: int, months_added: int) -> bool:
    """A term changed by more than 10% of the maximum term at award (s.75(2))."""
    return abs(months_added) * 100 > THRESHOLD_PERCENT * max_months_at_award
