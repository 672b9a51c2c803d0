"""The standstill before an awarded contract is entered into: plain date
rules, no Django.

Procurement Act 2023 s.51 (../shared/research/pa2023.md, notice UK6): the
mandatory standstill period is eight working days "beginning with" the day
the contract award notice is published, and the council may not enter into
the contract until it has ended. "Beginning with" counts that day itself as
day 1 when it is a working day (the Act's counting, pa2023.md "Counting"),
so a notice published on Tuesday 24 December 2024 gives a standstill ending
on Tuesday 7 January 2025. Light-touch contracts (most adult social care)
need no standstill; a council that keeps one voluntarily keeps it for at
least eight working days too. Either way the award records which it was.

A working day is a weekday that is not an English bank holiday, as every
reminder counts it (contracts.reminder_dates; the Act defines working days
in s.123).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from contracts.reminder_dates import is_working_day

WORKING_DAYS = 8  # s.51: the mandatory period, and the least a voluntary one may be
MOST_WORKING_DAYS = 60  # a plausible ceiling: three months of waiting is a typing slip


class StandstillError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def standstill_end(starts_on: date, working_days: int = WORKING_DAYS) -> date:
    """The last day of a standstill of `working_days` working days beginning
    with `starts_on` (counted as day 1 if it is a working day)."""
    if working_days < 1:
        raise StandstillError("A standstill lasts at least one working day.")
    day, counted = starts_on, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == working_days:
                return day
        day += timedelta(days=1)


@dataclass(frozen=True)
class Standstill:
    """What the award records: a standstill and its dates, or the reason for none."""

    applies: bool
    starts_on: date
    working_days: int | None = None
    ends_on: date | None = None
    reason: str = ""

    @property
    def earliest_start(self) -> date:
        """The first day the contract may begin: the day after the standstill."""
        return self.ends_on + timedelta(days=1) if self.applies else self.starts_on


def standstill_decide(
    *, applies: bool, starts_on: date, working_days: int = WORKING_DAYS, reason: str = ""
) -> Standstill:
    """The standstill an award records. Without one, the reason is required
    (the light-touch exemption, or another the Act allows)."""
    if not applies:
        reason = reason.strip()
        if not reason:
            raise StandstillError(
                "Enter why no standstill period applies, for example that this is a "
                "light-touch contract",
                field="no_standstill_reason",
            )
        return Standstill(applies=False, starts_on=starts_on, reason=reason)
    if not WORKING_DAYS <= working_days <= MOST_WORKING_DAYS:
        raise StandstillError(
            f"The standstill must be from {WORKING_DAYS} to {MOST_WORKING_DAYS} working days",
            field="standstill_days",
        )
    return Standstill(
        applies=True,
        starts_on=starts_on,
        working_days=working_days,
        ends_on=standstill_end(starts_on, working_days),
    )


def check_contract_start(standstill: Standstill, contract_starts_on: date) -> None:
    """A contract cannot begin before the council may enter into it."""
    if standstill.applies and contract_starts_on < standstill.earliest_start:
        raise StandstillError(
            f"The contract start date must be on or after "
            f"{standstill.earliest_start:%-d %B %Y}, the day after the standstill ends",
            field="start_date",
        )
