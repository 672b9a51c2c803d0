"""The idle sign-out's warning in Chromium, with the limit cut to seconds:
it takes focus, passes axe-core, keeps the session when asked, counts
another tab's activity, and otherwise signs the person out to a page that
brings them back (decision 0039)."""

import re

import pytest
from django.contrib.sessions.models import Session

from contracts.models import Contract
from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.factories import PASSWORD, ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")


def _limit(settings, *, idle, warning):
    # The live server runs in this process: it sees these at once.
    settings.SESSION_COOKIE_AGE = idle
    settings.SESSION_WARNING_SECONDS = warning


def _signed_in(page, live_server, path="/contracts/"):
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{path}")


def _expiry(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key).expire_date


def _focus_in_dialog(page) -> bool:
    return page.evaluate(
        "document.getElementById('session-timeout').contains(document.activeElement)"
    )


def test_the_warning_takes_focus_and_staying_signed_in_keeps_the_session(
    live_server, page_factory, axe, officer, settings
):
    _limit(settings, idle=30, warning=20)
    page = page_factory()
    _signed_in(page, live_server)
    page.locator("#header-search").focus()
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")

    dialog.wait_for(timeout=20_000)
    assert _focus_in_dialog(page)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert re.search(r"we will sign you out in \d+ seconds", dialog.inner_text())
    heard = page.locator("[data-timeout-announcement]")
    assert heard.get_attribute("aria-live") == "polite"
    assert re.fullmatch(
        r"For your security, we will sign you out in 20 seconds\.", heard.inner_text()
    )
    axe.check(page)

    before = _expiry(page)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert _expiry(page) > before
    # Focus goes back where it was.
    assert page.evaluate("document.activeElement.id") == "header-search"

    # Escape means the same.
    dialog.wait_for(timeout=20_000)
    before = _expiry(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert _expiry(page) > before
    assert page.url == f"{live_server.url}/contracts/"
    assert not page.console_errors


def test_doing_nothing_signs_out_keeps_what_was_typed_and_returns_to_the_page(
    live_server, page_factory, axe, officer, settings
):
    _limit(settings, idle=12, warning=8)
    contract = ContractFactory(title="Supported living", description="First words")
    edit = f"/contracts/{contract.pk}/edit/"
    page = page_factory()
    _signed_in(page, live_server, edit)
    description = page.get_by_label("Description (optional)", exact=True)
    description.fill("Typed, then the phone rang")

    page.wait_for_url(re.compile(r"/signed-out/"), timeout=30_000)
    assert "You have been signed out" in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    assert "because you did nothing for" in main
    assert "What you had typed on the page has been kept, but not saved" in main
    axe.check(page)
    # The server has ended the session too, and saved nothing.
    status = page.context.request.get(f"{live_server.url}/session/status/", max_redirects=0)
    assert status.status == 401
    assert Contract.objects.get(pk=contract.pk).description == "First words"

    page.get_by_role("button", name="Sign in again").click()
    page.get_by_label("Username").fill("lisa.lopez")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{edit}")
    assert description.input_value() == "Typed, then the phone rang"
    assert "before your changes were saved" in page.locator("main").inner_text()
    assert Contract.objects.get(pk=contract.pk).description == "First words"


def test_activity_in_another_tab_keeps_this_tab_signed_in(
    live_server, page_factory, officer, settings
):
    _limit(settings, idle=20, warning=8)
    page = page_factory()
    _signed_in(page, live_server)
    # Gone if the page is left, even for a moment (the signed-out page sends
    # a signed-in person straight back).
    page.evaluate("window.stayedOnThePage = true")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(timeout=20_000)

    # Another tab's request, which no script of this page hears about.
    assert page.context.request.get(f"{live_server.url}/contracts/").ok

    # When this page's time would have run out it asks the server, finds
    # the session renewed and carries on.
    dialog.wait_for(state="hidden", timeout=15_000)
    assert page.evaluate("window.stayedOnThePage === true")
    assert page.url == f"{live_server.url}/contracts/"
    assert not page.console_errors
