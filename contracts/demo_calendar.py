"""When the demo's story happens: the council papers' dates, moved so the
register looks like today's (docs/decisions/0033-demo-dates-move-with-today.md).

Plain date rules, no Django. The papers' story is moved forward (or back) by
a whole number of months, the same for every date in it, so each paper's
durations (3+2+2 years, a five-year purchasing system, three months'
notice), days of the month and figures stay exact. The number of months is
the one that puts the day the demo is loaded ("as of") in the last weeks
before the ILSS contracts' second extension decision, which is the busiest
moment of the papers' story: both ILSS contracts and the Sefton call-off
live, one ILSS option taken, the next due, Sefton's first option taken.
"""

from dataclasses import dataclass
from datetime import date

from contracts import terms

# Sefton, Cabinet paper (ILSS): "commence on 1 July 2019, for a three year
# period with an option to extend on a two-yearly basis ... (i.e. 3+2+2)".
ILSS_START = date(2019, 7, 1)
ILSS_TERM = "3+2+2"
NOTICE_MONTHS = 3  # the register's default; the papers give none
# The option whose decision the demo is always just before: the second.
ILSS_OPTION_DUE = 2


def _moved(day: date, months: int) -> date:
    return terms.add_months(day, months) if months >= 0 else terms.months_before(day, -months)


def ilss_decision_deadline(start: date, option: int) -> date:
    """The deadline for deciding on `option` (1 for the first) of a 3+2+2
    contract from `start`: its end before that option, less the notice."""
    end = terms.Term.parse(ILSS_TERM).end_after(start, option - 1)
    return terms.decision_deadline(end, NOTICE_MONTHS)


def months_moved(as_of: date) -> int:
    """The fewest months to move the papers' dates by for the ILSS second
    decision to fall on or after `as_of`: the end of the month `as_of` is
    in, or, on the few days a month's deadline is before its last day (30
    March for a 30 June end), the end of the next month."""
    # 56 months after the start is the month the second deadline falls in.
    months = (as_of.year - ILSS_START.year) * 12 + as_of.month - ILSS_START.month - 56
    while ilss_decision_deadline(_moved(ILSS_START, months), ILSS_OPTION_DUE) < as_of:
        months += 1
    return months


@dataclass(frozen=True)
class DemoCalendar:
    """The demo's dates as of one day."""

    as_of: date
    months: int

    @classmethod
    def as_of_day(cls, as_of: date) -> "DemoCalendar":
        return cls(as_of=as_of, months=months_moved(as_of))

    def moved(self, paper_day: date) -> date:
        """A date from the papers, moved into the demo's story."""
        return _moved(paper_day, self.months)

    @property
    def ilss_start(self) -> date:
        return self.moved(ILSS_START)

    def ilss_deadline(self, option: int) -> date:
        return ilss_decision_deadline(self.ilss_start, option)
