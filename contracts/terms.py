"""Contract term arithmetic: notation, end dates, decision deadlines and values.

Plain Python on purpose: views, services and reports all share these rules, and
the rules are the ones in docs/decisions/0005-contract-term-arithmetic.md.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

ONE_DAY = timedelta(days=1)
PENNY = Decimal("0.01")
# Longer than any care contract we have seen; it catches 36 typed for 3 years.
MAX_TERM_MONTHS = 50 * 12

EXPECTED_NOTATION = "Enter the term like 3+2+2 (years) or 36m+12m+12m (months)"
_ZERO_PERIOD = "Each period in the term must be at least 1 month"
_TOO_LONG = "The term must be 50 years or less in total, including extension options"

# One '+'-separated part: "3", "3y", "36m", or a repeated option "5x1m" / "2 x 12m".
_PART = re.compile(r"(?:(?P<count>[0-9]+)\s*[x×]\s*)?(?P<length>[0-9]+)\s*(?P<unit>[ym])?", re.I)


class TermError(ValueError):
    """A term, extension request or value that the council's rules do not allow."""


def add_months(start: date, months: int) -> date:
    """The anniversary of `start` after `months` months."""
    if months < 0:
        raise TermError("A period cannot be a negative number of months")
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    try:
        if start.day <= calendar.monthrange(year, month)[1]:
            return date(year, month, start.day)
        # 31 April or 29 February 2021 does not exist: the anniversary is the 1st
        # of the next month, so the period still ends on the last day of this one.
        return date(year, month, 1) + timedelta(days=calendar.monthrange(year, month)[1])
    except (ValueError, OverflowError) as error:
        raise TermError("The term runs past the year 9999") from error


def period_end(start: date, months: int) -> date:
    """Last day of a period of `months` months that starts on `start`."""
    if months < 1:
        raise TermError(_ZERO_PERIOD)
    return add_months(start, months) - ONE_DAY


def _whole_number(digits: str) -> int:
    # Anything this long is over the maximum anyway, and int() of thousands of
    # digits raises a ValueError of its own.
    if len(digits.lstrip("0")) > 4:
        raise TermError(_TOO_LONG)
    return int(digits)


@dataclass(frozen=True)
class Term:
    initial_months: int
    option_months: tuple[int, ...] = ()

    def __post_init__(self):
        # Lists would make the frozen term unhashable and mutable underneath.
        object.__setattr__(self, "option_months", tuple(self.option_months))
        periods = (self.initial_months, *self.option_months)
        if any(isinstance(p, bool) or not isinstance(p, int) for p in periods):
            raise TermError("Each period in the term must be a whole number of months")
        if min(periods) < 1:
            raise TermError(_ZERO_PERIOD)
        if sum(periods) > MAX_TERM_MONTHS:
            raise TermError(_TOO_LONG)

    @classmethod
    def parse(cls, notation: str) -> "Term":
        if not isinstance(notation, str):
            raise TermError(EXPECTED_NOTATION)
        periods: list[int] = []
        total = 0
        for position, part in enumerate(notation.split("+")):
            match = _PART.fullmatch(part.strip())
            if match is None:
                raise TermError(EXPECTED_NOTATION)
            count = 1 if match["count"] is None else _whole_number(match["count"])
            if count > 1 and position == 0:
                raise TermError("Only extension options can be repeated, like 3+2x1")
            # Officers write bare numbers for years: "3+2+2".
            in_months = (match["unit"] or "y").lower() == "m"
            length = _whole_number(match["length"]) * (1 if in_months else 12)
            if count < 1 or length < 1:
                raise TermError(_ZERO_PERIOD)
            # Checked before expanding, so "3+99999x1" cannot build a huge tuple.
            total += count * length
            if total > MAX_TERM_MONTHS:
                raise TermError(_TOO_LONG)
            periods.extend([length] * count)
        return cls(initial_months=periods[0], option_months=tuple(periods[1:]))

    @property
    def notation(self) -> str:
        periods = (self.initial_months, *self.option_months)
        if all(p % 12 == 0 for p in periods):
            return "+".join(str(p // 12) for p in periods)
        return "+".join(f"{p}m" for p in periods)

    @property
    def total_months(self) -> int:
        return self.initial_months + sum(self.option_months)

    def _check_options_taken(self, options_taken: int) -> None:
        available = len(self.option_months)
        if not 0 <= options_taken <= available:
            raise TermError(
                f"The term has {available} extension option{'s' if available != 1 else ''};"
                f" {options_taken} cannot have been taken"
            )

    def months_after(self, options_taken: int) -> int:
        self._check_options_taken(options_taken)
        return self.initial_months + sum(self.option_months[:options_taken])

    def initial_end(self, start: date) -> date:
        return self.end_after(start, 0)

    def end_after(self, start: date, options_taken: int) -> date:
        # Counted from the contract start, never chained from the previous end, so
        # a 31 January start does not drift to the 28th after passing February.
        return period_end(start, self.months_after(options_taken))

    def max_end(self, start: date) -> date:
        return self.end_after(start, len(self.option_months))

    def option_periods(self, start: date) -> list[tuple[date, date]]:
        return [
            (add_months(start, self.months_after(n)), self.end_after(start, n + 1))
            for n in range(len(self.option_months))
        ]

    def options_remaining(self, options_taken: int) -> int:
        self._check_options_taken(options_taken)
        return len(self.option_months) - options_taken


def months_to(start: date, end: date) -> int:
    """The fewest whole months from `start` whose period covers `end`: the
    months paid for when a contract ends early on `end`."""
    if end < start:
        raise TermError("The end is before the start")
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    while months > 1 and period_end(start, months - 1) >= end:
        months -= 1
    while period_end(start, months) < end:
        months += 1
    return months


def months_before(day: date, months: int) -> date:
    """The same day of the month, `months` earlier; a day the earlier month
    lacks falls to its last day (31 December less 6 months is 30 June)."""
    if months < 0:
        raise TermError("The number of months cannot be negative")
    year, month = divmod(day.month - 1 - months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def decision_deadline(current_end: date, notice_months: int) -> date:
    """The current end minus the notice period, as the council papers put it:
    30 June 2022 with 3 months' notice gives 30 March 2022."""
    if notice_months < 0:
        raise TermError("The notice period cannot be negative")
    return months_before(current_end, notice_months)


def most_options_per_request(term: Term, *, options_taken: int, may_take_together: bool) -> int:
    """The largest request allowed now: every remaining option if they may be
    taken together, else one."""
    remaining = term.options_remaining(options_taken)
    return remaining if may_take_together else min(remaining, 1)


def check_extension_request(
    term: Term, *, options_taken: int, options_requested: int, may_take_together: bool
) -> None:
    """Options are taken in order, so a request is always "the next k options"."""
    if options_requested < 1:
        raise TermError("Request at least 1 extension option")
    remaining = term.options_remaining(options_taken)
    if remaining == 0:
        raise TermError("No extension options remain on this contract")
    if options_requested > remaining:
        raise TermError(
            f"Only {remaining} extension option{'s' if remaining != 1 else ''} remain"
            f"{'s' if remaining == 1 else ''} on this contract"
        )
    # Sefton: the two 12-month options may be taken "either as a whole or as two
    # separate twelve-month periods"; most contracts allow only one at a time.
    if options_requested > 1 and not may_take_together:
        raise TermError("This contract's extension options must be taken one at a time")


def _as_money(value: Decimal, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"Pass the {what} as a Decimal, not a float")
    value = Decimal(value)
    if not value.is_finite():
        raise TermError(f"Enter the {what} as a number")
    return value


def _value_before(annual_value: Decimal, uplift_percent: Decimal, month: int) -> Decimal:
    """Unrounded value of contract months 0 .. month-1."""
    factor = 1 + uplift_percent / 100
    year_weight = Decimal(1)  # avoids Decimal(0) ** 0 when the uplift is -100%
    weighted_months = Decimal(0)
    for contract_year in range(0, month, 12):
        weighted_months += min(12, month - contract_year) * year_weight
        year_weight *= factor
    # Multiply before dividing by 12 so whole years stay exact.
    return annual_value * weighted_months / 12


def value_for_months(
    annual_value: Decimal, *, first_month: int, months: int, uplift_percent: Decimal = Decimal(0)
) -> Decimal:
    """Pro rata by months, uplift compounded each contract year, to the penny.

    The rounded value of the months so far is subtracted from the rounded value
    to the end, so that pieces (initial period, each approval) always add up to
    the whole-life value exactly; see decision 0005.
    """
    annual_value = _as_money(annual_value, "annual value")
    uplift_percent = _as_money(uplift_percent, "uplift")
    if annual_value < 0:
        raise TermError("The annual value cannot be negative")
    if uplift_percent < -100:
        raise TermError("The uplift cannot be less than -100%")
    if first_month < 0 or months < 0:
        raise TermError("Months are counted forwards from the contract start")
    # Enough digits that 50 years of compounding cannot round before the penny does.
    with localcontext() as context:
        context.prec = 60
        to_end = _value_before(annual_value, uplift_percent, first_month + months)
        before = _value_before(annual_value, uplift_percent, first_month)
        return to_end.quantize(PENNY, ROUND_HALF_UP) - before.quantize(PENNY, ROUND_HALF_UP)


def whole_life_value(
    term: Term, annual_value: Decimal, uplift_percent: Decimal = Decimal(0)
) -> Decimal:
    return value_for_months(
        annual_value, first_month=0, months=term.total_months, uplift_percent=uplift_percent
    )


def value_to(
    term: Term, annual_value: Decimal, options_taken: int, uplift_percent: Decimal = Decimal(0)
) -> Decimal:
    return value_for_months(
        annual_value,
        first_month=0,
        months=term.months_after(options_taken),
        uplift_percent=uplift_percent,
    )


def option_value(
    term: Term,
    annual_value: Decimal,
    *,
    options_taken: int,
    options_requested: int,
    uplift_percent: Decimal = Decimal(0),
) -> Decimal:
    """Value of the next `options_requested` options: what a manager approves."""
    check_extension_request(
        term,
        options_taken=options_taken,
        options_requested=options_requested,
        may_take_together=True,
    )
    first_month = term.months_after(options_taken)
    return value_for_months(
        annual_value,
        first_month=first_month,
        months=term.months_after(options_taken + options_requested) - first_month,
        uplift_percent=uplift_percent,
    )
