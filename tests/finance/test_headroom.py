"""Headroom for the years an extension adds: the plain-Python arithmetic."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finance.headroom import (
    YearHeadroom,
    extension_by_year,
    over_committed_years,
    unbudgeted_years,
    years_headroom,
)
from finance.years import FinancialYear

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
years = st.integers(min_value=2000, max_value=2060).map(FinancialYear)
by_year = st.dictionaries(years, money, max_size=8)


def test_headroom_is_budget_less_committed_less_the_extension():
    row = YearHeadroom(
        FinancialYear(2030),
        budget=Decimal("1000000.00"),
        committed=Decimal("700000.00"),
        extension=Decimal("491804.00"),
    )
    assert row.headroom_before == Decimal("300000.00")
    assert row.headroom == Decimal("-191804.00")
    assert row.over_committed


def test_a_year_without_a_budget_has_no_headroom_and_is_not_called_over_committed():
    row = YearHeadroom(FinancialYear(2030), None, Decimal(0), Decimal("10.00"))
    assert row.headroom is None and row.no_budget and not row.over_committed
    assert unbudgeted_years([row]) == [FinancialYear(2030)]


def test_exactly_spending_the_budget_is_not_over_committing_it():
    row = YearHeadroom(FinancialYear(2030), Decimal("10.00"), Decimal("4.00"), Decimal("6.00"))
    assert row.headroom == 0 and not row.over_committed


def test_the_extension_adds_only_the_years_it_changes():
    before = {FinancialYear(2028): Decimal("100.00"), FinancialYear(2029): Decimal("25.00")}
    after = {
        FinancialYear(2028): Decimal("100.00"),
        FinancialYear(2029): Decimal("100.00"),
        FinancialYear(2030): Decimal("75.00"),
    }
    assert extension_by_year(before, after) == {
        FinancialYear(2029): Decimal("75.00"),
        FinancialYear(2030): Decimal("75.00"),
    }


@given(before=by_year, after=by_year)
def test_the_extensions_years_add_up_to_the_difference_in_the_whole_commitment(before, after):
    added = extension_by_year(before, after)
    assert sum(added.values(), Decimal(0)) == sum(after.values(), Decimal(0)) - sum(
        before.values(), Decimal(0)
    )
    assert all(amount != 0 for amount in added.values())


@given(extension=by_year, budgets=by_year, committed=by_year)
def test_a_year_is_over_committed_exactly_when_its_headroom_is_below_nothing(
    extension, budgets, committed
):
    rows = years_headroom(extension, budgets=budgets, committed=committed)
    assert [r.year for r in rows] == sorted(extension)
    for row in rows:
        if row.year in budgets:
            expected = budgets[row.year] - committed.get(row.year, Decimal(0)) - extension[row.year]
            assert row.headroom == expected
            assert row.over_committed == (expected < 0)
        else:
            assert row.headroom is None and not row.over_committed
    assert set(over_committed_years(rows)).isdisjoint(unbudgeted_years(rows))


@given(budget=money, committed=money, extension=money, more=money)
def test_a_bigger_extension_never_leaves_more_headroom(budget, committed, extension, more):
    smaller = YearHeadroom(FinancialYear(2030), budget, committed, extension)
    bigger = YearHeadroom(FinancialYear(2030), budget, committed, extension + more)
    assert bigger.headroom <= smaller.headroom
    assert bigger.over_committed or not smaller.over_committed
