"""Budget headroom for the financial years an extension adds. Plain Python.

For each year: the service area's budget, what its contracts already commit
(to their current ends: options taken, not options still open), what the
extension itself would commit, and what is left after it. A year with no
budget recorded has no headroom to speak of: it is shown as "no budget
recorded", never as a budget of nothing that every extension over-commits
by accident, and the approval rules treat it as unknown budget availability.

Amounts arrive already rounded to the penny (finance.years rounds each
contract's years on its running total); headroom is plain subtraction, so
it stays exact.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from finance.years import FinancialYear


@dataclass(frozen=True)
class YearHeadroom:
    year: FinancialYear
    budget: Decimal | None  # None: no budget line recorded for the year
    committed: Decimal  # already committed, this contract's current term included
    extension: Decimal  # what the extension adds in the year

    @property
    def headroom(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.committed - self.extension

    @property
    def headroom_before(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.committed

    @property
    def over_committed(self) -> bool:
        headroom = self.headroom
        return headroom is not None and headroom < 0

    @property
    def no_budget(self) -> bool:
        return self.budget is None


def extension_by_year(
    before: Mapping[FinancialYear, Decimal], after: Mapping[FinancialYear, Decimal]
) -> dict[FinancialYear, Decimal]:
    """What the extension adds to each financial year: the contract's
    commitment with the options taken less its commitment without them.
    Years it does not change are left out."""
    added = {}
    for year in sorted(before.keys() | after.keys()):
        difference = after.get(year, Decimal(0)) - before.get(year, Decimal(0))
        if difference:
            added[year] = difference
    return added


def years_headroom(
    extension: Mapping[FinancialYear, Decimal],
    *,
    budgets: Mapping[FinancialYear, Decimal],
    committed: Mapping[FinancialYear, Decimal],
) -> list[YearHeadroom]:
    """One row per year the extension adds to, in order."""
    return [
        YearHeadroom(
            year=year,
            budget=budgets.get(year),
            committed=committed.get(year, Decimal(0)),
            extension=amount,
        )
        for year, amount in sorted(extension.items())
    ]


def over_committed_years(rows: list[YearHeadroom]) -> list[FinancialYear]:
    return [row.year for row in rows if row.over_committed]


def unbudgeted_years(rows: list[YearHeadroom]) -> list[FinancialYear]:
    return [row.year for row in rows if row.no_budget]
