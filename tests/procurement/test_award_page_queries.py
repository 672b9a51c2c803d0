"""The approve page, the award's check page and the letters page cost the
same number of queries whatever the number of bids."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind
from procurement.services import award, call_offs, evaluation, systems
from tests.factories import ProviderContactFactory, ProviderFactory
from tests.procurement.conftest import AFTER, BEFORE, DEADLINE, award_answers


def moderated(pdps, officer, evaluator, size: int):
    """A call-off on a lot of its own with `size` bids, scored and moderated."""
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
        title="Supported living",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=DEADLINE,
    )
    for name, weight in (("Outcomes", 95), ("Social value", 5)):
        call_offs.criterion_add(
            call_off=call_off,
            by=officer,
            name=name,
            weight=Decimal(weight),
            kind=CriterionKind.QUALITY,
        )
    criteria = list(call_off.criteria.all())
    bids = [
        call_offs.bid_submit(invitation=i, answers={c.pk: "Answer" for c in criteria}, now=BEFORE)
        for i in call_offs.call_off_open(call_off=call_off, by=officer, now=BEFORE)
    ]
    call_offs.evaluation_start(call_off=call_off, by=officer, now=AFTER)
    assignment = evaluation.evaluator_assign(call_off=call_off, by=officer, evaluator=evaluator)
    evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
    for n, bid in enumerate(bids):
        scores = dict.fromkeys(criteria, (n % 6, ""))
        evaluation.scores_save(assignment=assignment, by=evaluator, bid=bid, scores=scores)
    evaluation.scores_submit(assignment=assignment, by=evaluator)
    for n, bid in enumerate(bids):
        for criterion in criteria:
            evaluation.consensus_record(
                bid=bid, criterion=criterion, by=officer, score=n % 6, rationale="Agreed"
            )
    return call_off


def _count(client, url, method="get") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def two_sizes(pdps, procurement_officer, evaluators, time_machine):
    time_machine.move_to("2027-02-02 10:00 +00:00")
    return [moderated(pdps, procurement_officer, evaluators[0], size) for size in (2, 6)]


def test_the_award_pages_cost_the_same_queries_for_2_or_6_bids(
    two_sizes, client_as, approver, procurement_officer, commissioning_officer
):
    managers = client_as(Role.APPROVING_MANAGER)
    approve = [
        _count(managers, reverse("procurement:results_approve", args=[c.pk])) for c in two_sizes
    ]
    assert approve[0] == approve[1]

    officer = client_as(Role.PROCUREMENT_OFFICER)
    checks, letters = [], []
    for call_off in two_sizes:
        evaluation.results_approve(call_off=call_off, by=approver)
        response = officer.post(
            reverse("procurement:award", args=[call_off.pk]),
            {
                "owner": commissioning_officer.pk,
                "start_date_0": "1",
                "start_date_1": "4",
                "start_date_2": "2027",
                "standstill_applies": "yes",
                "standstill_days": "8",
            },
        )
        assert response.status_code == 302
        checks.append(_count(officer, response.url))
        award.call_off_award(
            call_off=call_off, by=procurement_officer, **award_answers(commissioning_officer)
        )
        letters.append(_count(officer, reverse("procurement:award_letters", args=[call_off.pk])))
    assert checks[0] == checks[1]
    assert letters[0] == letters[1]
