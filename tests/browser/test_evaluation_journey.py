"""An evaluator scores a mini-competition in Chromium: declaration, each
bid, check your answers, submit; axe-core on every page, and the same
journey with JavaScript off. Then the procurement officer's pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from procurement.constants import CallOffRoute
from procurement.services import call_offs, evaluation, packages
from tests.browser.test_provider_journey import sign_in
from tests.procurement.conftest import admitted, lot, pdps, procurement_officer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluating(lot, admitted, procurement_officer):  # noqa: F811
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
            call_off=call_off,
            by=procurement_officer,
            name=name,
            weight=Decimal(weight),
            kind=kind,
            descriptors="0 no answer, 1 poor, 3 good, 5 excellent",
        )
    invitations = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=now - timedelta(days=2)
    )
    for invitation in invitations:
        call_offs.bid_submit(
            invitation=invitation,
            answers={c.pk: f"{invitation.provider}: our approach" for c in call_off.criteria.all()},
            now=now - timedelta(days=1),
        )
    call_offs.evaluation_start(call_off=call_off, by=procurement_officer)
    return call_off


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_an_evaluator_scores_every_bid_and_submits(
    javascript, live_server, page_factory, axe, user_with_role, evaluating
):
    evaluator = user_with_role(Role.EVALUATOR, username="sam.evans")
    assignment = evaluation.evaluator_assign(call_off=evaluating, by=None, evaluator=evaluator)
    page = page_factory(javascript=javascript)
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "sam.evans")
    page.wait_for_url(f"{live_server.url}/")
    check(page)
    page.get_by_role("link", name="Your evaluations").first.click()
    check(page)
    page.get_by_role("link", name="SL-2027-01").click()
    page.wait_for_url(f"**/evaluations/{assignment.pk}/")
    check(page)

    page.get_by_role("link", name="Declare any conflict of interest").click()
    check(page)
    page.locator("main button").click()
    assert (
        "Say whether you have a conflict of interest"
        in page.locator(".govuk-error-summary").inner_text()
    )
    check(page)
    page.get_by_label("No", exact=True).check()
    page.locator("main button").click()
    page.wait_for_url(f"**/evaluations/{assignment.pk}/")

    for number in (1, 2, 3):
        page.get_by_role("link", name=f"Score bid {number}").click()
        assert "our approach" in page.locator("main").inner_text()
        check(page)
        for fieldset in page.locator("main fieldset").all():
            fieldset.get_by_label("4", exact=True).check()
        page.locator("main button").click()
        page.wait_for_url(f"**/evaluations/{assignment.pk}/")
    check(page)

    page.get_by_role("link", name="Check and submit your scores").click()
    assert page.locator(".govuk-summary-list__row").count() == 6
    check(page)
    page.get_by_role("button", name="Submit my scores").click()
    page.wait_for_url(f"**/evaluations/{assignment.pk}/")
    assert "Your scores are submitted" in page.locator(".govuk-notification-banner").inner_text()
    check(page)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert len(axe.checked) == (11 if javascript else 0)


def test_the_procurement_officers_pages_pass_axe(
    live_server,
    page_factory,
    axe,
    evaluating,
    procurement_officer,  # noqa: F811
):
    from tests.factories import PASSWORD

    procurement_officer.set_password(PASSWORD)
    procurement_officer.save()
    page = page_factory()
    sign_in(page, live_server, procurement_officer.username)
    page.wait_for_url(f"{live_server.url}/")
    bid = evaluating.bids.first()
    system = evaluating.lot.system
    application = system.applications.first()
    now = timezone.now()
    draft = call_offs.call_off_create(
        lot=evaluating.lot,
        by=procurement_officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SL-DRAFT",
        title="Draft call-off",
        start_date=now.date(),
        annual_value=Decimal("1000.00"),
        bid_deadline=now + timedelta(days=10),
    )
    package = packages.package_advertise(
        lot=evaluating.lot,
        by=procurement_officer,
        reference="ISL-LD-0042",
        kind="individual",
        outcomes="Own flat; paid work",
        weekly_budget=Decimal("500.00"),
        start_date=now.date() + timedelta(days=30),
        bid_deadline=now + timedelta(days=7),
    )
    package_bid = packages.package_bid_record(
        package=package,
        by=procurement_officer,
        provider=bid.provider,
        proposal="Small local team",
        weekly_price=Decimal("480.00"),
        received_at=now,
    )
    for path in [
        "/procurement/systems/add/",
        f"/procurement/systems/{system.pk}/lots/add/",
        f"/procurement/systems/{system.pk}/windows/add/",
        f"/procurement/systems/{system.pk}/questions/add/",
        f"/procurement/call-offs/{draft.pk}/",
        f"/procurement/call-offs/{draft.pk}/criteria/add/",
        f"/procurement/call-offs/{draft.pk}/invite/",
        f"/procurement/packages/{package.pk}/",
        f"/procurement/packages/{package.pk}/bids/add/",
        f"/procurement/package-bids/{package_bid.pk}/panel/",
        f"/procurement/bid/{evaluating.invitations.first().token}/",
        "/procurement/",
        f"/procurement/systems/{system.pk}/",
        f"/procurement/applications/{application.pk}/",
        f"/procurement/admissions/{application.admissions.first().pk}/decide/",
        f"/procurement/systems/{system.pk}/applications/add/",
        f"/procurement/lots/{evaluating.lot.pk}/call-offs/add/",
        f"/procurement/lots/{evaluating.lot.pk}/packages/add/",
        f"/procurement/call-offs/{evaluating.pk}/",
        f"/procurement/call-offs/{evaluating.pk}/bids/{bid.pk}/",
        f"/procurement/call-offs/{evaluating.pk}/evaluators/add/",
        f"/procurement/call-offs/{evaluating.pk}/moderation/{bid.pk}/",
        f"/procurement/call-offs/{evaluating.pk}/results/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.title(), path
        axe.check(page)
