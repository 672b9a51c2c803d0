"""Financial years, savings and ISF splits: the plain-Python rules."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.terms import add_months
from finance.isf import ISFError, Resident, equal_shares, scheme_split, scheme_value
from finance.savings import Baseline, NewService, SavingsError, summarise
from finance.years import FinancialYear, by_financial_year, contract_periods


def add_years(start, n):
    return add_months(start, 12 * n)


def test_a_contract_starting_1_july_2019_puts_275_of_366_days_into_2019_20():
    periods = contract_periods(date(2019, 7, 1), date(2026, 6, 30), [Decimal(366000)], add_years)
    by_year = by_financial_year(periods)
    assert FinancialYear.of(date(2019, 7, 1)).days == 366
    assert by_year[FinancialYear(2019)] == Decimal("275000.00")  # 366,000 x 275/366
    # April to June 2026: 91 of the 365 days of the last contract year.
    assert by_year[FinancialYear(2026)] == Decimal("91249.32")
    assert sum(by_year.values()) == Decimal(366000 * 7)


def test_the_ilss_mainstream_contract_commits_its_whole_life_value_across_the_years():
    periods = contract_periods(
        date(2019, 7, 1), date(2026, 6, 30), [Decimal("491804.00")], add_years
    )
    by_year = by_financial_year(periods)
    assert [str(y) for y in by_year] == [f"{y}/{(y + 1) % 100:02d}" for y in range(2019, 2027)]
    assert sum(by_year.values()) == Decimal("3442628.00")


def test_uplifted_contract_years_carry_their_own_values():
    periods = contract_periods(
        date(2024, 4, 1), date(2026, 3, 31), [Decimal(1000), Decimal(1030)], add_years
    )
    assert by_financial_year(periods) == {
        FinancialYear(2024): Decimal("1000.00"),
        FinancialYear(2025): Decimal("1030.00"),
    }


@pytest.mark.parametrize(("label", "start"), [("2019/20", 2019), ("2019-20", 2019)])
def test_financial_year_labels(label, start):
    assert FinancialYear.parse(label) == FinancialYear(start)
    assert FinancialYear(start).label == "2019/20"


def test_a_label_that_is_not_a_financial_year_is_refused():
    with pytest.raises(ValueError, match="not a financial year"):
        FinancialYear.parse("2019/21")


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(1, 120),
    st.decimals("0.00", "10000000", places=2),
)
def test_the_years_always_add_up_to_the_whole_value(start, months, annual):
    end = date.fromordinal(add_months(start, months).toordinal() - 1)
    periods = contract_periods(start, end, [annual], add_years)
    exact = sum(
        annual * Decimal(p.ends.toordinal() - p.starts.toordinal() + 1) / p.year_days
        for p in periods
    )
    by_year = by_financial_year(periods)
    assert sum(by_year.values()) == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert all(v >= 0 for v in by_year.values())


ILSS = [
    Baseline("Sixty Plus ILSS", Decimal(357148)),
    Baseline("PSI HIV ILSS", Decimal(189301)),
    Baseline("LD ILSS", Decimal(404039)),
    Baseline(
        "Mental Health ILSS",
        Decimal(397829),
        excluded_reason="To be considered as part of the wider Mental Health review",
    ),
    Baseline(
        "Forensic Mental Health ILSS",
        Decimal(45274),
        excluded_reason="To be considered as part of the wider Mental Health review",
    ),
]
NEW = [
    NewService(
        "Mainstream ASC ILSS",
        Decimal(491804),
        Decimal(3442628),
        replaces=("Sixty Plus ILSS", "PSI HIV ILSS"),
    ),
    NewService(
        "Whole Life disability (LD) ILSS", Decimal(363635), Decimal(2545445), replaces=("LD ILSS",)
    ),
]


def test_the_ilss_recommissioning_reproduces_the_cabinet_figures():
    summary = summarise(ILSS, NEW)
    assert summary.current_total == Decimal(950488)
    assert summary.proposed_total == Decimal(855439)
    assert summary.whole_life_total == Decimal(5988073)
    assert summary.saving_total == Decimal(95049)
    assert [line.saving for line in summary.lines] == [Decimal(54645), Decimal(40404)]
    assert [b.name for b in summary.excluded] == [
        "Mental Health ILSS",
        "Forensic Mental Health ILSS",
    ]
    assert summary.unmatched == ()


def test_an_excluded_service_cannot_be_replaced_or_replaced_twice():
    with pytest.raises(SavingsError, match="excluded"):
        summarise(ILSS, [NewService("X", Decimal(1), Decimal(1), replaces=("Mental Health ILSS",))])
    with pytest.raises(SavingsError, match="more than one"):
        summarise(ILSS, [*NEW, NewService("Y", Decimal(1), Decimal(1), replaces=("LD ILSS",))])


def test_islington_core_support_and_isf():
    residents = [Resident(f"R{n}", Decimal(500)) for n in range(10)]
    splits = scheme_split(Decimal(1000), residents)
    assert {(s.virtual_budget, s.isf) for s in splits} == {(Decimal("100.00"), Decimal("400.00"))}
    assert scheme_value(residents) == Decimal(5000)


def test_the_contribution_is_offset_against_the_virtual_budget_not_the_isf():
    [split] = scheme_split(Decimal(100), [Resident("R1", Decimal(500), Decimal("35.50"))])
    assert (split.isf, split.council_pays_virtual, split.contribution_offset) == (
        Decimal(400),
        Decimal("64.50"),
        Decimal("35.50"),
    )


def test_a_budget_smaller_than_the_core_share_is_refused():
    with pytest.raises(ISFError, match="less than their share"):
        scheme_split(Decimal(1000), [Resident("R1", Decimal(50)), Resident("R2", Decimal(900))])


@given(st.decimals("0", "100000", places=2), st.integers(1, 40))
def test_equal_shares_add_up_to_the_core_support_and_differ_by_a_penny_at_most(total, count):
    shares = equal_shares(total, count)
    assert sum(shares) == total
    assert max(shares) - min(shares) <= Decimal("0.01")
