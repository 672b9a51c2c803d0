"""The procurement pages: sealing, independence and the evaluator's journey
as users meet them."""

import subprocess

import pytest
import time_machine
from django.urls import reverse

from core.roles import Role
from procurement.models import Bid, EvaluatorAssignment
from procurement.services import call_offs, evaluation
from tests.conftest import ALL_ROLES
from tests.procurement.conftest import AFTER, BEFORE, DEADLINE
from tests.procurement.test_mini_competition import moderate, open_and_bid, score_everything


@pytest.fixture
def bids(call_off, procurement_officer):
    return open_and_bid(call_off, procurement_officer)


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.value if r else "signed-out")
def test_no_role_can_read_a_bid_before_the_deadline(role, call_off, bids, client_as):
    with time_machine.travel(DEADLINE.replace(hour=11, minute=59), tick=False):
        client = client_as(role)  # signed in at that moment, so the session is fresh
        for bid in bids.values():
            page = client.get(reverse("procurement:bid_detail", args=[call_off.pk, bid.pk]))
            assert page.status_code == (302 if role is None else 403)
            assert b"answer to" not in page.content
        detail = client.get(reverse("procurement:call_off_detail", args=[call_off.pk]))
        assert b"answer to" not in detail.content
    if role in (Role.PROCUREMENT_OFFICER, Role.APPROVING_MANAGER, Role.ADMINISTRATOR):
        with time_machine.travel(AFTER, tick=False):
            # A fresh sign-in: the earlier session timed out in the meantime.
            page = client_as(role).get(
                reverse("procurement:bid_detail", args=[call_off.pk, bids["A"].pk])
            )
        assert page.status_code == 200
        assert "answer to Outcomes" in page.text
        assert "Opened by" in page.text  # the opening just now is logged and shown


def test_the_call_off_shows_only_that_bids_arrived_before_the_deadline(call_off, bids, client_as):
    with time_machine.travel(BEFORE, tick=False):
        officer = client_as(Role.PROCUREMENT_OFFICER)
        page = officer.get(reverse("procurement:call_off_detail", args=[call_off.pk]))
    assert "3 bids received. Bids are sealed" in page.text
    assert "Provider A Ltd" in page.text  # as invited, not as a bidder
    assert "Open<span" not in page.text


def test_a_provider_bids_through_its_link_and_cannot_after_the_deadline(
    call_off, procurement_officer, client
):
    [invitation, *_] = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=BEFORE
    )
    url = reverse("procurement:provider_bid", args=[invitation.token])
    answers = {f"answer_{c.pk}": f"Our answer on {c.name}" for c in call_off.criteria.all()}
    with time_machine.travel(BEFORE, tick=False):
        assert "Your bid" in client.get(url).text
        response = client.post(url, answers)
        assert response.status_code == 302
    assert Bid.objects.get(invitation=invitation).answers.count() == 3
    with time_machine.travel(DEADLINE, tick=False):
        page = client.get(url)
        assert "Late bids cannot be accepted" in page.text
        late = client.post(url, answers)
        assert "Late bids cannot be accepted" in late.text
    assert Bid.objects.get(invitation=invitation).received_at == BEFORE


def test_opening_a_call_off_whose_weights_do_not_add_up_is_refused_on_the_page(call_off, client_as):
    call_off.criteria.filter(name="Social value").delete()
    with time_machine.travel(BEFORE, tick=False):
        officer = client_as(Role.PROCUREMENT_OFFICER)
        page = officer.post(reverse("procurement:call_off_open", args=[call_off.pk]), {})
    assert page.status_code == 200
    assert "The weights add up to 95%; they must add up to 100%." in page.text
    call_off.refresh_from_db()
    assert call_off.status == "draft"


@pytest.fixture
def evaluating(call_off, bids, procurement_officer, evaluators):
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    assignments = []
    for evaluator in evaluators[:2]:
        assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
        evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
        assignments.append(assignment)
    return assignments


def test_an_evaluator_never_sees_another_evaluators_scores_before_submitting(
    call_off, bids, evaluating, client
):
    first, second = evaluating
    criteria = list(evaluation.scored_criteria(call_off))
    evaluation.scores_save(
        assignment=first,
        by=first.evaluator,
        bid=bids["A"],
        scores=dict.fromkeys(criteria, (5, "FIRST-EVALUATOR-COMMENT")),
    )
    with time_machine.travel(AFTER, tick=False):
        client.force_login(second.evaluator)
        pages = [
            client.get(reverse("procurement:evaluation", args=[second.pk])),
            client.get(reverse("procurement:score_bid", args=[second.pk, bids["A"].pk])),
            client.get(reverse("procurement:check_scores", args=[second.pk])),
            # The first evaluator's pages are not found for the second.
            client.get(reverse("procurement:score_bid", args=[first.pk, bids["A"].pk])),
        ]
    assert [p.status_code for p in pages] == [200, 200, 200, 404]
    for page in pages:
        assert b"FIRST-EVALUATOR-COMMENT" not in page.content


def test_the_moderator_sees_scores_only_when_every_evaluator_has_submitted(
    call_off, bids, evaluating, client_as
):
    first, second = evaluating
    criteria = list(evaluation.scored_criteria(call_off))
    for bid in bids.values():
        evaluation.scores_save(
            assignment=first,
            by=first.evaluator,
            bid=bid,
            scores=dict.fromkeys(criteria, (4, "FIRST-COMMENT")),
        )
    evaluation.scores_submit(assignment=first, by=first.evaluator)
    url = reverse("procurement:moderation", args=[call_off.pk, bids["A"].pk])
    with time_machine.travel(AFTER, tick=False):
        officer = client_as(Role.PROCUREMENT_OFFICER)
        waiting = officer.get(url)
        assert "1 still to go" in waiting.text
        assert "FIRST-COMMENT" not in waiting.text
        for bid in bids.values():
            evaluation.scores_save(
                assignment=second,
                by=second.evaluator,
                bid=bid,
                scores=dict.fromkeys(criteria, (3, "SECOND-COMMENT")),
            )
        evaluation.scores_submit(assignment=second, by=second.evaluator)
        ready = officer.get(url)
    assert "FIRST-COMMENT" in ready.text and "SECOND-COMMENT" in ready.text


def test_an_evaluator_declares_scores_checks_and_submits_through_the_pages(
    call_off, bids, procurement_officer, evaluators, client
):
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    evaluator = evaluators[0]
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
    criteria = list(evaluation.scored_criteria(call_off))
    with time_machine.travel(AFTER, tick=False):
        client.force_login(evaluator)
        declared = client.post(
            reverse("procurement:declaration", args=[assignment.pk]), {"has_conflict": "no"}
        )
        assert declared.status_code == 302
        score_url = reverse("procurement:score_bid", args=[assignment.pk, bids["A"].pk])
        page = client.get(score_url)
        assert "answer to Outcomes" in page.text
        missing = client.post(score_url, {})
        assert "Score “Outcomes and person-centred support”" in missing.text
        for bid in bids.values():
            form = {f"score_{c.pk}": "4" for c in criteria}
            assert (
                client.post(
                    reverse("procurement:score_bid", args=[assignment.pk, bid.pk]), form
                ).status_code
                == 302
            )
        check = client.get(reverse("procurement:check_scores", args=[assignment.pk]))
        assert check.text.count("4 out of 5") == 9
        submitted = client.post(reverse("procurement:check_scores", args=[assignment.pk]), {})
        assert submitted.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert EvaluatorAssignment.objects.get(pk=assignment.pk).scores.count() == 9


def test_the_results_pdf_has_the_ranking(
    call_off, bids, procurement_officer, evaluators, approver, client_as, tmp_path
):
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    score_everything(call_off, evaluators, bids)
    moderate(call_off, procurement_officer, bids)
    evaluation.results_approve(call_off=call_off, by=approver)
    response = client_as(Role.AUDITOR).get(reverse("procurement:results_pdf", args=[call_off.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "results.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.split() for line in text.splitlines() if "Provider" in line and "Ltd" in line]
    assert [(line[0], line[2], line[-1]) for line in lines] == [
        ("1", "B", "90.00"),
        ("2", "A", "89.00"),
        ("3", "C", "62.00"),
    ]
    assert "Page 1 of 1" in text
