import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from performance import ratings
from performance.constants import Direction, KpiRating, PerformanceRating
from performance.ratings import (
    AMBER,
    GREEN,
    NOT_REPORTED,
    RED,
    RatingError,
    kpi_rating,
    kpi_rating_rank,
    needs_reason,
    pa_rating_rank,
    rating_counts,
    suggested_overall_rating,
)

# The figures a KPI stores: 14 digits, 2 places.
measures = st.decimals(min_value=-999_999_999_999, max_value=999_999_999_999, places=2)
tolerances = st.decimals(min_value=0, max_value=999_999_999_999, places=2)
directions = st.sampled_from(["higher", "lower"])


def rate(actual, target="90", direction="higher", tolerance="5"):
    return kpi_rating(
        None if actual is None else Decimal(actual),
        target=Decimal(target),
        direction=direction,
        tolerance=Decimal(tolerance),
    )


def test_the_module_has_no_django_import():
    tree = ast.parse(Path(ratings.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "django" not in imported


def test_values_match_the_stored_choices():
    assert set(ratings.KPI_RATINGS) == set(KpiRating.values)
    assert set(ratings.PA_SCALE) == set(PerformanceRating.values)
    assert set(ratings.DIRECTIONS) == set(Direction.values)
    assert dict(PerformanceRating.choices) == ratings.PA_LABELS


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("95", GREEN),
        ("90.00", GREEN),  # met exactly
        ("89.99", AMBER),
        ("85.00", AMBER),  # short by exactly the tolerance
        ("84.99", RED),
        ("0", RED),
    ],
)
def test_higher_is_better_boundaries_are_exact(actual, expected):
    assert rate(actual) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("1", GREEN),
        ("2.00", GREEN),
        ("2.01", AMBER),
        ("3.00", AMBER),
        ("3.01", RED),
    ],
)
def test_lower_is_better_boundaries_are_exact(actual, expected):
    # Sefton: "number of medication errors", target 2 a quarter, tolerance 1.
    assert rate(actual, target="2", direction="lower", tolerance="1") == expected


def test_a_tolerance_of_zero_makes_anything_short_red():
    assert rate("90", tolerance="0") == GREEN
    assert rate("89.99", tolerance="0") == RED
    assert rate("2.01", target="2", direction="lower", tolerance="0") == RED


def test_no_actual_is_not_reported_whatever_the_target():
    assert rate(None) == NOT_REPORTED
    assert rate(None, direction="lower", tolerance="0") == NOT_REPORTED


def test_a_tenth_is_not_rounded_across_a_boundary():
    # 0.1 + 0.2 style errors would put 89.9 at 90 in a float.
    assert rate("89.9", target="90", tolerance="0") == RED
    assert rate("0.3", target="0.3", direction="lower", tolerance="0") == GREEN


@pytest.mark.parametrize("argument", ["actual", "target", "tolerance"])
def test_floats_are_refused(argument):
    values = {"actual": Decimal("1"), "target": Decimal("1"), "tolerance": Decimal("0")}
    values[argument] = 1.0
    with pytest.raises(TypeError, match="not a float"):
        kpi_rating(values["actual"], target=values["target"], direction="higher",
                   tolerance=values["tolerance"])  # fmt: skip


def test_strings_and_bools_are_refused():
    with pytest.raises(TypeError):
        kpi_rating("90", target=Decimal(90), direction="higher", tolerance=Decimal(0))
    with pytest.raises(TypeError):
        kpi_rating(True, target=Decimal(1), direction="higher", tolerance=Decimal(0))


def test_whole_numbers_are_accepted():
    assert kpi_rating(88, target=90, direction="higher", tolerance=2) == AMBER


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity")])
def test_non_numbers_are_refused(bad):
    with pytest.raises(RatingError):
        kpi_rating(bad, target=Decimal(1), direction="higher", tolerance=Decimal(0))


def test_a_negative_tolerance_is_refused():
    with pytest.raises(RatingError, match="negative"):
        rate("90", tolerance="-1")


def test_an_unknown_direction_is_refused():
    with pytest.raises(RatingError, match="direction"):
        rate("90", direction="up")


def test_figures_too_far_apart_to_subtract_exactly_are_refused():
    with pytest.raises(RatingError):
        kpi_rating(Decimal("1E+100"), target=Decimal("1E-100"), direction="higher",
                   tolerance=Decimal(0))  # fmt: skip


def rank(rating):
    return kpi_rating_rank(rating)


@given(a=measures, b=measures, target=measures, tolerance=tolerances, direction=directions)
def test_a_rating_never_improves_as_the_actual_moves_away_from_the_target(
    a, b, target, tolerance, direction
):
    # `nearer` is on the better side of `further` for this direction.
    nearer, further = (max(a, b), min(a, b)) if direction == "higher" else (min(a, b), max(a, b))
    kwargs = {"target": target, "direction": direction, "tolerance": tolerance}
    assert rank(kpi_rating(further, **kwargs)) >= rank(kpi_rating(nearer, **kwargs))


@given(actual=measures, target=measures, a=tolerances, b=tolerances, direction=directions)
def test_a_wider_tolerance_never_makes_a_rating_worse(actual, target, a, b, direction):
    narrow, wide = min(a, b), max(a, b)
    at = {"target": target, "direction": direction}
    assert rank(kpi_rating(actual, tolerance=wide, **at)) <= rank(
        kpi_rating(actual, tolerance=narrow, **at)
    )


@given(target=measures, tolerance=tolerances, direction=directions)
def test_meeting_the_target_exactly_is_green_and_the_tolerance_edge_is_amber(
    target, tolerance, direction
):
    edge = target - tolerance if direction == "higher" else target + tolerance
    assume(abs(edge) < Decimal("1E12"))
    kwargs = {"target": target, "direction": direction, "tolerance": tolerance}
    assert kpi_rating(target, **kwargs) == GREEN
    assert kpi_rating(edge, **kwargs) == (GREEN if tolerance == 0 else AMBER)
    past_edge = edge - Decimal("0.01") if direction == "higher" else edge + Decimal("0.01")
    assert kpi_rating(past_edge, **kwargs) == RED


@given(actual=measures, target=measures, tolerance=tolerances)
def test_the_directions_mirror_each_other(actual, target, tolerance):
    higher = kpi_rating(actual, target=target, direction="higher", tolerance=tolerance)
    lower = kpi_rating(-actual, target=-target, direction="lower", tolerance=tolerance)
    assert higher == lower


def test_not_reported_has_no_rank():
    with pytest.raises(RatingError):
        kpi_rating_rank(NOT_REPORTED)


def test_the_pa_scale_is_ordered_best_first_and_other_is_apart():
    assert [pa_rating_rank(r) for r in ratings.PA_SCALE_ORDER] == [0, 1, 2, 3]
    assert pa_rating_rank("other") is None
    with pytest.raises(RatingError):
        pa_rating_rank("excellent")


def test_only_other_needs_a_reason():
    assert needs_reason("other")
    assert not any(needs_reason(r) for r in ratings.PA_SCALE_ORDER)
    with pytest.raises(RatingError):
        needs_reason("")


def test_rating_counts_include_every_rating():
    assert rating_counts([GREEN, RED, GREEN]) == {GREEN: 2, AMBER: 0, RED: 1, NOT_REPORTED: 0}
    with pytest.raises(RatingError):
        rating_counts(["blue"])


@pytest.mark.parametrize(
    ("kpi_ratings", "expected"),
    [
        ([GREEN, GREEN, NOT_REPORTED], "good"),
        ([GREEN, AMBER], "approaching_target"),
        ([GREEN, AMBER, RED], "requires_improvement"),
        ([GREEN, RED], "requires_improvement"),  # half is not more than half
        ([RED, RED, GREEN], "inadequate"),
        ([NOT_REPORTED], None),
        ([], None),
    ],
)
def test_suggested_overall_rating(kpi_ratings, expected):
    assert suggested_overall_rating(kpi_ratings) == expected


@given(st.lists(st.sampled_from(ratings.KPI_RATINGS)), st.sampled_from(ratings.KPI_RATING_ORDER))
def test_a_worse_kpi_never_improves_the_suggestion(kpi_ratings, replaced):
    before = suggested_overall_rating([*kpi_ratings, replaced])
    after = suggested_overall_rating([*kpi_ratings, RED])
    assert pa_rating_rank(after) >= pa_rating_rank(before)
