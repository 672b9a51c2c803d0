"""Financial years and commitments by financial year. Plain Python.

A council's financial year runs from 1 April to 31 March; "2019/20" starts
on 1 April 2019. A contract's value is committed day by day: each contract
year's annual value (with any uplift) is spread evenly over the days of that
contract year, and each financial year takes the days it contains. A
contract starting 1 July 2019 puts 275 of the 366 days of its first year
(to 30 June 2020, which includes 29 February) into 2019/20.

Rounding: amounts are exact until the end; the financial years' amounts are
rounded to the penny on the running total (half up), so they add up to the
rounded whole-life value exactly.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
# The register's plausible range: earlier or later is a typing slip.
FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def of(cls, day: date) -> "FinancialYear":
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> "FinancialYear":
        """ "2019/20" or "2019-20"."""
        first, _, second = label.replace("-", "/").partition("/")
        year = int(first)
        if second and int(second) != (year + 1) % 100:
            raise ValueError(f"{label} is not a financial year: write it like 2019/20")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"Financial years run from {FIRST_YEAR} to {LAST_YEAR}")
        return cls(year)

    @property
    def starts(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def ends(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def days(self) -> int:
        return (self.ends - self.starts).days + 1

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def name(self) -> str:
        """As GOV.UK writes a financial year: "2026 to 2027"."""
        return f"{self.start_year} to {self.start_year + 1}"

    def __str__(self) -> str:
        return self.label

    @classmethod
    def around(
        cls, today: date, *, before: int, after: int, including: Iterable[int] = ()
    ) -> list["FinancialYear"]:
        """The years offered to choose from: `before` years before the current
        one to `after` years after it, and any of `including` (the start
        years of records already there) outside that, in order."""
        current = cls.of(today).start_year
        starts = set(range(current - before, current + after + 1)) | set(including)
        return [cls(start) for start in sorted(starts) if FIRST_YEAR <= start <= LAST_YEAR]


@dataclass(frozen=True)
class Period:
    """Part of a contract with one annual value: usually one contract year."""

    starts: date
    ends: date  # inclusive
    annual_value: Decimal
    year_days: int  # days in the whole contract year this period belongs to


def overlap_days(a_start: date, a_end: date, b_start: date, b_end: date) -> int:
    start, end = max(a_start, b_start), min(a_end, b_end)
    return max(0, (end - start).days + 1)


def contract_periods(
    start: date, end: date, annual_values: Iterable[Decimal], add_years
) -> list[Period]:
    """Split start..end (inclusive) into contract years, the n-th taking the
    n-th annual value (the last repeats). `add_years(start, n)` gives the
    anniversary, so month-end rules match the contract's own."""
    values = list(annual_values)
    periods, n = [], 0
    while True:
        year_start = add_years(start, n)
        if year_start > end:
            break
        year_end = add_years(start, n + 1) - timedelta(days=1)
        value = values[min(n, len(values) - 1)]
        periods.append(
            Period(year_start, min(year_end, end), value, (year_end - year_start).days + 1)
        )
        n += 1
    return periods


def by_financial_year(periods: Iterable[Period]) -> dict[FinancialYear, Decimal]:
    """Each financial year's share of the periods' values, to the penny."""
    exact: dict[FinancialYear, Decimal] = {}
    for period in periods:
        year = FinancialYear.of(period.starts)
        while year.starts <= period.ends:
            days = overlap_days(period.starts, period.ends, year.starts, year.ends)
            if days:
                share = Decimal(period.annual_value) * days / period.year_days
                exact[year] = exact.get(year, Decimal(0)) + share
            year = FinancialYear(year.start_year + 1)
    rounded, running, previous = {}, Decimal(0), Decimal(0)
    for year in sorted(exact):
        running += exact[year]
        total = running.quantize(PENNY, rounding=ROUND_HALF_UP)
        rounded[year] = total - previous
        previous = total
    return rounded
