"""The call-off page costs the same number of queries whatever the number of
invited providers, bids, evaluators and clarifications (issue 11: 1.9 s at
the 95th percentile under load)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind
from procurement.services import call_offs, evaluation, systems
from tests.factories import ProviderContactFactory, ProviderFactory
from tests.procurement.conftest import AFTER, BEFORE, DEADLINE


def mini_competition(pdps, officer, evaluators, size: int, *, stage: str):
    """A call-off on a lot of its own with `size` providers invited, each
    with a main contact and a bid, `size` evaluators and clarifications."""
    lot = systems.lot_add(system=pdps, by=officer, name=f"Lot of {size}")
    question = pdps.questions.get()
    for _ in range(size):
        provider = ProviderFactory()
        ProviderContactFactory(provider=provider, is_main_contact=True)
        application = systems.application_record(
            system=pdps,
            by=officer,
            provider=provider,
            lots=[lot],
            received_on=date(2026, 9, 15),
            answers={question: (True, "Registered")},
        )
        systems.admission_decide(
            admission=application.admissions.get(), by=officer, status=AdmissionStatus.ADMITTED
        )
    call_off = call_offs.call_off_create(
        lot=lot,
        by=officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference=f"SL-2027-{size:02d}",
        title="Supported living, Bootle scheme",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("250000.00"),
        term="3+1+1",
        bid_deadline=DEADLINE,
    )
    for name, weight in (("Outcomes", 95), ("Social value", 5)):
        call_offs.criterion_add(
            call_off=call_off,
            by=officer,
            name=name,
            weight=Decimal(weight),
            kind=CriterionKind.QUALITY,
            max_score=5,
        )
    criteria = list(call_off.criteria.all())
    with time_machine.travel(BEFORE, tick=False):
        for invitation in call_offs.call_off_open(call_off=call_off, by=officer, now=BEFORE):
            call_offs.bid_submit(
                invitation=invitation, answers={c.pk: "Our answer" for c in criteria}, now=BEFORE
            )
        call_off.refresh_from_db()
        for n in range(size):
            call_offs.clarification_publish(
                call_off=call_off, by=officer, question=f"Question {n}", answer="Answer"
            )
    for evaluator in evaluators[:size]:
        assignment = evaluation.evaluator_assign(call_off=call_off, by=officer, evaluator=evaluator)
        evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
    if stage == "evaluation":
        call_offs.evaluation_start(call_off=call_off, by=officer, now=AFTER)
    return call_off


def queries_for(user, call_off, *, at) -> list[str]:
    with time_machine.travel(at, tick=False):
        client = Client()
        client.force_login(user)
        client.get(call_off.get_absolute_url())  # the session's first save
        with CaptureQueriesContext(connection) as captured:
            response = client.get(call_off.get_absolute_url())
    assert response.status_code == 200
    return [q["sql"] for q in captured]


@pytest.mark.parametrize(
    ("stage", "at"),
    [("open", BEFORE), ("open", AFTER), ("evaluation", AFTER)],
    ids=["sealed bids", "deadline passed", "evaluation"],
)
def test_call_off_page_queries_do_not_grow_with_bids_evaluators_or_clarifications(
    pdps, procurement_officer, user_with_role, stage, at
):
    evaluators = [user_with_role(Role.EVALUATOR) for _ in range(8)]
    small = mini_competition(pdps, procurement_officer, evaluators, 2, stage=stage)
    large = mini_competition(pdps, procurement_officer, evaluators, 8, stage=stage)
    officer = user_with_role(Role.PROCUREMENT_OFFICER)
    few, many = queries_for(officer, small, at=at), queries_for(officer, large, at=at)
    assert len(many) == len(few)
    # The panel is read once for the task list, the bids and the evaluators
    # (the navigation's Your work count, one query of COUNTs, is not the page's).
    page_own = [sql for sql in many if not sql.startswith("SELECT (SELECT COUNT(*)")]
    assert sum('FROM "procurement_evaluatorassignment"' in sql for sql in page_own) == 1
