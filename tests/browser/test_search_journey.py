"""Searching from the header in Chromium, as a commissioning officer and as
an evaluator: results, no results and an empty search pass axe-core, and
the same journey works with JavaScript off."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from procurement.services import call_offs, evaluation
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory
from tests.procurement.conftest import admitted, lot, pdps, procurement_officer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def searchable(lot, admitted):  # noqa: F811
    contract = ContractFactory(
        reference="ILSS-2021-001", title="Marigold independent living", provider=admitted[0]
    )
    call_off = call_offs.call_off_create(
        lot=lot,
        by=None,
        route="direct_award",
        reference="CO-2027-07",
        title="Foxglove tenancies",
        start_date=timezone.localdate() + timedelta(days=90),
        annual_value=Decimal("250000.00"),
    )
    return contract, call_off


def _search_from_header(page, text):
    header = page.get_by_role("search", name="Search the service")
    header.get_by_label("Search", exact=True).fill(text)
    header.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=*")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_an_officer_finds_a_contract_by_its_reference_from_the_header(
    javascript, live_server, page_factory, axe, user_with_role, searchable
):
    contract, _ = searchable
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    page = page_factory(javascript=javascript)
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")

    _search_from_header(page, "ILSS-2021-001")
    main = page.locator("main")
    assert "1 result for “ILSS-2021-001”" in main.inner_text()
    check(page)
    main.get_by_role("link", name="ILSS-2021-001 Marigold independent living").click()
    page.wait_for_url(f"**/contracts/{contract.pk}/")

    _search_from_header(page, "xylophone")
    assert "There are no matching results." in page.locator("main").inner_text()
    check(page)

    page.locator("main").get_by_label("Search by reference, name or word").fill("")
    page.locator("main").get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a reference, name or word to search for" in summary.inner_text()
    assert page.title().startswith("Error: ")
    check(page)


def test_an_evaluator_finds_only_the_call_off_they_score(
    live_server, page_factory, axe, user_with_role, searchable
):
    _, call_off = searchable
    evaluator = user_with_role(Role.EVALUATOR, username="sam.evans")
    assignment = evaluation.evaluator_assign(call_off=call_off, by=None, evaluator=evaluator)
    page = page_factory()
    sign_in(page, live_server, "sam.evans")
    page.wait_for_url(f"{live_server.url}/")

    _search_from_header(page, "ILSS-2021-001")
    assert "0 results" in page.locator("main").inner_text()
    check = axe.check
    check(page)
    _search_from_header(page, "foxglove")
    assert "1 result for “foxglove”" in page.locator("main").inner_text()
    check(page)
    page.locator("main").get_by_role("link", name="CO-2027-07 Foxglove tenancies").click()
    page.wait_for_url(f"**/procurement/evaluations/{assignment.pk}/")
    assert len(axe.checked) == 2
