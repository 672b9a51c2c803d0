"""The weight check the task list shows while a call-off is prepared: the
total, whether the weights can be used, and the change that fixes them."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from procurement.scoring import (
    HUNDRED,
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
    Criterion,
    percent,
    weight_total,
    weights_fix,
    weights_problem,
)

weights = st.decimals("0", "100", places=2)
non_price = st.sampled_from([QUALITY, SOCIAL_VALUE])


def criteria_of(ws, kind=QUALITY):
    return [Criterion(n, f"Criterion {n}", w, kind=kind) for n, w in enumerate(ws)]


def test_weights_of_110_are_a_problem_with_the_fix_to_take_10_off():
    criteria = criteria_of([Decimal(50), Decimal(45), Decimal(15)])
    assert weights_problem(criteria) == "The weights add up to 110%; they must add up to 100%."
    assert weights_fix(criteria) == "Take 10 percentage points off the weights."


def test_weights_of_95_need_5_more():
    criteria = criteria_of([Decimal(50), Decimal(45)])
    assert weights_problem(criteria) == "The weights add up to 95%; they must add up to 100%."
    assert weights_fix(criteria) == "Add 5 percentage points to the weights."


def test_sefton_weights_have_no_problem_and_nothing_to_fix():
    social_value = Criterion("sv", "Social value", Decimal(5), kind=SOCIAL_VALUE)
    criteria = [*criteria_of([Decimal(50), Decimal(45)]), social_value]
    assert weights_problem(criteria) is None
    assert weights_fix(criteria) == ""


def test_no_criteria_is_a_problem():
    assert weights_problem([]) == "Add at least one evaluation criterion."


def test_two_price_criteria_are_a_problem_even_at_100():
    criteria = criteria_of([Decimal(60), Decimal(40)], kind=PRICE)
    assert weights_problem(criteria) == "Only one criterion can score price."


@given(st.lists(weights, max_size=12))
def test_the_total_is_the_exact_sum_of_the_weights(ws):
    assert weight_total(criteria_of(ws)) == sum(ws, Decimal(0))


@given(st.lists(weights, min_size=1, max_size=12), non_price)
def test_weights_are_a_problem_exactly_when_they_do_not_add_up_to_100(ws, kind):
    problem = weights_problem(criteria_of(ws, kind))
    assert (problem is None) == (sum(ws) == HUNDRED)
    if problem:
        assert f"add up to {percent(sum(ws))}%" in problem


@given(st.lists(weights, min_size=1, max_size=12))
def test_the_fix_moves_the_total_to_exactly_100(ws):
    total = sum(ws, Decimal(0))
    fix = weights_fix(criteria_of(ws))
    if total == HUNDRED:
        assert fix == ""
        return
    amount = Decimal(fix.split()[1])
    assert total + (amount if fix.startswith("Add") else -amount) == HUNDRED


@given(st.lists(weights, min_size=1, max_size=12))
def test_changing_one_weight_by_the_fix_clears_the_problem(ws):
    criteria = criteria_of(ws)
    gap = HUNDRED - weight_total(criteria)
    # The officer's fix on the criteria page: one weight takes the gap, if
    # it stays within 0-100; otherwise the last criterion is replaced.
    first = criteria[0]
    new_weight = first.weight + gap
    if Decimal(0) <= new_weight <= HUNDRED:
        fixed = [Criterion(first.key, first.name, new_weight), *criteria[1:]]
    else:
        fixed = [Criterion("only", "Only", HUNDRED)]
    assert weights_problem(fixed) is None
