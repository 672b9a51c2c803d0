"""Work reaches the people it waits for, in Chromium (issue 13's must-show).

A commissioning officer raises an extension: the approving manager's Your
work shows it at once and they are emailed; the manager decides and the
officer is told. A procurement officer records the last consensus score:
the results appear in an approver's queue, with an email. axe-core on every
page visited, and the same journeys with JavaScript off. Every role lands on
its own Your work."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts.constants import ExtensionStatus
from contracts.models import ServiceAreaSettings
from core.roles import Role
from procurement.constants import CallOffStatus
from tests.browser.test_award_journey import call_off_moderated
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory
from tests.procurement.conftest import admitted, lot, pdps, procurement_officer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _to(mailbox, user):
    return [message for message in mailbox if user.email in message.to]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_raised_extension_reaches_the_manager_at_once_and_the_decision_the_officer(
    javascript, live_server, page_factory, axe, user_with_role, mailoutbox
):
    officer = user_with_role(
        Role.COMMISSIONING_OFFICER, username="lisa.lopez", email="lisa@council.example"
    )
    manager = user_with_role(
        Role.APPROVING_MANAGER, username="amira.hassan", email="amira@council.example"
    )
    # Another manager of another area: the request is not theirs.
    bystander = user_with_role(
        Role.APPROVING_MANAGER, username="other.manager", email="other@council.example"
    )
    ServiceAreaSettings.objects.create(service_area="supported_living").managers.add(manager)
    ServiceAreaSettings.objects.create(service_area="older_people").managers.add(bystander)
    contract = ContractFactory(
        reference="SL-001",
        title="Supported living call-off",
        start_date=date.today() - timedelta(days=400),
        term="3+1+1",
        annual_value=Decimal("120000.00"),
        owner=officer,
        service_area="supported_living",
    )
    check = axe.check if javascript else (lambda page: None)

    page = page_factory(javascript=javascript)
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    check(page)
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    check(page)
    page.get_by_role("button", name="Request an extension").click()
    check(page)
    page.get_by_label("Option 1: extends to", exact=False).check()
    page.get_by_label("Why should the contract be extended?").fill("All KPIs met.")
    page.get_by_role("button", name="Send for a decision").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/")
    check(page)
    request = contract.extensions.get()

    # Emailed after the raise committed, before the manager looks.
    [raised] = _to(mailoutbox, manager)
    assert "SL-001" in raised.subject
    assert f"/contracts/{contract.pk}/extensions/{request.pk}/decide/" in raised.body
    assert _to(mailoutbox, bystander) == [] and _to(mailoutbox, officer) == []

    boss = page_factory(javascript=javascript)
    sign_in(boss, live_server, "amira.hassan")
    boss.wait_for_url(f"{live_server.url}/")
    assert boss.get_by_role("link", name="Your work (1)").count() == 1
    row = boss.locator("main table tbody tr", has_text="SL-001")
    assert "You are an approving manager for Supported living" in row.inner_text()
    check(boss)
    row.get_by_role("link").click()
    boss.wait_for_url(f"**/contracts/{contract.pk}/extensions/{request.pk}/decide/")
    check(boss)
    boss.get_by_label("Approve the extension").check()
    boss.get_by_label("Reason", exact=True).fill("Good value and performance.")
    boss.get_by_label("If you approve: why, although the evidence is against it?").fill(
        "First-year review booked; the provider's reports are good."
    )
    boss.get_by_role("button", name="Record decision").click()
    boss.wait_for_url(f"**/contracts/{contract.pk}/")
    check(boss)
    boss.goto(f"{live_server.url}/")
    assert "SL-001" not in boss.locator("main").inner_text()
    assert boss.get_by_role("link", name="Your work (0)").count() == 1
    check(boss)

    request.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED
    [decided] = _to(mailoutbox, officer)
    assert "approved" in decided.subject.lower() and "SL-001" in decided.subject
    assert len(_to(mailoutbox, manager)) == 1  # the decider is not told of their own decision
    assert len(axe.checked) == (8 if javascript else 0)


@pytest.fixture
def almost_moderated(lot, admitted, procurement_officer, user_with_role):  # noqa: F811
    """Every consensus score recorded but the last bid's."""
    call_off, bids = call_off_moderated(lot, procurement_officer, user_with_role, but_last=True)
    return call_off, bids[-1]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_last_consensus_score_puts_the_results_in_an_approvers_queue(
    javascript,
    live_server,
    page_factory,
    axe,
    user_with_role,
    mailoutbox,
    almost_moderated,
    procurement_officer,  # noqa: F811
):
    from tests.factories import PASSWORD

    call_off, last_bid = almost_moderated
    approver = user_with_role(
        Role.APPROVING_MANAGER, username="amal.manager", email="amal@council.example"
    )
    officer = user_with_role(Role.COMMISSIONING_OFFICER, username="not.an.approver")
    procurement_officer.set_password(PASSWORD)
    procurement_officer.save()
    check = axe.check if javascript else (lambda page: None)

    page = page_factory(javascript=javascript)
    sign_in(page, live_server, procurement_officer.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/procurement/call-offs/{call_off.pk}/moderation/{last_bid.pk}/")
    check(page)
    for fieldset in page.locator("main fieldset").all():
        fieldset.get_by_label("3", exact=True).check()
    for box in page.get_by_label("Rationale for the consensus on", exact=False).all():
        box.fill("Agreed at moderation")
    page.get_by_role("button", name="Save consensus scores").click()
    page.wait_for_url(lambda url: "/moderation/" not in url)
    check(page)
    assert _to(mailoutbox, approver), "the approver is emailed when the results are ready"
    assert "SL-2027-01" in _to(mailoutbox, approver)[0].subject
    assert not _to(mailoutbox, officer)

    boss = page_factory(javascript=javascript)
    sign_in(boss, live_server, "amal.manager")
    boss.wait_for_url(f"{live_server.url}/")
    row = boss.locator("main table tbody tr", has_text="SL-2027-01")
    assert "approve the results" in row.inner_text()
    check(boss)
    row.get_by_role("link").click()
    boss.wait_for_url(f"**/procurement/call-offs/{call_off.pk}/approve/")
    assert "Recommended winner" in boss.locator("main").inner_text()
    check(boss)

    other = page_factory(javascript=javascript)
    sign_in(other, live_server, "not.an.approver")
    other.wait_for_url(f"{live_server.url}/")
    assert "SL-2027-01" not in other.locator("main").inner_text()
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.EVALUATION
    assert len(axe.checked) == (4 if javascript else 0)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_role_lands_on_its_own_work(live_server, page_factory, axe, user_with_role, role):
    user_with_role(role, username="someone")
    for javascript in (True, False):
        page = page_factory(javascript=javascript)
        sign_in(page, live_server, "someone")
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("h1").inner_text() == "Your work"
        assert page.get_by_role("link", name="Your work (0)").count() == 1
        if javascript:
            axe.check(page)
