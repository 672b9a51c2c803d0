"""The monitoring calendar: financial-year periods cut to the contract,
return and review deadlines, and the working days their reminders go on."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.reminder_dates import is_working_day
from performance import calendar
from performance.constants import Frequency

FREQUENCIES = st.sampled_from(list(calendar.PERIOD_MONTHS))
DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def contracts(draw):
    start = draw(DAYS)
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=12 * 366)))
    return start, end, draw(FREQUENCIES)


def test_the_frequencies_are_the_models_choices():
    assert set(calendar.PERIOD_MONTHS) == set(Frequency.values)


def test_quarters_follow_the_financial_year_and_a_mid_quarter_start_gets_a_short_first_one():
    # Sefton-style contract from 15 May 2025 to 31 March 2027.
    periods = calendar.monitoring_periods(date(2025, 5, 15), date(2027, 3, 31), "quarterly")
    assert [(p.start, p.end) for p in periods[:3]] == [
        (date(2025, 5, 15), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)),
    ]
    assert periods[3] == calendar.Period(date(2026, 1, 1), date(2026, 3, 31))
    assert periods[-1] == calendar.Period(date(2027, 1, 1), date(2027, 3, 31))
    assert len(periods) == 8


def test_half_years_and_years_run_april_to_march():
    half = calendar.monitoring_periods(date(2025, 4, 1), date(2026, 3, 31), "half_yearly")
    assert half == [
        calendar.Period(date(2025, 4, 1), date(2025, 9, 30)),
        calendar.Period(date(2025, 10, 1), date(2026, 3, 31)),
    ]
    yearly = calendar.monitoring_periods(date(2024, 1, 1), date(2025, 12, 31), "yearly")
    assert yearly == [
        calendar.Period(date(2024, 1, 1), date(2024, 3, 31)),
        calendar.Period(date(2024, 4, 1), date(2025, 3, 31)),
        calendar.Period(date(2025, 4, 1), date(2025, 12, 31)),
    ]


def test_a_contract_reports_at_its_most_frequent_kpis_frequency():
    assert calendar.most_frequent(["yearly", "quarterly", "half_yearly"]) == "quarterly"
    assert calendar.most_frequent(["yearly", "half_yearly"]) == "half_yearly"
    assert calendar.most_frequent([]) is None


def test_a_quarters_return_is_due_30_days_after_it_and_its_review_30_days_later():
    due = calendar.return_due_date(date(2025, 6, 30))
    assert due == date(2025, 7, 30)
    assert calendar.review_due_date(due) == date(2025, 8, 29)
    assert calendar.return_due_date(date(2025, 6, 30), 14) == date(2025, 7, 14)
    with pytest.raises(ValueError):
        calendar.return_due_date(date(2025, 6, 30), 0)


def test_reminders_about_a_deadline_on_a_bank_holiday_weekend_go_on_working_days():
    # Monday 25 August 2025 is the summer bank holiday.
    deadline = date(2025, 8, 24)  # a Sunday
    assert calendar.due_reminder_day(deadline) == date(2025, 8, 22)  # Friday
    assert calendar.overdue_reminder_day(deadline) == date(2025, 8, 26)  # Tuesday
    assert calendar.deadlines_overdue_on(date(2025, 8, 26)) == [
        date(2025, 8, 25), date(2025, 8, 24), date(2025, 8, 23), date(2025, 8, 22)
    ]  # fmt: skip


@given(contracts())
def test_periods_tile_the_contract_without_gaps_or_overlaps(contract):
    start, end, frequency = contract
    periods = calendar.monitoring_periods(start, end, frequency)
    assert periods[0].start == start
    assert periods[-1].end == end
    for before, after in pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    assert all(p.start <= p.end <= end for p in periods)


@given(contracts())
def test_every_period_lies_in_one_financial_period_and_only_the_ends_are_short(contract):
    start, end, frequency = contract
    periods = calendar.monitoring_periods(start, end, frequency)
    for period in periods:
        whole = calendar.financial_period(period.start, frequency)
        assert whole.start <= period.start <= period.end <= whole.end
        assert whole.start.month % 12 in {
            (4 + n * calendar.PERIOD_MONTHS[frequency]) % 12 for n in range(4)
        }
    for period in periods[1:-1]:
        assert period == calendar.financial_period(period.start, frequency)


@given(DAYS, FREQUENCIES)
def test_a_financial_period_contains_its_day_and_ends_where_the_next_begins(day, frequency):
    period = calendar.financial_period(day, frequency)
    assert period.start <= day <= period.end
    assert calendar.is_period_end(period.end, frequency)
    following = calendar.financial_period(period.end + timedelta(days=1), frequency)
    assert following.start == period.end + timedelta(days=1)


@given(DAYS, st.integers(min_value=1, max_value=365), st.integers(min_value=1, max_value=365))
def test_deadlines_come_after_the_period_and_the_review_after_the_return(end, n, m):
    due = calendar.return_due_date(end, n)
    assert due > end
    assert calendar.review_due_date(due, m) > due


@given(DAYS)
def test_reminders_go_on_working_days_on_either_side_of_the_deadline(deadline):
    due_day = calendar.due_reminder_day(deadline)
    overdue_day = calendar.overdue_reminder_day(deadline)
    assert is_working_day(due_day) and is_working_day(overdue_day)
    assert due_day <= deadline < overdue_day
    assert deadline in calendar.deadlines_due_on(due_day)
    assert deadline in calendar.deadlines_overdue_on(overdue_day)


@given(DAYS)
def test_the_inverse_finds_only_deadlines_reminded_on_that_day(send_day):
    for deadline in calendar.deadlines_due_on(send_day):
        assert calendar.due_reminder_day(deadline) == send_day
    for deadline in calendar.deadlines_overdue_on(send_day):
        assert calendar.overdue_reminder_day(deadline) == send_day


@given(contracts(), DAYS, st.integers(min_value=0, max_value=400))
def test_the_periods_ending_in_a_window_are_those_of_the_whole_calendar(contract, first, span):
    start, end, frequency = contract
    last = first + timedelta(days=span)
    expected = [
        p for p in calendar.monitoring_periods(start, end, frequency) if first <= p.end <= last
    ]
    assert calendar.periods_ending_between(start, end, frequency, first, last) == expected
