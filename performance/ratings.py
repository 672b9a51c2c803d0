"""KPI ratings and the Procurement Act's performance scale.

Plain Python on purpose: the review page, the contract page's performance
section, the extension decision page and the demo data all rate KPIs the same
way, and the rules are the ones in docs/decisions/0018-kpi-and-performance-ratings.md:

- green: the actual met or beat the target;
- amber: short of the target by no more than the KPI's tolerance;
- red: further short than the tolerance;
- not reported: the provider gave no actual.

The string values match performance.constants.KpiRating and PerformanceRating
(a test keeps them in step), so stored ratings can be passed straight in.
"""

from collections.abc import Iterable
from decimal import Decimal, Inexact, InvalidOperation, localcontext

HIGHER = "higher"
LOWER = "lower"
DIRECTIONS = (HIGHER, LOWER)

GREEN = "green"
AMBER = "amber"
RED = "red"
NOT_REPORTED = "not_reported"
# Best first. Not reported is kept apart: it is a missing return, not a
# performance, and a page shows it as such rather than as worse than red.
KPI_RATING_ORDER = (GREEN, AMBER, RED)
KPI_RATINGS = (*KPI_RATING_ORDER, NOT_REPORTED)

KPI_RATING_LABELS = {
    GREEN: "Green",
    AMBER: "Amber",
    RED: "Red",
    NOT_REPORTED: "Not reported",
}
KPI_RATING_DESCRIPTIONS = {
    GREEN: "Met the target",
    AMBER: "Within tolerance of the target",
    RED: "Missed the target by more than the tolerance",
    NOT_REPORTED: "No actual in the return",
}
# GOV.UK Design System tag colours (govuk-tag--<colour>).
KPI_RATING_TAG_COLOURS = {GREEN: "green", AMBER: "yellow", RED: "red", NOT_REPORTED: "grey"}

# The Procurement Act 2023 scale (contract performance notice), best first;
# Other sits outside the order and always needs a reason.
GOOD = "good"
APPROACHING_TARGET = "approaching_target"
REQUIRES_IMPROVEMENT = "requires_improvement"
INADEQUATE = "inadequate"
OTHER = "other"
PA_SCALE_ORDER = (GOOD, APPROACHING_TARGET, REQUIRES_IMPROVEMENT, INADEQUATE)
PA_SCALE = (*PA_SCALE_ORDER, OTHER)
PA_LABELS = {
    GOOD: "Good",
    APPROACHING_TARGET: "Approaching target",
    REQUIRES_IMPROVEMENT: "Requires improvement",
    INADEQUATE: "Inadequate",
    OTHER: "Other",
}
PA_TAG_COLOURS = {
    GOOD: "green",
    APPROACHING_TARGET: "yellow",
    REQUIRES_IMPROVEMENT: "orange",
    INADEQUATE: "red",
    OTHER: "grey",
}

# Actuals and targets are stored with 14 digits; this leaves room for the sum
# of two of them without rounding, and anything that would round is refused.
_PRECISION = 60


class RatingError(ValueError):
    """A target, tolerance, direction or actual that cannot be rated."""


def _measure(value, what: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    # A float has already lost the figure the provider reported (0.1 is not
    # 0.1), and a bool is an int to Python but never a measurement.
    if isinstance(value, float):
        raise TypeError(f"Pass the {what} as a Decimal, not a float")
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"Pass the {what} as a Decimal")
    value = Decimal(value)
    if not value.is_finite():
        raise RatingError(f"The {what} must be a number")
    return value


def kpi_rating(
    actual: Decimal | None, *, target: Decimal, direction: str, tolerance: Decimal
) -> str:
    """The rating of one actual against its KPI's target: "green", "amber",
    "red" or "not_reported" (when `actual` is None).

    `tolerance` is in the KPI's own unit (5 for "within 5 percentage points"),
    never negative; 0 means anything short of the target is red.
    """
    target = _measure(target, "target")
    tolerance = _measure(tolerance, "tolerance")
    actual = _measure(actual, "actual", optional=True)
    if direction not in DIRECTIONS:
        raise RatingError(f"The direction must be {HIGHER!r} or {LOWER!r}, not {direction!r}")
    if tolerance < 0:
        raise RatingError("The tolerance cannot be negative")
    if actual is None:
        return NOT_REPORTED
    with localcontext() as context:
        context.prec = _PRECISION
        # A rounded shortfall could move an actual across a boundary.
        context.traps[Inexact] = True
        try:
            shortfall = target - actual if direction == HIGHER else actual - target
        except (Inexact, InvalidOperation) as error:
            raise RatingError("The actual and target are too far apart to compare") from error
    if shortfall <= 0:
        return GREEN
    if shortfall <= tolerance:
        return AMBER
    return RED


def kpi_rating_rank(rating: str) -> int:
    """0 for green, 1 for amber, 2 for red: a larger rank is worse. Not
    reported has no rank (it is not a performance)."""
    if rating not in KPI_RATING_ORDER:
        raise RatingError(f"{rating!r} is not a reported KPI rating")
    return KPI_RATING_ORDER.index(rating)


def kpi_rating_label(rating: str) -> str:
    try:
        return KPI_RATING_LABELS[rating]
    except KeyError:
        raise RatingError(f"{rating!r} is not a KPI rating") from None


def pa_rating_label(rating: str) -> str:
    try:
        return PA_LABELS[rating]
    except KeyError:
        raise RatingError(f"{rating!r} is not on the Procurement Act scale") from None


def pa_rating_rank(rating: str) -> int | None:
    """0 for Good .. 3 for Inadequate; None for Other, which is not ordered."""
    if rating == OTHER:
        return None
    if rating not in PA_SCALE_ORDER:
        raise RatingError(f"{rating!r} is not on the Procurement Act scale")
    return PA_SCALE_ORDER.index(rating)


def needs_reason(overall_rating: str) -> bool:
    """Other on the Procurement Act scale needs the officer's reason."""
    pa_rating_label(overall_rating)
    return overall_rating == OTHER


def rating_counts(ratings: Iterable[str]) -> dict[str, int]:
    """How many KPIs got each rating, every rating present (0 if none)."""
    counts = dict.fromkeys(KPI_RATINGS, 0)
    for rating in ratings:
        kpi_rating_label(rating)
        counts[rating] += 1
    return counts


def suggested_overall_rating(ratings: Iterable[str]) -> str | None:
    """A starting point for the officer's overall rating, never the rating
    itself: the Procurement Act leaves the assessment to the authority, and the
    monitoring meeting and care managers' reviews weigh in too.

    All green is Good; amber but no red is Approaching target; red on up to
    half the reported KPIs is Requires improvement; red on more than half is
    Inadequate. Nothing reported suggests nothing.
    """
    counts = rating_counts(ratings)
    reported = counts[GREEN] + counts[AMBER] + counts[RED]
    if reported == 0:
        return None
    if counts[RED] * 2 > reported:
        return INADEQUATE
    if counts[RED]:
        return REQUIRES_IMPROVEMENT
    if counts[AMBER]:
        return APPROACHING_TARGET
    return GOOD
