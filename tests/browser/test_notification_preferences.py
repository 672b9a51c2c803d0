"""Your notifications in Chromium, with and without JavaScript: reached
from the account bar, chosen with radios, saved, accessible."""

import pytest

from core.roles import Role
from notifications.kinds import Delivery, Kind
from notifications.models import Preference
from tests.browser.test_provider_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_manager_chooses_the_morning_summary_for_contract_changes(
    javascript, live_server, page_factory, axe, user_with_role
):
    manager = user_with_role(Role.APPROVING_MANAGER, username="ola.manager")
    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "ola.manager")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Your notifications").click()
    main = page.locator("main")
    assert "Always sent straight away" in main.inner_text()
    check(page)
    question = page.get_by_role("group", name="When a contract change is raised", exact=False)
    question.get_by_label("Once a day, in a summary sent at 7am").check()
    page.get_by_role("button", name="Save your choices").click()
    assert "Your notification choices are saved" in page.locator("body").inner_text()
    check(page)
    assert Preference.objects.get(user=manager, kind=Kind.CHANGE_RAISED).delivery == (
        Delivery.DIGEST
    )
    assert len(axe.checked) == (2 if javascript else 0)
