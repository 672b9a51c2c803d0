import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.scoring import (
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
    BidPoints,
    Criterion,
    ScoringError,
    bid_points,
    check_weights,
    points,
    price_points,
    rank,
)

# Sefton: 95% quality, 5% social value, price fixed by the council.
SEFTON = [
    Criterion("q1", "Outcomes and person-centred support", Decimal(50)),
    Criterion("q2", "Workforce and safeguarding", Decimal(45)),
    Criterion("sv", "Social value", Decimal(5), kind=SOCIAL_VALUE),
]
# Croydon: cost 60, quality 40.
CROYDON = [
    Criterion("cost", "Cost", Decimal(60), kind=PRICE),
    Criterion("quality", "Quality", Decimal(40)),
]


def test_sefton_weights_are_accepted_and_totals_are_out_of_100():
    check_weights(SEFTON)
    result = bid_points(SEFTON, {"q1": 4, "q2": 3, "sv": 5})
    # 50 x 4/5 + 45 x 3/5 + 5 x 5/5 = 40 + 27 + 5
    assert result.total == Decimal("72.00")
    assert result.by_kind[QUALITY] == Decimal("67.00")
    assert result.by_kind[SOCIAL_VALUE] == Decimal("5.00")


@pytest.mark.parametrize(
    "weights", [(95, 4), (95, 5, 1), (50, 49.5), (101, -1)], ids=["99", "101", "99.5", "negative"]
)
def test_weights_that_do_not_add_up_to_100_are_refused(weights):
    criteria = [Criterion(n, f"Criterion {n}", Decimal(str(w))) for n, w in enumerate(weights)]
    with pytest.raises(ScoringError):
        check_weights(criteria)


def test_the_refusal_says_what_the_weights_add_up_to():
    with pytest.raises(ScoringError, match="add up to 99%; they must add up to 100%"):
        check_weights([Criterion(1, "Quality", Decimal(95)), Criterion(2, "SV", Decimal(4))])


@pytest.mark.parametrize("score", [-1, 6, 2.5, True])
def test_scores_outside_the_scale_are_refused(score):
    with pytest.raises(ScoringError):
        points(SEFTON[0], score)


def test_croydon_price_scoring_gives_the_lowest_price_the_full_weight():
    prices = price_points({"a": Decimal("18.50"), "b": Decimal("20.00")}, Decimal(60))
    assert prices["a"] == Decimal(60)
    assert round(prices["b"], 4) == Decimal("55.5000")  # 18.50 / 20.00 x 60
    total = bid_points(CROYDON, {"quality": 5}, price_points_for_bid=prices["b"])
    assert total.total == Decimal("95.50")


def test_a_price_of_nothing_cannot_be_scored():
    with pytest.raises(ScoringError):
        price_points({"a": Decimal("0.00")}, Decimal(60))


def result(bid, total, quality):
    kinds = {QUALITY: Decimal(quality), SOCIAL_VALUE: Decimal(total - quality), PRICE: 0}
    return BidPoints(bid, Decimal(total), kinds)


def test_equal_totals_are_split_by_quality_then_share_a_rank():
    results = [
        result("a", 80, 76),
        result("b", 80, 78),
        result("c", 70, 70),
        result("d", 70, 70),
        result("e", 60, 60),
    ]
    ranked = {r.bid: r for r in rank(results)}
    assert [ranked[b].rank for b in "bacde"] == [1, 2, 3, 3, 5]
    assert ranked["a"].tied and ranked["a"].separated_by_tie_break
    assert ranked["c"].tied and not ranked["c"].separated_by_tie_break
    assert not ranked["e"].tied


WEIGHTS = st.lists(st.integers(0, 100), min_size=1, max_size=8).filter(lambda w: sum(w) > 0)


@st.composite
def criteria_and_scores(draw):
    raw = draw(WEIGHTS)
    # Scale the weights so they add up to exactly 100.
    weights = [Decimal(w) * 100 / sum(raw) for w in raw]
    weights[-1] = Decimal(100) - sum(weights[:-1])
    criteria = [
        Criterion(n, f"C{n}", weight, max_score=draw(st.integers(1, 10)))
        for n, weight in enumerate(weights)
    ]
    scores = {c.key: draw(st.integers(0, c.max_score)) for c in criteria}
    return criteria, scores


@given(criteria_and_scores())
def test_a_total_is_between_0_and_100(case):
    criteria, scores = case
    check_weights(criteria)
    assert Decimal(0) <= bid_points(criteria, scores).total <= Decimal(100)


@given(criteria_and_scores())
def test_full_marks_everywhere_is_100(case):
    criteria, _ = case
    assert bid_points(criteria, {c.key: c.max_score for c in criteria}).total == Decimal(100)


@given(criteria_and_scores(), st.data())
def test_a_higher_score_never_lowers_the_total(case, data):
    criteria, scores = case
    criterion = data.draw(st.sampled_from(criteria))
    better = {**scores, criterion.key: min(criterion.max_score, scores[criterion.key] + 1)}
    assert bid_points(criteria, better).total >= bid_points(criteria, scores).total


@given(st.dictionaries(st.integers(), st.decimals("0.01", "10000", places=2), min_size=1))
def test_price_points_favour_lower_prices_and_never_exceed_the_weight(prices):
    scored = price_points(prices, Decimal(60))
    assert max(scored.values()) == Decimal(60)
    for a in prices:
        for b in prices:
            if prices[a] < prices[b]:
                assert scored[a] > scored[b]


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=30))
def test_ranks_put_every_bid_in_order_and_ties_share(pairs):
    results = [
        BidPoints(n, Decimal(total), {QUALITY: Decimal(q), SOCIAL_VALUE: Decimal(0), PRICE: 0})
        for n, (total, q) in enumerate(pairs)
    ]
    ranked = rank(results)
    assert sorted(r.bid for r in ranked) == list(range(len(pairs)))
    assert ranked[0].rank == 1
    for before, after in itertools.pairwise(ranked):
        assert (before.total, before.quality) >= (after.total, after.quality)
        same = (before.total, before.quality) == (after.total, after.quality)
        assert (after.rank == before.rank) == same


def test_points_are_exact_until_the_total_is_rounded_half_up():
    criteria = [
        Criterion(1, "A", Decimal("22.13"), max_score=3),
        Criterion(2, "B", Decimal("28.60"), max_score=3),
        Criterion(3, "C", Decimal("49.27"), max_score=6),
    ]
    # 22.13 x 2/3 + 28.60 x 1/3 + 49.27 x 5/6 = 65.345 exactly: half up is 65.35.
    assert bid_points(criteria, {1: 2, 2: 1, 3: 5}).total == Decimal("65.35")


def test_the_points_shown_by_kind_add_up_to_the_total_shown():
    criteria = [
        Criterion(1, "Social value", Decimal("60.27"), max_score=2, kind=SOCIAL_VALUE),
        Criterion(2, "Quality", Decimal("39.73"), max_score=9),
    ]
    result = bid_points(criteria, {1: 1, 2: 2})
    assert result.total == Decimal("38.96")  # 30.135 + 8.8289 = 38.9639
    assert sum(result.by_kind.values()) == result.total


@given(criteria_and_scores())
def test_the_total_is_the_exact_sum_rounded_half_up_and_the_kinds_add_up_to_it(case):
    from fractions import Fraction

    criteria, scores = case
    exact = sum(Fraction(c.weight) * scores[c.key] / c.max_score for c in criteria)
    hundredths = int(exact * 100)
    if exact * 100 - hundredths >= Fraction(1, 2):
        hundredths += 1
    result = bid_points(criteria, scores)
    assert result.total == Decimal(hundredths) / 100
    assert sum(result.by_kind.values()) == result.total
