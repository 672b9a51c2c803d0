"""When approving an extension needs a recorded explanation: the plain rules."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from contracts.extension_rules import (
    INADEQUATE,
    NO_BUDGET,
    NO_RECENT_REVIEW,
    OVER_COMMITTED,
    explanation_needed,
    months_before,
    reasons_to_explain,
)

TODAY = date(2026, 12, 2)


def rules(**kwargs):
    args = {
        "latest_review_on": date(2026, 10, 15),
        "latest_rating": "good",
        "over_committed_years": [],
        "today": TODAY,
    } | kwargs
    return [reason.rule for reason in reasons_to_explain(**args)]


def test_a_recent_good_review_within_budget_needs_no_explanation():
    assert rules() == []


def test_no_review_ever_needs_an_explanation():
    assert rules(latest_review_on=None, latest_rating=None) == [NO_RECENT_REVIEW]


def test_a_review_exactly_12_months_ago_still_counts_and_one_a_day_older_does_not():
    assert rules(latest_review_on=date(2025, 12, 2)) == []
    assert rules(latest_review_on=date(2025, 12, 1)) == [NO_RECENT_REVIEW]


def test_the_old_reviews_date_is_named():
    (reason,) = reasons_to_explain(
        latest_review_on=date(2025, 3, 3),
        latest_rating="good",
        over_committed_years=[],
        today=TODAY,
    )
    assert "the latest was on 3 March 2025" in reason.clause


def test_an_inadequate_latest_rating_needs_an_explanation():
    assert rules(latest_rating="inadequate") == [INADEQUATE]


def test_requires_improvement_does_not_need_one():
    assert rules(latest_rating="requires_improvement") == []


def test_an_over_committed_year_needs_an_explanation_naming_it():
    reasons = reasons_to_explain(
        latest_review_on=date(2026, 10, 15),
        latest_rating="good",
        over_committed_years=["2029/30", "2030/31"],
        today=TODAY,
    )
    assert [r.rule for r in reasons] == [OVER_COMMITTED]
    assert reasons[0].clause == "it over-commits the 2029/30 and 2030/31 budgets"


def test_a_year_without_a_budget_needs_an_explanation():
    assert rules(unbudgeted_years=["2030/31"]) == [NO_BUDGET]


def test_the_error_names_every_rule_that_applies():
    reasons = reasons_to_explain(
        latest_review_on=None,
        latest_rating=None,
        over_committed_years=["2030/31"],
        today=TODAY,
    )
    assert explanation_needed(reasons) == (
        "Explain why you approve the extension although the contract's performance has "
        "never been reviewed; and it over-commits the 2030/31 budget"
    )


def test_29_february_less_12_months_is_28_february():
    assert months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(today=days, age=st.integers(min_value=0, max_value=1000))
def test_a_review_counts_as_recent_exactly_when_it_is_within_12_months(today, age):
    reviewed = today - timedelta(days=age)
    recent = reviewed >= months_before(today, 12)
    assert (NO_RECENT_REVIEW in rules(latest_review_on=reviewed, today=today)) != recent
    # 12 months back is between 365 and 366 days.
    assert 365 <= (today - months_before(today, 12)).days <= 366


@given(
    reviewed=st.one_of(st.none(), days),
    rating=st.sampled_from([None, "good", "approaching_target", "inadequate", "other"]),
    over=st.lists(st.sampled_from(["2029/30", "2030/31"]), unique=True),
)
def test_each_rule_applies_on_its_own_input_alone(reviewed, rating, over):
    found = rules(latest_review_on=reviewed, latest_rating=rating, over_committed_years=over)
    assert (INADEQUATE in found) == (rating == "inadequate")
    assert (OVER_COMMITTED in found) == bool(over)
    assert (NO_RECENT_REVIEW in found) == (reviewed is None or reviewed < date(2025, 12, 2))
