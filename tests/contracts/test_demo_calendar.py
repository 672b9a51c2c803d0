"""The demo's calendar: the papers' dates moved so that whatever day the
demo is loaded, the ILSS second extension decision is about to fall due."""

from datetime import date, timedelta

import pytest

from contracts import terms
from contracts.demo_calendar import DemoCalendar, months_moved

# The only days a month's decision deadline (3 months before a month's end)
# falls before its last day: 30 June less 3 months is 30 March, and so on.
MONTHS_WHOSE_DEADLINE_IS_NOT_THEIR_LAST_DAY = {1, 3, 8, 11}


def every_day(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2026, 2028, 2031])
def test_the_ilss_second_decision_is_due_this_month_on_every_day_but_a_month_end(year):
    for day in every_day(year):
        deadline = DemoCalendar.as_of_day(day).ilss_deadline(2)
        assert day <= deadline <= day + timedelta(days=32), day
        if deadline.month != day.month:
            # Only on the day or two after a 30th (or 28th/29th November)
            # deadline: the next one is at the end of the next month.
            assert day.month in MONTHS_WHOSE_DEADLINE_IS_NOT_THEIR_LAST_DAY, day
            assert day.day >= 29, day


def test_the_papers_durations_and_days_of_the_month_survive_the_move():
    calendar = DemoCalendar.as_of_day(date(2026, 12, 2))
    assert calendar.months == 33
    assert calendar.ilss_start == date(2022, 4, 1)
    assert calendar.ilss_deadline(2) == date(2026, 12, 31)
    # 3+2+2 from the 1st of a month still ends on the last day of one.
    assert terms.Term.parse("3+2+2").max_end(calendar.ilss_start) == date(2029, 3, 31)
    assert calendar.moved(date(2020, 9, 1)) == date(2023, 6, 1)


def test_a_day_before_the_papers_moves_their_dates_back():
    assert months_moved(date(2023, 1, 10)) < 0
    calendar = DemoCalendar.as_of_day(date(2023, 1, 10))
    assert calendar.ilss_deadline(2) >= date(2023, 1, 10)
    assert calendar.ilss_start.day == 1
