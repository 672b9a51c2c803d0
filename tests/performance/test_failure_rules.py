"""The pure rules for failures and improvement plans, directly and with
hypothesis: whatever passes them is a consistent record."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from performance import failure_rules
from performance.constants import FailureOutcome, ImprovementPlanStatus
from performance.failure_rules import FailureFacts, failure_problems, plan_state

TODAY = date(2026, 1, 15)
START = date(2024, 4, 1)

days = st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31))
amounts = st.none() | st.decimals(
    min_value=Decimal("-100"), max_value=Decimal("100000"), places=2, allow_nan=False
)
facts = st.builds(
    FailureFacts,
    started_on=days,
    ended_on=st.none() | days,
    is_ongoing=st.booleans(),
    outcome=st.sampled_from(FailureOutcome.values),
    damages_amount=amounts,
    outcome_notes=st.sampled_from(["", "  ", "Agreed terms"]),
)


def test_the_constants_match_the_models_choices():
    assert failure_rules.DAMAGES == FailureOutcome.DAMAGES
    assert failure_rules.OTHER == FailureOutcome.OTHER
    assert {failure_rules.OPEN, failure_rules.MET, failure_rules.NOT_MET} == set(
        ImprovementPlanStatus.values
    )


@given(facts)
def test_a_failure_without_problems_is_consistent(f):
    if failure_problems(f, today=TODAY, contract_start=START):
        return
    assert START <= f.started_on <= TODAY
    # Ended, or ongoing, never both and never neither.
    assert (f.ended_on is None) == f.is_ongoing
    if f.ended_on is not None:
        assert f.started_on <= f.ended_on <= TODAY
    if f.outcome == FailureOutcome.DAMAGES:
        assert f.damages_amount is not None and f.damages_amount > 0
    else:
        assert f.damages_amount is None
    if f.outcome == FailureOutcome.OTHER:
        assert f.outcome_notes.strip()


@given(facts)
def test_each_problem_names_a_field_of_the_failure(f):
    for field, message in failure_problems(f, today=TODAY, contract_start=START):
        assert field in {
            "started_on",
            "ended_on",
            "is_ongoing",
            "damages_amount",
            "outcome_notes",
        }
        assert message[0].isupper() and not message.endswith(".")


def test_a_failure_ending_the_day_it_started_is_fine():
    f = FailureFacts(
        started_on=TODAY,
        ended_on=TODAY,
        is_ongoing=False,
        outcome="damages",
        damages_amount=Decimal("0.01"),
    )
    assert failure_problems(f, today=TODAY, contract_start=START) == []


@given(status=st.sampled_from(ImprovementPlanStatus.values), improve_by=days)
def test_only_an_open_plan_past_its_date_is_overdue(status, improve_by):
    state = plan_state(status=status, improve_by=improve_by, today=TODAY)
    if status == "open" and improve_by < TODAY:
        assert state == "overdue"
    else:
        assert state == status


@given(warned_on=days, gap=st.integers(min_value=-30, max_value=400))
def test_a_warning_without_problems_is_in_order(warned_on, gap):
    improve_by = warned_on + timedelta(days=gap)
    problems = failure_rules.plan_warning_problems(
        warned_on=warned_on, improve_by=improve_by, today=TODAY
    )
    assert (not problems) == (warned_on <= TODAY and improve_by >= warned_on)
