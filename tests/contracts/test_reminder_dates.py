from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.reminder_dates import (
    DECISION_WARNINGS,
    EXPIRY_LEAD_TIMES,
    add_working_days,
    is_working_day,
    previous_working_day,
    reminder_dates,
)


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (date(2026, 12, 25), date(2026, 12, 24)),  # Christmas Day, a Friday
        (date(2026, 12, 28), date(2026, 12, 24)),  # Boxing Day observed, then the weekend
        (date(2026, 11, 22), date(2026, 11, 20)),  # Sunday to Friday
        (date(2026, 11, 23), date(2026, 11, 23)),  # a Monday stays
        (date(2027, 3, 29), date(2027, 3, 25)),  # Easter Monday, after Good Friday
    ],
)
def test_reminder_on_a_weekend_or_bank_holiday_goes_the_working_day_before(due, sent):
    assert previous_working_day(due) == sent


def test_expiry_reminders_for_the_ilss_maximum_end():
    dates = dict(reminder_dates(date(2026, 6, 30), EXPIRY_LEAD_TIMES))
    assert dates == {
        "12 months": date(2025, 6, 30),
        "9 months": date(2025, 9, 30),
        "6 months": date(2025, 12, 30),
        "3 months": date(2026, 3, 30),
        "30 days": date(2026, 5, 29),  # 31 May 2026 is a Sunday
    }


def test_decision_warnings_are_8_and_4_weeks_before():
    dates = dict(reminder_dates(date(2026, 3, 31), DECISION_WARNINGS))
    assert dates == {"56 days": date(2026, 2, 3), "28 days": date(2026, 3, 3)}


def test_five_working_days_skip_the_christmas_holidays():
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
def test_previous_working_day_is_a_working_day_on_or_before(day):
    sent = previous_working_day(day)
    assert is_working_day(sent)
    assert sent <= day
    # Nothing in between was a working day.
    assert all(
        not is_working_day(sent + timedelta(days=n)) for n in range(1, (day - sent).days + 1)
    )
