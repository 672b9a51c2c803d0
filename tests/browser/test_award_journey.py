"""Approving the results and awarding the contract in Chromium: the approving
manager sees the results before approving them; the procurement officer
answers the award's questions, checks the answers, awards, and reaches the
letters. axe-core on every page, and the same journey with JavaScript off."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from procurement.constants import CallOffRoute, CallOffStatus
from procurement.services import call_offs, evaluation
from tests.browser.test_provider_journey import sign_in
from tests.procurement.conftest import admitted, lot, pdps, procurement_officer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def call_off_moderated(lot, procurement_officer, user_with_role, *, but_last=False):  # noqa: F811
    """A mini-competition with three bids scored by one evaluator and every
    consensus score recorded, or (`but_last`) all but the last bid's.
    Returns the call-off and its bids."""
    now = timezone.now()
    call_off = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SL-2027-01",
        title="Supported living, Bootle scheme",
        start_date=now.date() + timedelta(days=90),
        annual_value=Decimal("250000.00"),
        bid_deadline=now - timedelta(hours=1),
    )
    for name, weight, kind in (("Outcomes", 95, "quality"), ("Social value", 5, "social_value")):
        call_offs.criterion_add(
            call_off=call_off, by=procurement_officer, name=name, weight=Decimal(weight), kind=kind
        )
    criteria = list(call_off.criteria.all())
    invitations = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=now - timedelta(days=2)
    )
    bids = [
        call_offs.bid_submit(
            invitation=invitation,
            answers={c.pk: "Our approach" for c in criteria},
            now=now - timedelta(days=1),
        )
        for invitation in invitations
    ]
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer)
    evaluator = user_with_role(Role.EVALUATOR)
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
    evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
    for number, bid in enumerate(bids):
        scores = dict.fromkeys(criteria, (5 - number, ""))
        evaluation.scores_save(assignment=assignment, by=evaluator, bid=bid, scores=scores)
    evaluation.scores_submit(assignment=assignment, by=evaluator)
    for number, bid in enumerate(bids[:-1] if but_last else bids):
        for criterion in criteria:
            evaluation.consensus_record(
                bid=bid,
                criterion=criterion,
                by=procurement_officer,
                score=5 - number,
                rationale="Agreed at moderation",
            )
    return call_off, bids


@pytest.fixture
def moderated(lot, admitted, procurement_officer, user_with_role):  # noqa: F811
    return call_off_moderated(lot, procurement_officer, user_with_role)[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_results_are_approved_then_awarded_from_the_check_page(
    javascript,
    live_server,
    page_factory,
    axe,
    user_with_role,
    moderated,
    procurement_officer,  # noqa: F811
):
    from tests.factories import PASSWORD

    user_with_role(Role.APPROVING_MANAGER, username="amal.manager")
    user_with_role(
        Role.COMMISSIONING_OFFICER, username="chidi", first_name="Chidi", last_name="Okafor"
    )
    procurement_officer.set_password(PASSWORD)
    procurement_officer.save()
    check = axe.check if javascript else (lambda page: None)
    call_off = f"{live_server.url}/procurement/call-offs/{moderated.pk}"

    manager = page_factory(javascript=javascript)
    sign_in(manager, live_server, "amal.manager")
    manager.wait_for_url(f"{live_server.url}/")
    manager.goto(f"{call_off}/approve/")
    main = manager.locator("main").inner_text()
    assert "Recommended winner" in main and "Provider A Ltd, 100.00 points" in main
    check(manager)
    manager.get_by_role("button", name="Approve and lock the results").click()
    manager.wait_for_url(f"{call_off}/results/")
    check(manager)

    page = page_factory(javascript=javascript)
    sign_in(page, live_server, procurement_officer.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{call_off}/results/")
    page.get_by_role("link", name="Award the contract").click()
    page.wait_for_url(f"{call_off}/award/")
    check(page)
    page.locator("main button").click()
    assert "Choose a commissioning officer" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Who will own the contract?").select_option(label="Chidi Okafor")
    page.get_by_label("Yes", exact=True).check()
    page.locator("main button").click()
    page.wait_for_url(f"{call_off}/award/check/")
    summary = page.locator("main").inner_text()
    assert "Provider A Ltd" in summary and "Chidi Okafor" in summary
    assert "8 working days" in summary
    check(page)
    moderated.refresh_from_db()
    assert moderated.status == CallOffStatus.APPROVED  # nothing awarded yet

    page.get_by_role("link", name="Change the contract owner").click()
    page.wait_for_url(f"{call_off}/award/#id_owner")
    assert page.get_by_label("Who will own the contract?").input_value()  # kept
    page.locator("main button").click()
    # The browser keeps the Change link's fragment across the redirect.
    page.wait_for_url(re.compile(r".*/award/check/(#id_owner)?$"))
    page.get_by_role("button", name="Award the contract and send the letters").click()
    page.wait_for_url(re.compile(r".*/award/letters/(#id_owner)?$"))
    assert "Awarded to Provider A Ltd" in page.locator(".govuk-notification-banner").inner_text()
    check(page)
    moderated.refresh_from_db()
    assert moderated.status == CallOffStatus.AWARDED
    assert moderated.contract.owner.username == "chidi"
    assert len(axe.checked) == (6 if javascript else 0)
