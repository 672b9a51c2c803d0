"""An error summary's link puts the person on its field's first input: with
JavaScript GOV.UK Frontend focuses it, without it the browser goes to it."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recording a failure asks radios ("Is it still happening?") and dates.
LINKS = {
    "Select yes if it is still happening": "id_is_ongoing_1",
    "Enter the date it started": "id_started_on_0",
}


def _empty_failure_form(page, live_server, axe, javascript):
    contract = ContractFactory()
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('failures:create', args=[contract.pk])}")
    page.locator("main button").click()
    page.locator(".govuk-error-summary").wait_for()
    if javascript:
        axe.check(page)


def test_summary_link_focuses_the_first_radio_and_the_day(
    live_server, page_factory, axe, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    page = page_factory(javascript=True)
    _empty_failure_form(page, live_server, axe, javascript=True)
    for message, first_input in LINKS.items():
        page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
        assert page.evaluate("document.activeElement.id") == first_input, message
    assert not page.console_errors


def test_without_javascript_summary_link_goes_to_the_first_input(
    live_server, page_factory, axe, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    page = page_factory(javascript=False)
    _empty_failure_form(page, live_server, axe, javascript=False)
    for message, first_input in LINKS.items():
        page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
        assert page.url.endswith(f"#{first_input}"), page.url
        # :target is what the fragment lands on: the input itself.
        assert page.locator(f"input#{first_input}:target").count() == 1, first_input
