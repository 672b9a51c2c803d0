"""Evaluation puts work in people's queues: each is told, and nobody else."""

import pytest

from notifications.kinds import Kind
from notifications.models import Notification
from procurement.models import EvaluatorAssignment
from procurement.services import call_offs, evaluation
from tests.notifications.test_hooks import emails, people, told  # noqa: F401
from tests.procurement.conftest import AFTER
from tests.procurement.test_mini_competition import moderate, open_and_bid, score_everything

pytestmark = pytest.mark.django_db


def test_an_evaluator_is_told_when_assigned_and_nobody_else(
    call_off, procurement_officer, evaluators
):
    evaluation.evaluator_assign(call_off=call_off, by=procurement_officer, evaluator=evaluators[0])
    assert told(Kind.EVALUATOR_ASSIGNED) == {evaluators[0].email.lower()}
    assignment = call_off.evaluators.get()
    assert Notification.objects.get().url.endswith(f"/procurement/evaluations/{assignment.pk}/")


def test_results_ready_go_to_those_who_may_approve_them_once_moderation_ends(
    call_off,
    procurement_officer,
    evaluators,
    people,  # noqa: F811
):
    bids = open_and_bid(call_off, procurement_officer)
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    # An approving manager on the panel who declared a conflict may not approve.
    EvaluatorAssignment.objects.create(call_off=call_off, evaluator=people["hc"], has_conflict=True)
    evaluation.consensus_record(
        bid=next(iter(bids.values())),
        criterion=call_off.criteria.first(),
        by=procurement_officer,
        score=3,
        rationale="Agreed",
    )
    assert told(Kind.RESULTS_READY) == set()
    moderate(call_off, procurement_officer, bids)
    # Approving managers and administrators, less the conflicted manager; the
    # author (a procurement officer) cannot approve and is not asked.
    assert told(Kind.RESULTS_READY) == emails(people, "sl1", "sl2", "admin")
    # Moderation records many scores: the approvers are told once each.
    assert Notification.objects.filter(kind=Kind.RESULTS_READY).count() == 3

    evaluation.results_approve(call_off=call_off, by=people["sl1"])
    assert told(Kind.DECISION_MADE) == {procurement_officer.email.lower()}
