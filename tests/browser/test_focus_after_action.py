"""After a POST the keyboard and screen reader user starts where the page
changed: on the success banner after a redirect, on the error summary after
a refusal (GOV.UK Frontend's NotificationBanner and ErrorSummary focus
themselves when initAll() runs in base.html)."""

import pytest

from core.roles import Role
from tests.browser.test_provider_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  return {
    classes: el.className,
    role: el.getAttribute('role'),
    label: el.getAttribute('aria-labelledby') &&
      document.getElementById(el.getAttribute('aria-labelledby')).textContent.trim(),
    text: el.innerText,
  };
}"""


def test_focus_is_on_the_success_banner_after_saving_and_on_the_error_summary_after_a_refusal(
    live_server, page_factory, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="noor.officer")
    page = page_factory()
    sign_in(page, live_server, "noor.officer")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="Save your choices").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    page.locator(".govuk-notification-banner").wait_for()
    focused = page.evaluate(FOCUSED)
    assert "govuk-notification-banner--success" in focused["classes"], focused
    assert focused["role"] == "alert"
    assert focused["label"] == "Success"
    assert "Your notification choices are saved" in focused["text"]
    # Once the person moves on, the banner leaves the tab order again.
    page.keyboard.press("Tab")
    assert page.locator(".govuk-notification-banner").get_attribute("tabindex") is None

    page.goto(f"{live_server.url}/providers/add/")
    page.get_by_role("button", name="Save provider").click()
    page.locator(".govuk-error-summary").wait_for()
    focused = page.evaluate(FOCUSED)
    assert "govuk-error-summary" in focused["classes"], focused
    assert "There is a problem" in focused["text"]
