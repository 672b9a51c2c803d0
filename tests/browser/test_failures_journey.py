"""An officer records a performance failure, updates it, warns the provider
and closes the improvement plan, in Chromium with and without JavaScript;
axe-core checks every page."""

import re
from datetime import date, timedelta

import pytest

from core.roles import Role
from performance.models import ImprovementPlan, PerformanceFailure
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name, d):
    page.locator(f"#id_{name}_0").fill(str(d.day))
    page.locator(f"#id_{name}_1").fill(str(d.month))
    page.locator(f"#id_{name}_2").fill(str(d.year))


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_officer_records_a_failure_and_warns_the_provider(
    javascript, live_server, page_factory, axe, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    today = date.today()
    contract = ContractFactory(start_date=today - timedelta(days=400), term="3+1+1")
    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run; the js-off
    # run proves the same journey works without any script.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    check(page)

    page.get_by_role("link", name="Record a failure").click()
    check(page)
    page.locator("main button").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the obligation that was not met" in summary.inner_text()
    check(page)

    page.get_by_label("Which obligation was not met?").fill("Support plans reviewed 6-monthly")
    page.get_by_label("What happened?").fill("Five plans were nine months overdue")
    page.get_by_label("What was the impact?").fill("Two tenants' support did not fit")
    fill_date(page, "started_on", today - timedelta(days=60))
    page.check("input[name=is_ongoing][value=yes]")
    page.check("input[name=outcome][value=damages]")
    page.locator("main button").click()
    assert "Enter the amount of damages" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Amount of damages (£) (optional)").fill("2500")
    page.locator("main button").click()
    page.wait_for_url(re.compile(r".*/failures/\d+/$"))
    main = page.locator("main").inner_text()
    assert "Performance failure recorded" in main
    assert "£2,500.00" in main
    check(page)

    page.get_by_role("button", name="Update the failure").click()
    page.check("input[name=is_ongoing][value=no]")
    fill_date(page, "ended_on", today - timedelta(days=10))
    page.locator("main button").click()
    page.wait_for_url(re.compile(r".*/failures/\d+/$"))
    assert "Performance failure updated" in page.locator("main").inner_text()
    assert PerformanceFailure.objects.get().version == 2
    check(page)
    page.get_by_role("link", name="Performance failures").click()
    check(page)

    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    page.get_by_role("link", name="Warn the provider").click()
    check(page)
    fill_date(page, "warned_on", today - timedelta(days=9))
    page.get_by_label("What must improve?").fill("Every plan reviewed every six months")
    fill_date(page, "improve_by", today - timedelta(days=1))
    page.locator("main button").click()
    page.wait_for_url(re.compile(r".*/improvement-plans/\d+/$"))
    assert "Improvement plan overdue" in page.locator("main").inner_text()
    check(page)

    page.get_by_role("button", name="Close the improvement plan").click()
    check(page)
    page.check("input[name=status][value=met]")
    page.get_by_label("What did the council find?").fill("All plans reviewed")
    page.locator("main button").click()
    page.wait_for_url(re.compile(r".*/improvement-plans/\d+/$"))
    assert "Improvement plan closed: improvement made" in page.locator("main").inner_text()
    assert ImprovementPlan.objects.get().status == "met"
    check(page)
    page.get_by_role("link", name="Improvement plans").click()
    check(page)
    assert not page.console_errors
