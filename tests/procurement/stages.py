"""Bring the conftest's call-off to each stage through the real services."""

from core.roles import Role
from procurement.constants import CallOffStatus
from procurement.services import award, call_offs, cancel, evaluation
from tests.factories import UserFactory
from tests.procurement.conftest import AFTER, award_answers
from tests.procurement.test_mini_competition import moderate, open_and_bid, score_everything


def bring_to(status, call_off, officer, evaluators, approver):
    if status == CallOffStatus.CANCELLED:
        return cancel.call_off_cancel(call_off=call_off, by=officer, reason="No longer needed")
    if status == CallOffStatus.DRAFT:
        return call_off
    bids = open_and_bid(call_off, officer)
    if status == CallOffStatus.OPEN:
        return call_off
    call_offs.evaluation_start(call_off=call_off, by=officer, now=AFTER)
    if status == CallOffStatus.EVALUATION:
        return call_off
    score_everything(call_off, evaluators, bids)
    moderate(call_off, officer, bids)
    evaluation.results_approve(call_off=call_off, by=approver)
    if status == CallOffStatus.APPROVED:
        return call_off
    owner = UserFactory(role=Role.COMMISSIONING_OFFICER)
    award.call_off_award(call_off=call_off, by=officer, **award_answers(owner))
    assert status == CallOffStatus.AWARDED
    return call_off
