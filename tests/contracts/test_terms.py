import ast
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import terms
from contracts.terms import (
    Term,
    TermError,
    add_months,
    check_extension_request,
    decision_deadline,
    option_value,
    period_end,
    value_for_months,
    value_to,
    whole_life_value,
)

EXPECTED = "Enter the term like 3\\+2\\+2 \\(years\\) or 36m\\+12m\\+12m \\(months\\)"
ZERO = "must be at least 1 month"
TOO_LONG = "50 years or less"
PENNY = Decimal("0.01")

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
# At most 120 + 10 * 48 = 600 months, the 50-year maximum.
contract_terms = st.builds(
    Term,
    initial_months=st.integers(1, 120),
    option_months=st.lists(st.integers(1, 48), max_size=10).map(tuple),
)
annual_values = st.decimals(min_value=0, max_value=10_000_000, places=2)
uplifts = st.decimals(min_value=-100, max_value=25, places=3)


def test_terms_module_imports_nothing_but_the_standard_library():
    tree = ast.parse(Path(terms.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert "django" not in imported
    assert imported <= {"calendar", "dataclasses", "datetime", "decimal", "re"}


# --- Dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "anniversary"),
    [
        (date(2019, 7, 1), 36, date(2022, 7, 1)),
        (date(2019, 3, 1), 1, date(2019, 4, 1)),
        (date(2019, 1, 31), 2, date(2019, 3, 31)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),
        (date(2019, 7, 1), 0, date(2019, 7, 1)),
    ],
)
def test_anniversary_is_the_same_day_of_the_month_months_later(start, months, anniversary):
    assert add_months(start, months) == anniversary


@pytest.mark.parametrize(
    ("start", "months", "anniversary"),
    [
        (date(2019, 3, 31), 1, date(2019, 5, 1)),  # 31 April
        (date(2021, 1, 31), 1, date(2021, 3, 1)),  # 31 February
        (date(2020, 2, 29), 12, date(2021, 3, 1)),  # 29 February 2021
        (date(2019, 8, 31), 1, date(2019, 10, 1)),  # 31 September
    ],
)
def test_anniversary_that_does_not_exist_falls_on_the_first_of_next_month(
    start, months, anniversary
):
    assert add_months(start, months) == anniversary


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2019, 7, 1), 36, date(2022, 6, 30)),
        (date(2019, 7, 1), 84, date(2026, 6, 30)),
        (date(2019, 3, 1), 1, date(2019, 3, 31)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2020, 2, 29), 48, date(2024, 2, 28)),
        (date(2019, 3, 31), 1, date(2019, 4, 30)),
    ],
)
def test_period_ends_the_day_before_its_anniversary(start, months, end):
    assert period_end(start, months) == end


def test_zero_length_period_is_refused():
    with pytest.raises(TermError, match=ZERO):
        period_end(date(2019, 7, 1), 0)


def test_negative_months_are_refused():
    with pytest.raises(TermError, match="negative"):
        add_months(date(2019, 7, 1), -1)


def test_option_ends_are_counted_from_the_contract_start_not_chained_from_each_end():
    term = Term.parse("1m+1m+1m")
    start = date(2021, 1, 31)
    # Chained, 28 February + 1 month would end on 31 March, not 30 March.
    assert term.option_periods(start) == [
        (date(2021, 3, 1), date(2021, 3, 30)),
        (date(2021, 3, 31), date(2021, 4, 30)),
    ]


@given(start=starts, months=st.integers(1, 600))
def test_period_end_is_on_or_after_the_start_and_before_the_anniversary(start, months):
    assert start <= period_end(start, months) < add_months(start, months)


# --- Notation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("notation", "initial", "options"),
    [
        ("3+2+2", 36, (24, 24)),
        ("3+1+1", 36, (12, 12)),
        ("5+2", 60, (24,)),
        ("36m+12m+12m", 36, (12, 12)),
        ("7m+5x1m", 7, (1, 1, 1, 1, 1)),
        ("3y+1y+1y", 36, (12, 12)),
        ("3+2x12m", 36, (12, 12)),
        ("3+2x1", 36, (12, 12)),
        (" 3 + 2 + 2 ", 36, (24, 24)),
        ("7m + 5 x 1m", 7, (1, 1, 1, 1, 1)),
        ("36M+12M", 36, (12,)),
        ("3 y + 6 m", 36, (6,)),
        ("3", 36, ()),
    ],
)
def test_term_is_read_as_officers_write_it(notation, initial, options):
    term = Term.parse(notation)
    assert term.initial_months == initial
    assert term.option_months == options


@pytest.mark.parametrize(
    ("notation", "canonical"),
    [
        ("3+2+2", "3+2+2"),
        ("36m+12m+12m", "3+1+1"),
        ("3+2x1", "3+1+1"),
        ("7m+5x1m", "7m+1m+1m+1m+1m+1m"),
        ("3+6m", "36m+6m"),
        (" 3 ", "3"),
    ],
)
def test_canonical_notation_is_years_when_every_period_is_whole_years(notation, canonical):
    assert Term.parse(notation).notation == canonical


@pytest.mark.parametrize("notation", ["3+", "abc", "3++2", "-1", "", "   ", "3.5", "+3", "3+2y1"])
def test_unreadable_notation_is_refused_with_an_example(notation):
    with pytest.raises(TermError, match=EXPECTED):
        Term.parse(notation)


@pytest.mark.parametrize("notation", ["0+1", "3+0", "0m", "3+0x1", "3+2x0m"])
def test_zero_length_periods_are_refused(notation):
    with pytest.raises(TermError, match=ZERO):
        Term.parse(notation)


@pytest.mark.parametrize("notation", ["51", "3+48", "601m", "3+99999x1", "3+" + "9" * 5000])
def test_terms_over_50_years_are_refused(notation):
    with pytest.raises(TermError, match=TOO_LONG):
        Term.parse(notation)


def test_initial_period_cannot_be_repeated():
    with pytest.raises(TermError, match="Only extension options can be repeated"):
        Term.parse("2x3+1")


def test_term_error_is_a_value_error_so_forms_can_show_it():
    assert issubclass(TermError, ValueError)


def test_term_built_directly_is_checked_like_a_parsed_one():
    assert Term(36, [12, 12]) == Term.parse("3+1+1")
    with pytest.raises(TermError, match=ZERO):
        Term(36, (0,))
    with pytest.raises(TermError, match=TOO_LONG):
        Term(600, (1,))


@given(contract_terms)
def test_canonical_notation_reads_back_as_the_same_term(term):
    assert Term.parse(term.notation) == term


@given(st.text(alphabet="0123456789ymxYMX+ -.", max_size=12))
def test_any_text_is_either_a_term_or_a_term_error(text):
    try:
        term = Term.parse(text)
    except TermError:
        return
    assert 1 <= term.total_months <= 600


# --- Ends and options ----------------------------------------------------------


def test_three_plus_two_plus_two_from_july_2019_ends_june_2026_at_most():
    term = Term.parse("3+2+2")
    start = date(2019, 7, 1)
    assert term.initial_end(start) == date(2022, 6, 30)
    assert term.end_after(start, 1) == date(2024, 6, 30)
    assert term.max_end(start) == date(2026, 6, 30)
    assert term.option_periods(start) == [
        (date(2022, 7, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2026, 6, 30)),
    ]
    assert term.total_months == 84


@pytest.mark.parametrize("options_taken", [-1, 3])
def test_options_taken_must_be_between_none_and_all(options_taken):
    term = Term.parse("3+2+2")
    with pytest.raises(TermError, match="has 2 extension options"):
        term.months_after(options_taken)
    with pytest.raises(TermError, match="has 2 extension options"):
        term.options_remaining(options_taken)


def test_options_remaining_counts_down_to_none():
    term = Term.parse("7m+5x1m")
    assert [term.options_remaining(n) for n in range(6)] == [5, 4, 3, 2, 1, 0]
    assert [term.months_after(n) for n in range(6)] == [7, 8, 9, 10, 11, 12]


@given(term=contract_terms, start=starts)
def test_end_after_increases_with_every_option_taken(term, start):
    ends = [term.end_after(start, n) for n in range(len(term.option_months) + 1)]
    assert all(earlier < later for earlier, later in pairwise(ends))
    assert ends[0] == term.initial_end(start)
    assert ends[-1] == term.max_end(start)


@given(term=contract_terms, start=starts)
def test_option_periods_follow_on_without_gaps(term, start):
    previous_end = term.initial_end(start)
    for first_day, last_day in term.option_periods(start):
        assert first_day == previous_end + timedelta(days=1)
        assert first_day <= last_day
        previous_end = last_day
    assert previous_end == term.max_end(start)


# --- Notice --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current_end", "notice_months", "deadline"),
    [
        (date(2022, 6, 30), 3, date(2022, 3, 30)),
        (date(2026, 6, 30), 12, date(2025, 6, 30)),
        (date(2022, 12, 31), 6, date(2022, 6, 30)),  # no 31 June: last day of June
        (date(2023, 5, 30), 3, date(2023, 2, 28)),  # no 30 February: 28th
        (date(2024, 5, 30), 3, date(2024, 2, 29)),
        (date(2022, 6, 30), 0, date(2022, 6, 30)),
    ],
)
def test_decision_deadline_is_the_current_end_minus_the_notice_period(
    current_end, notice_months, deadline
):
    assert decision_deadline(current_end, notice_months) == deadline


def test_negative_notice_is_refused():
    with pytest.raises(TermError, match="notice period"):
        decision_deadline(date(2022, 6, 30), -1)


@given(current_end=starts, notice_months=st.integers(1, 36))
def test_deadline_is_notice_months_before_the_end(current_end, notice_months):
    deadline = decision_deadline(current_end, notice_months)
    gap = (current_end - deadline).days
    assert 28 * notice_months - 3 <= gap <= 31 * notice_months
    # Same day of the month unless that month is shorter.
    assert deadline.day == current_end.day or deadline.day < current_end.day
    assert (deadline.year * 12 + deadline.month) + notice_months == (
        current_end.year * 12 + current_end.month
    )


# --- Extension requests ---------------------------------------------------------


def test_sefton_options_may_be_taken_together_or_one_at_a_time():
    term = Term.parse("3+1+1")
    start = date(2019, 7, 1)
    check_extension_request(term, options_taken=0, options_requested=2, may_take_together=True)
    together = term.end_after(start, 0 + 2)
    check_extension_request(term, options_taken=0, options_requested=1, may_take_together=True)
    check_extension_request(term, options_taken=1, options_requested=1, may_take_together=True)
    one_at_a_time = term.end_after(start, 1 + 1)
    assert together == one_at_a_time == term.max_end(start)


def test_options_cannot_be_taken_together_unless_the_contract_allows_it():
    with pytest.raises(TermError, match="one at a time"):
        check_extension_request(
            Term.parse("3+1+1"), options_taken=0, options_requested=2, may_take_together=False
        )


@pytest.mark.parametrize(
    ("options_taken", "options_requested", "message"),
    [
        (0, 0, "Request at least 1 extension option"),
        (0, -1, "Request at least 1 extension option"),
        (0, 3, "Only 2 extension options remain"),
        (1, 2, "Only 1 extension option remains"),
        (2, 1, "No extension options remain"),
        (3, 1, "has 2 extension options; 3 cannot have been taken"),
    ],
)
def test_extension_request_must_be_for_options_that_remain(
    options_taken, options_requested, message
):
    with pytest.raises(TermError, match=message):
        check_extension_request(
            Term.parse("3+1+1"),
            options_taken=options_taken,
            options_requested=options_requested,
            may_take_together=True,
        )


@given(term=contract_terms, start=starts, annual=annual_values, uplift=uplifts, data=st.data())
def test_grouping_of_options_changes_neither_the_maximum_end_nor_the_total_value(
    term, start, annual, uplift, data
):
    taken = 0
    value = value_to(term, annual, 0, uplift)
    while taken < len(term.option_months):
        group = data.draw(st.integers(1, len(term.option_months) - taken))
        check_extension_request(
            term, options_taken=taken, options_requested=group, may_take_together=True
        )
        value += option_value(
            term, annual, options_taken=taken, options_requested=group, uplift_percent=uplift
        )
        taken += group
    assert term.end_after(start, taken) == term.max_end(start)
    assert value == whole_life_value(term, annual, uplift)


# --- Values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annual", "whole_life"),
    [(Decimal(491804), Decimal("3442628.00")), (Decimal(363635), Decimal("2545445.00"))],
)
def test_whole_life_value_of_three_plus_two_plus_two(annual, whole_life):
    assert whole_life_value(Term.parse("3+2+2"), annual) == whole_life


def test_values_are_decimal_pounds_to_the_penny():
    term = Term.parse("3+2+2")
    assert value_to(term, Decimal(491804), 0) == Decimal("1475412.00")
    value = option_value(term, Decimal(491804), options_taken=0, options_requested=1)
    assert value == Decimal("983608.00")
    assert value.as_tuple().exponent == -2


def test_part_years_are_pro_rata_by_months():
    assert value_for_months(Decimal(12000), first_month=0, months=7) == Decimal("7000.00")
    assert value_for_months(Decimal(12000), first_month=5, months=0) == Decimal("0.00")


def test_uplift_compounds_once_per_contract_year():
    # 12,000 + 12,300 + 12,607.50 + 12,922.6875
    term = Term.parse("3+1")
    assert whole_life_value(term, Decimal(12000), Decimal("2.5")) == Decimal("49830.19")


def test_uplift_follows_the_contract_year_a_month_falls_in():
    value = value_for_months(Decimal(12000), first_month=6, months=12, uplift_percent=Decimal(10))
    assert value == Decimal("12600.00")  # 6 x 1,000 then 6 x 1,100


def test_half_a_penny_rounds_up():
    assert value_for_months(Decimal("0.06"), first_month=0, months=1) == Decimal("0.01")


def test_pieces_are_rounded_so_they_add_up_to_the_rounded_whole():
    # Each month is worth half a penny; rounded alone each would be a penny.
    first = value_for_months(Decimal("0.06"), first_month=0, months=1)
    second = value_for_months(Decimal("0.06"), first_month=1, months=1)
    both = value_for_months(Decimal("0.06"), first_month=0, months=2)
    assert (first, second, both) == (Decimal("0.01"), Decimal("0.00"), Decimal("0.01"))


def test_an_uplift_of_minus_100_percent_makes_later_years_free():
    term = Term.parse("3+2+2")
    assert whole_life_value(term, Decimal(12000), Decimal(-100)) == Decimal("12000.00")


@pytest.mark.parametrize(
    ("annual", "uplift", "message"),
    [
        (Decimal(-1), Decimal(0), "annual value cannot be negative"),
        (Decimal(1000), Decimal("-100.01"), "uplift cannot be less than -100%"),
        (Decimal("NaN"), Decimal(0), "annual value as a number"),
    ],
)
def test_negative_values_and_uplifts_below_minus_100_percent_are_refused(annual, uplift, message):
    with pytest.raises(TermError, match=message):
        whole_life_value(Term.parse("3"), annual, uplift)


def test_floats_are_refused_for_money():
    with pytest.raises(TypeError, match="Decimal"):
        whole_life_value(Term.parse("3"), 1000.0)


def test_option_value_is_only_for_options_that_remain():
    with pytest.raises(TermError, match="Only 1 extension option remains"):
        option_value(Term.parse("3+1+1"), Decimal(1000), options_taken=1, options_requested=2)


@given(term=contract_terms, annual=annual_values, uplift=uplifts, data=st.data())
def test_value_so_far_plus_next_options_is_value_to_the_new_end(term, annual, uplift, data):
    options = len(term.option_months)
    taken = data.draw(st.integers(0, options))
    assert value_to(term, annual, options, uplift) == whole_life_value(term, annual, uplift)
    if taken == options:
        return
    requested = data.draw(st.integers(1, options - taken))
    assert value_to(term, annual, taken, uplift) + option_value(
        term, annual, options_taken=taken, options_requested=requested, uplift_percent=uplift
    ) == value_to(term, annual, taken + requested, uplift)


@given(annual=annual_values, first_month=st.integers(0, 599), months=st.integers(0, 600))
def test_without_uplift_a_value_is_within_a_penny_of_its_exact_pro_rata(
    annual, first_month, months
):
    value = value_for_months(annual, first_month=first_month, months=months)
    assert abs(value - annual * months / 12) <= PENNY


@given(start=starts, months=st.integers(1, 240))
def test_months_to_a_period_end_is_that_period(start, months):
    from contracts.terms import months_to

    assert months_to(start, period_end(start, months)) == months
    # A day into the next month counts the whole of that month.
    assert months_to(start, period_end(start, months) + timedelta(days=1)) == months + 1
