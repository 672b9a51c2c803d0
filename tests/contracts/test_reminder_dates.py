from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.reminder_dates import (
    DECISION_WARNINGS,
    EXPIRY_LEAD_TIMES,
    LeadTime,
    LeadTimeError,
    add_working_days,
    events_due,
    is_working_day,
    lead_times_notation,
    parse_lead_times,
    previous_working_day,
    raw_days_sent_on,
    reminder_dates,
    waiting_reminder_day,
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


def test_decision_warnings_are_8_and_4_weeks_before_and_on_the_last_day():
    dates = dict(reminder_dates(date(2026, 3, 31), DECISION_WARNINGS))
    assert dates == {
        "8 weeks": date(2026, 2, 3),
        "4 weeks": date(2026, 3, 3),
        "on the day": date(2026, 3, 31),
    }
    # A deadline on a Sunday: the last working day for the decision is Friday.
    assert reminder_dates(date(2026, 5, 31), DECISION_WARNINGS)[-1] == (
        "on the day",
        date(2026, 5, 29),
    )


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


LEADS = st.one_of(
    st.integers(1, 60).map(lambda m: LeadTime(months=m)),
    st.integers(0, 400).map(lambda d: LeadTime(days=d)),
)
EVENTS = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(EVENTS, LEADS)
def test_the_sweep_finds_every_event_on_the_day_its_reminder_is_sent(event, lead):
    [(_, send_day)] = reminder_dates(event, [lead])
    assert (event, send_day, lead) in events_due([send_day], [lead])


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)), LEADS)
def test_the_sweep_finds_only_events_whose_reminder_is_that_day(send_day, lead):
    for due in events_due([send_day], [lead]):
        assert reminder_dates(due.event, [lead]) == [(lead.label, send_day)]


def test_nothing_is_sent_on_a_bank_holiday_and_its_reminders_go_the_day_before():
    assert raw_days_sent_on(date(2026, 12, 25)) == []
    assert raw_days_sent_on(date(2026, 12, 24)) == [
        date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
        date(2026, 12, 27), date(2026, 12, 28),
    ]  # fmt: skip


def test_leap_day_events_and_reminders():
    twelve_months = LeadTime(months=12)
    # 29 February 2028 less 12 months is 28 February 2027, a Sunday: Friday.
    assert reminder_dates(date(2028, 2, 29), [twelve_months]) == [("12 months", date(2027, 2, 26))]
    # Both 28 and 29 February 2028 are reminded on Friday 26 February 2027.
    events = {d.event for d in events_due([date(2027, 2, 26)], [twelve_months])}
    assert {date(2028, 2, 28), date(2028, 2, 29)} <= events
    # 30 days before 1 March in a leap year is 31 January (30 January otherwise).
    assert LeadTime(days=30).before(date(2028, 3, 1)) == date(2028, 1, 31)
    assert LeadTime(days=30).before(date(2027, 3, 1)) == date(2027, 1, 30)


def test_a_request_is_chased_on_the_sixth_working_day():
    # Monday 2 November 2026: five full working days by Monday 9th.
    assert waiting_reminder_day(date(2026, 11, 2)) == date(2026, 11, 10)
    # Over Christmas: Wednesday 23 December 2026.
    assert waiting_reminder_day(date(2026, 12, 23)) == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("text", "notation"),
    [
        ("12m, 9m, 6m, 3m, 30d", "12m, 9m, 6m, 3m, 30d"),
        ("30 days; 6 months", "6m, 30d"),
        ("8w, 8 weeks, 56d", "56d"),
    ],
)
def test_lead_times_are_read_in_the_ways_people_write_them(text, notation):
    assert lead_times_notation(parse_lead_times(text)) == notation


@pytest.mark.parametrize("text", ["", "six months", "0m", "61m", "3y", "12m,, -1d"])
def test_lead_times_that_make_no_sense_are_refused(text):
    with pytest.raises(LeadTimeError):
        parse_lead_times(text)


def test_lead_time_labels():
    assert [lead.label for lead in DECISION_WARNINGS] == ["8 weeks", "4 weeks", "on the day"]
    assert [lead.label for lead in EXPIRY_LEAD_TIMES][-2:] == ["3 months", "30 days"]
