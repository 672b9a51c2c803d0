"""The pure rules for contract changes: cumulative change, the 10% flag and
the value schedule (contracts/changes.py)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import changes, terms
from contracts.changes import ScheduleEntry, cumulative_change
from finance.years import FinancialYear, by_financial_year

# Whole pennies as integers: quicker to draw than decimals.
pennies = st.integers(-500_000_000, 500_000_000).map(lambda p: Decimal(p) / 100)
awards = st.integers(100, 5_000_000_000).map(lambda p: Decimal(p) / 100)


@given(awards, st.lists(pennies, max_size=12))
def test_cumulative_change_is_the_sum_of_approved_changes_to_the_penny(award, effects):
    change = cumulative_change(award, effects)
    assert change.amount == sum(effects, Decimal(0))
    assert change.amount == change.amount.quantize(Decimal("0.01"))
    assert change.now == award + sum(effects, Decimal(0))


@given(awards, st.lists(pennies, max_size=12), st.randoms())
def test_the_order_of_changes_does_not_matter(award, effects, random):
    shuffled = list(effects)
    random.shuffle(shuffled)
    assert cumulative_change(award, effects) == cumulative_change(award, shuffled)


@given(awards)
def test_no_change_is_zero_and_not_flagged(award):
    change = cumulative_change(award, [])
    assert (change.amount, change.percent, change.over_threshold) == (0, 0, False)


@given(st.integers(min_value=1, max_value=5_000_000_000))
def test_flagged_only_when_more_than_ten_per_cent(award_pennies):
    award = Decimal(award_pennies) / 100
    tenth = (award / 10).quantize(Decimal("0.01"))
    over_by_a_penny = tenth + Decimal("0.01") if tenth * 10 <= award else tenth
    for sign in (1, -1):  # the Act counts decreases too
        assert cumulative_change(award, [sign * over_by_a_penny]).over_threshold
        at_most = tenth if tenth * 10 <= award else tenth - Decimal("0.01")
        assert not cumulative_change(award, [sign * at_most]).over_threshold


def test_exactly_ten_per_cent_is_not_flagged_and_a_penny_more_is():
    assert not cumulative_change(Decimal("1000.00"), [Decimal("100.00")]).over_threshold
    assert cumulative_change(Decimal("1000.00"), [Decimal("100.01")]).over_threshold
    assert cumulative_change(Decimal("1000.00"), [Decimal("60"), Decimal("40.01")]).over_threshold
    assert cumulative_change(Decimal("1000.00"), [Decimal("-100.01")]).percent == Decimal("-10.00")


def test_term_flag_is_more_than_ten_per_cent_of_the_maximum_term():
    assert not changes.term_over_threshold(60, 6)
    assert changes.term_over_threshold(60, 7)


entries_at = st.builds(
    ScheduleEntry,
    effective_from=st.dates(min_value=date(2025, 4, 2), max_value=date(2030, 3, 31)),
    annual_value=st.decimals(min_value=0, max_value=2_000_000, places=2),
    uplift_percent=st.decimals(min_value=0, max_value=10, places=2),
)


@given(
    st.decimals(min_value=0, max_value=2_000_000, places=2),
    st.decimals(min_value=0, max_value=10, places=2),
    st.integers(1, 120),
)
def test_one_entry_is_the_registers_months_based_value(annual, uplift, months):
    start = date(2025, 4, 1)
    schedule = [ScheduleEntry(start, annual, uplift)]
    assert changes.schedule_value(start, months, schedule) == terms.value_for_months(
        annual, first_month=0, months=months, uplift_percent=uplift
    )


@given(st.lists(entries_at, max_size=4))
def test_financial_years_add_up_to_the_schedule_value(later):
    start = date(2025, 4, 1)
    award = ScheduleEntry(start, Decimal("491804"), Decimal(0))
    schedule = [award, *sorted(later, key=lambda e: e.effective_from)]
    periods = [p for p, _ in changes.schedule_periods(start, 60, schedule)]
    assert sum(by_financial_year(periods).values()) == changes.schedule_value(start, 60, schedule)


def test_a_change_from_1_october_counts_from_1_october():
    start = date(2025, 4, 1)
    schedule = [
        ScheduleEntry(start, Decimal("491804"), Decimal(0)),
        ScheduleEntry(date(2026, 10, 1), Decimal("550820.48"), Decimal(0)),
    ]
    years = by_financial_year(p for p, _ in changes.schedule_periods(start, 60, schedule))
    # 59,016.48 x 182 / 365 = 29,427.3955..., the running total rounds it to 29,427.40.
    assert years[FinancialYear(2026)] == Decimal("491804") + Decimal("29427.40")
    assert years[FinancialYear(2025)] == Decimal("491804.00")
    assert years[FinancialYear(2027)] == Decimal("550820.48")


def test_the_schedule_round_trips_through_its_text():
    schedule = (
        ScheduleEntry(date(2025, 4, 1), Decimal("491804.00"), Decimal("2.50")),
        ScheduleEntry(
            date(2026, 10, 1), Decimal("550820.48"), Decimal("0"), *map(Decimal, (60, 40, 0))
        ),
    )
    assert changes.parse_schedule(changes.schedule_text(schedule)) == schedule
    assert changes.parse_schedule("") == ()


def test_a_schedule_starts_at_the_start_and_runs_in_date_order():
    start = date(2025, 4, 1)
    with pytest.raises(changes.ScheduleError):
        changes.check_schedule([ScheduleEntry(date(2025, 5, 1), Decimal(1), Decimal(0))], start)
    with pytest.raises(changes.ScheduleError):
        changes.check_schedule(
            [
                ScheduleEntry(start, Decimal(1), Decimal(0)),
                ScheduleEntry(date(2026, 5, 1), Decimal(1), Decimal(0)),
                ScheduleEntry(date(2026, 4, 1), Decimal(1), Decimal(0)),
            ],
            start,
        )


def test_a_termination_cuts_the_schedule_short():
    start = date(2025, 4, 1)
    schedule = [
        ScheduleEntry(start, Decimal("365000"), Decimal(0)),
        ScheduleEntry(date(2026, 10, 1), Decimal("730000"), Decimal(0)),
    ]
    periods = changes.schedule_periods(start, 60, schedule, terminated_on=date(2026, 10, 10))
    assert periods[-1][0].ends == date(2026, 10, 10)
    assert sum(changes.exact_value(p) for p, _ in periods) == 365000 + 183 * 1000 + 10 * 2000
