"""Your work in Chromium: an approving manager and an evaluator each find
what waits for them on the home page, see why it is theirs, and follow it to
where it is acted on; axe-core on every page, and the same with JavaScript
off (the page is server-rendered)."""

import pytest

from contracts.models import ServiceAreaSettings
from contracts.services import extensions
from core.roles import Role
from procurement.constants import CallOffStatus
from procurement.models import EvaluatorAssignment
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_approving_manager_finds_a_request_the_moment_it_is_raised(
    live_server, page_factory, axe, user_with_role, javascript
):
    manager = user_with_role(Role.APPROVING_MANAGER, username="amira.hassan")
    officer = user_with_role(Role.COMMISSIONING_OFFICER, username="chris.officer")
    area = ServiceAreaSettings.objects.create(service_area="supported_living")
    area.managers.add(manager)
    _, other = ContractFactory(owner=officer), ContractFactory(owner=officer, reference="SL-Q1")
    request = extensions.extension_request_raise(
        contract=other, by=officer, options_requested=1, justification="Good service"
    )
    page = page_factory(javascript=javascript)
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "amira.hassan")
    page.wait_for_url(f"{live_server.url}/")
    check(page)
    assert page.get_by_role("link", name="Your work (1)").count() == 1
    table = page.locator("table", has_text="Why it is yours")
    assert "You are an approving manager for Supported living" in table.inner_text()
    page.get_by_role("link", name="Everyone in your service areas").click()
    page.wait_for_url("**/?view=team")
    check(page)
    assert manager.get_full_name() in page.locator("table").inner_text()
    page.get_by_role("link", name="SL-Q1", exact=False).click()
    page.wait_for_url(f"**/contracts/{other.pk}/extensions/{request.pk}/decide/")
    check(page)
    assert len(axe.checked) == (3 if javascript else 0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_evaluator_sees_only_their_evaluation(
    live_server, page_factory, axe, user_with_role, javascript
):
    from tests.work.test_queue_permissions import _call_off

    evaluator = user_with_role(Role.EVALUATOR, username="sam.evans")
    people = {"procurement_officer": user_with_role(Role.PROCUREMENT_OFFICER)}
    call_off = _call_off(people, CallOffStatus.OPEN)
    assignment = EvaluatorAssignment.objects.create(call_off=call_off, evaluator=evaluator)
    ContractFactory()  # on the register, which an evaluator does not see
    page = page_factory(javascript=javascript)
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "sam.evans")
    page.wait_for_url(f"{live_server.url}/")
    check(page)
    assert page.get_by_role("link", name="Your work (1)").count() == 1
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "You are an evaluator on this call-off" in rows.inner_text()
    assert "No deadline" in rows.inner_text()
    page.get_by_role("link", name=f"{call_off.reference} {call_off.title}", exact=False).click()
    page.wait_for_url(f"**/procurement/evaluations/{assignment.pk}/")
    check(page)
    assert len(axe.checked) == (2 if javascript else 0)
