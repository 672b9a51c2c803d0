"""The standstill before a contract is entered into: eight working days
beginning with the day of the award notice (Procurement Act 2023 s.51)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.reminder_dates import add_working_days, is_working_day
from procurement.standstill import (
    StandstillError,
    check_contract_start,
    standstill_decide,
    standstill_end,
)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2035, 12, 31))
# The first date of each year reads that year's bank holidays: slow on a
# busy machine, and not what these tests time.
no_deadline = settings(deadline=None)
lengths = st.integers(min_value=1, max_value=60)


def _working_days_between(first: date, last: date) -> int:
    return sum(is_working_day(first + timedelta(days=n)) for n in range((last - first).days + 1))


@pytest.mark.parametrize(
    ("published", "ends"),
    [
        # A Tuesday: day 1 is the Tuesday itself, day 8 the Thursday after next.
        (date(2026, 12, 1), date(2026, 12, 10)),
        # Christmas, Boxing Day (on the Monday) and New Year's Day are not counted.
        (date(2026, 12, 23), date(2027, 1, 6)),
        (date(2024, 12, 24), date(2025, 1, 7)),
        # Good Friday and Easter Monday 2027.
        (date(2027, 3, 24), date(2027, 4, 6)),
        # Published on a Saturday: the count begins on Monday.
        (date(2026, 12, 5), date(2026, 12, 16)),
    ],
)
def test_the_standstill_is_eight_working_days_beginning_with_the_notice(published, ends):
    assert standstill_end(published) == ends


@no_deadline
@given(days, lengths)
def test_the_standstill_holds_exactly_its_working_days_and_ends_on_one(start, length):
    end = standstill_end(start, length)
    assert is_working_day(end)
    assert _working_days_between(start, end) == length


@no_deadline
@given(days, lengths)
def test_a_standstill_from_a_working_day_counts_that_day(start, length):
    if is_working_day(start):
        assert standstill_end(start, length) == add_working_days(start, length - 1)


@no_deadline
@given(days, st.integers(min_value=1, max_value=59))
def test_a_longer_standstill_ends_later(start, length):
    assert standstill_end(start, length + 1) > standstill_end(start, length)


@no_deadline
@given(days)
def test_eight_working_days_never_take_more_than_sixteen_calendar_days(start):
    # Two weekends and the four bank holidays of Christmas and New Year at most.
    assert 7 <= (standstill_end(start) - start).days <= 16


def test_no_standstill_needs_a_reason():
    with pytest.raises(StandstillError, match="Enter why no standstill period applies"):
        standstill_decide(applies=False, starts_on=date(2026, 12, 1), reason="  ")
    none = standstill_decide(
        applies=False, starts_on=date(2026, 12, 1), reason="Light-touch contract"
    )
    assert (none.applies, none.ends_on, none.reason) == (False, None, "Light-touch contract")


@pytest.mark.parametrize("working_days", [0, 7, 61])
def test_a_standstill_is_at_least_eight_working_days(working_days):
    with pytest.raises(StandstillError, match="from 8 to 60 working days"):
        standstill_decide(applies=True, starts_on=date(2026, 12, 1), working_days=working_days)


def test_the_contract_cannot_start_before_the_standstill_has_ended():
    standstill = standstill_decide(applies=True, starts_on=date(2026, 12, 1))
    assert standstill.ends_on == date(2026, 12, 10)
    with pytest.raises(StandstillError, match="on or after 11 December 2026"):
        check_contract_start(standstill, date(2026, 12, 10))
    check_contract_start(standstill, date(2026, 12, 11))
    none = standstill_decide(applies=False, starts_on=date(2026, 12, 1), reason="Light touch")
    check_contract_start(none, date(2026, 12, 1))
