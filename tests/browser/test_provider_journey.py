"""A commissioning officer in a real browser, with axe-core on every page."""

import re

import pytest

from core.roles import Role
from providers.models import Provider
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_officer_creates_a_provider_and_sees_errors_first(
    javascript, live_server, page_factory, axe, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run; the js-off
    # run proves the same journey works without any script.
    check = axe.check if javascript else (lambda page: None)

    page.goto(f"{live_server.url}/sign-in/")
    check(page)
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your work"
    check(page)

    page.get_by_role("link", name="Providers", exact=True).first.click()
    page.wait_for_url("**/providers/")
    check(page)

    page.get_by_role("button", name="Add a provider").click()
    page.wait_for_url("**/providers/add/")
    check(page)

    page.get_by_label("Legal name").fill("Sefton Supported Living CIC")
    page.get_by_label("Companies House number (optional)").fill("1234")
    page.get_by_label("Small or medium-sized enterprise (SME)").check()
    page.get_by_role("button", name="Save provider").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is a problem" in summary.inner_text()
    assert "8 characters, like 01068186 or SC123456" in summary.inner_text()
    if javascript:
        # GOV.UK Frontend moves focus to the summary for screen reader users.
        assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: Add a provider")
    check(page)
    assert not Provider.objects.exists()

    # The link in the summary takes the user to the field at fault.
    summary.get_by_role("link").first.click()
    page.get_by_label("Companies House number (optional)").fill("01068186")
    page.get_by_role("button", name="Save provider").click()

    # Without JavaScript the summary link leaves a #fragment the browser keeps.
    page.wait_for_url(re.compile(r"/providers/\d+/(#.*)?$"))
    assert (
        "Sefton Supported Living CIC added"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    check(page)
    provider = Provider.objects.get()
    assert provider.companies_house_number == "01068186"
    assert provider.is_sme

    page.get_by_role("link", name="View the history of changes").click()
    check(page)
    assert "Provider added" in page.locator("main").inner_text()

    assert page.console_errors == [], page.console_errors
    assert len(axe.checked) == (7 if javascript else 0)


def test_every_page_an_auditor_sees_passes_axe(live_server, page_factory, axe, user_with_role):
    from tests.factories import ProviderContactFactory

    contact = ProviderContactFactory(is_main_contact=True, provider__is_vcse=True)
    user_with_role(Role.AUDITOR, username="aled.price")
    page = page_factory()
    sign_in(page, live_server, "aled.price")
    page.wait_for_url(f"{live_server.url}/")
    for path in [
        "/providers/",
        f"/providers/{contact.provider.pk}/",
        f"/providers/{contact.provider.pk}/history/",
        "/password/change/",
        "/accessibility/",
        "/cookies/",
        "/providers/add/",  # the 403 page
        "/no-such-page/",  # the 404 page
    ]:
        page.goto(f"{live_server.url}{path}")
        axe.check(page)
    assert page.console_errors == [] or all("404" in e or "403" in e for e in page.console_errors)


def test_lockout_page_passes_axe(live_server, page_factory, axe, user_with_role):
    user_with_role(Role.AUDITOR, username="locked.user")
    page = page_factory()
    for attempt in range(6):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill("locked.user")
        page.get_by_label("Password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your account is locked"
    axe.check(page)
