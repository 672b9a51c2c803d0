"""Evaluation arithmetic for mini-competitions: weights, weighted scores,
price scores and ranking. Plain Python, no Django.

A criterion is scored on a scale from 0 to its maximum (0-5 with
descriptors, as the tender documents state). A score of s out of m on a
criterion weighted w% is worth w x s / m points; a bid's total is out of
100. Price, where the council scores it at all (Sefton fixes the hourly
rate, so it does not), gives the lowest bid the full weight and others
lowest / price x weight.

Rounding: points are kept exact (as fractions: a third of a point stays a
third) and each total is rounded once, to 2 decimal places, half up. The
points shown per kind are rounded on the running total, so quality, social
value and price always add up to the total shown. Ranks compare the rounded
totals, so two bids that show the same total are tied, and the tie-break
rule is shown beside them.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

HUNDRED = Decimal(100)
POINTS = Decimal("0.01")

QUALITY = "quality"
SOCIAL_VALUE = "social_value"
PRICE = "price"
KINDS = (QUALITY, SOCIAL_VALUE, PRICE)

TIE_BREAK_RULE = (
    "Bids with the same total are ranked by their quality points; if those are "
    "equal too, the bids share the rank and the panel decides between them."
)


class ScoringError(ValueError):
    pass


@dataclass(frozen=True)
class Criterion:
    key: object
    name: str
    weight: Decimal
    max_score: int = 5
    kind: str = QUALITY

    @property
    def is_price(self) -> bool:
        return self.kind == PRICE


def check_weights(criteria: Iterable[Criterion]) -> None:
    """The weights must add up to exactly 100 (Sefton 95/5/0, Croydon 60/40)."""
    criteria = list(criteria)
    if not criteria:
        raise ScoringError("Add at least one evaluation criterion.")
    for criterion in criteria:
        if criterion.weight < 0:
            raise ScoringError(f"The weight of “{criterion.name}” cannot be negative.")
        if criterion.kind not in KINDS:
            raise ScoringError(f"“{criterion.name}” has an unknown kind: {criterion.kind}.")
        if not criterion.is_price and criterion.max_score < 1:
            raise ScoringError(f"The scale of “{criterion.name}” must go up to at least 1.")
    if sum(1 for c in criteria if c.is_price) > 1:
        raise ScoringError("Only one criterion can score price.")
    total = weight_total(criteria)
    if total != HUNDRED:
        raise ScoringError(f"The weights add up to {percent(total)}%; they must add up to 100%.")


def weight_total(criteria: Iterable[Criterion]) -> Decimal:
    return sum((Decimal(c.weight) for c in criteria), Decimal(0))


def weights_problem(criteria: Iterable[Criterion]) -> str | None:
    """What stops these criteria being used, in words for the task list, or
    None when they can be. Shown while the call-off is being prepared, so
    the officer can fix it before inviting bids rather than at invitation."""
    try:
        check_weights(criteria)
    except ScoringError as exc:
        return str(exc)
    return None


def weights_fix(criteria: Iterable[Criterion]) -> str:
    """How far the weights are from 100, as the change to make."""
    gap = HUNDRED - weight_total(criteria)
    if gap > 0:
        return f"Add {percent(gap)} percentage points to the weights."
    if gap < 0:
        return f"Take {percent(-gap)} percentage points off the weights."
    return ""


def percent(value: Decimal) -> str:
    """95.00 as 95, 2.50 as 2.5: how people write weights."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_score(criterion: Criterion, score: int) -> None:
    if criterion.is_price:
        raise ScoringError(f"“{criterion.name}” is scored from the bid prices, not by evaluators.")
    if not isinstance(score, int) or isinstance(score, bool):
        raise ScoringError(f"The score for “{criterion.name}” must be a whole number.")
    if not 0 <= score <= criterion.max_score:
        raise ScoringError(
            f"The score for “{criterion.name}” must be from 0 to {criterion.max_score}."
        )


def points(criterion: Criterion, score: int) -> Fraction:
    """Weighted points for one score, exact."""
    check_score(criterion, score)
    return Fraction(criterion.weight) * score / criterion.max_score


def price_points(prices: Mapping[object, Decimal], weight: Decimal) -> dict[object, Fraction]:
    """Lowest price / bid price x weight, for every bid, exact."""
    for bid, price in prices.items():
        if price is None or Decimal(price) <= 0:
            raise ScoringError(f"Bid {bid} has no price above £0.00 to score.")
    if not prices:
        return {}
    lowest = min(Fraction(price) for price in prices.values())
    return {bid: lowest / Fraction(price) * Fraction(weight) for bid, price in prices.items()}


def round_points(value) -> Decimal:
    """To 2 decimal places, half up (points are never negative)."""
    hundredths = math.floor(Fraction(value) * 100 + Fraction(1, 2))
    return (Decimal(hundredths) / 100).quantize(POINTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BidPoints:
    bid: object
    total: Decimal  # rounded, out of 100
    by_kind: dict[str, Decimal]  # rounded points per kind (quality, social value, price)


@lru_cache(maxsize=32)
def _points_table(criteria: tuple[Criterion, ...]) -> tuple[int, dict]:
    """Every criterion's points for every possible score as whole numbers
    over one common denominator, so a results page of hundreds of bids adds
    integers instead of fractions and stays exact."""
    exact = {
        c.key: [Fraction(c.weight) * s / c.max_score for s in range(c.max_score + 1)]
        for c in criteria
        if not c.is_price
    }
    denominator = math.lcm(1, *(p.denominator for row in exact.values() for p in row))
    table = {key: [int(p * denominator) for p in row] for key, row in exact.items()}
    return denominator, table


def _round_units(units: Fraction | int, denominator: int) -> Decimal:
    """units / denominator points, rounded half up to the hundredth."""
    if isinstance(units, int):
        hundredths = (200 * units + denominator) // (2 * denominator)
    else:  # price points are fractions of their own
        hundredths = math.floor(Fraction(units * 100, denominator) + Fraction(1, 2))
    return Decimal(hundredths).scaleb(-2)


def bid_points(
    criteria: Iterable[Criterion],
    scores: Mapping[object, int],
    *,
    bid: object = None,
    price_points_for_bid: Decimal | None = None,
) -> BidPoints:
    """A bid's total from one score per non-price criterion (the moderated
    consensus scores), plus its price points if price is scored."""
    criteria = tuple(criteria)
    denominator, table = _points_table(criteria)
    by_kind = dict.fromkeys(KINDS, 0)  # in 1/denominator points
    for criterion in criteria:
        if criterion.is_price:
            if price_points_for_bid is None:
                raise ScoringError("Price is weighted but this bid's price points are missing.")
            by_kind[PRICE] += Fraction(price_points_for_bid) * denominator
            continue
        if criterion.key not in scores:
            raise ScoringError(f"“{criterion.name}” has no score for this bid.")
        score = scores[criterion.key]
        check_score(criterion, score)
        by_kind[criterion.kind] += table[criterion.key][score]
    shown, running, previous = {}, 0, Decimal(0)
    for kind in KINDS:
        running += by_kind[kind]
        rounded = _round_units(running, denominator)
        shown[kind] = (rounded - previous).quantize(POINTS)
        previous = rounded
    return BidPoints(bid, previous.quantize(POINTS), shown)


@dataclass(frozen=True)
class Ranked:
    bid: object
    rank: int
    total: Decimal
    quality: Decimal
    tied: bool  # another bid has the same total
    separated_by_tie_break: bool  # ...but the tie-break rule put them apart


def rank(results: Iterable[BidPoints]) -> list[Ranked]:
    """Highest total first; equal totals ranked by quality points; equal on
    both share a rank (standard competition ranking: 1, 2, 2, 4)."""
    ordered = sorted(results, key=lambda r: (-r.total, -r.by_kind[QUALITY]))
    same_total = Counter(r.total for r in ordered)
    same_both = Counter((r.total, r.by_kind[QUALITY]) for r in ordered)
    ranked: list[Ranked] = []
    for position, result in enumerate(ordered, start=1):
        quality = result.by_kind[QUALITY]
        previous = ranked[-1] if ranked else None
        shares_rank = previous is not None and (previous.total, previous.quality) == (
            result.total,
            quality,
        )
        tied = same_total[result.total] > 1
        ranked.append(
            Ranked(
                bid=result.bid,
                rank=previous.rank if shares_rank else position,
                total=result.total,
                quality=quality,
                tied=tied,
                separated_by_tie_break=tied and same_both[(result.total, quality)] == 1,
            )
        )
    return ranked


def spread(scores: Iterable[int]) -> tuple[int, int]:
    """Lowest and highest of the evaluators' scores: moderation looks hardest
    where they are far apart."""
    scores = list(scores)
    return (min(scores), max(scores)) if scores else (0, 0)
