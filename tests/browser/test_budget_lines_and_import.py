"""Correcting budget lines and importing the register, in Chromium with
axe-core, with JavaScript on and off."""

import re
from decimal import Decimal

import pytest

from core.roles import Role
from tests.browser.test_provider_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])


@JS
def test_a_finance_officer_adds_corrects_and_removes_a_budget_line(
    javascript, live_server, page_factory, axe, user_with_role
):
    # Today's year: time travel would stop Playwright's own clock too.
    from django.utils import timezone

    from finance import services
    from finance.models import BudgetLine
    from finance.years import FinancialYear

    year = FinancialYear.of(timezone.localdate())

    user_with_role(Role.FINANCE_OFFICER, username="fay.finance")
    services.budget_line_add(
        by=None,
        financial_year=year.start_year,
        service_area="home_care",
        funder="council",
        description="Gross council budget",
        amount=Decimal("2000000.00"),
    )
    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run; the js-off
    # run proves the same journey works without any script.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "fay.finance")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/finance/budget-lines/")
    main = page.locator("main")
    assert f"Budget lines {year.name}" in main.inner_text()
    check(page)

    page.get_by_role("button", name=f"Add a budget line for {year.name}").click()
    check(page)
    page.get_by_role("button", name="Add budget line").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert "Select the service area" in main.inner_text()
    check(page)
    page.get_by_label("Financial year").select_option(label=year.name)
    page.get_by_label("Service area").select_option(label="Supported living")
    page.get_by_label("Integrated care board (ICB)").check()
    page.get_by_label("Amount (£)").fill("450000.00")
    page.get_by_role("button", name="Add budget line").click()
    assert "£450,000.00" in main.inner_text()

    page.get_by_role("link", name=re.compile(r"^Change Supported living")).click()
    check(page)
    page.get_by_label("Amount (£)").fill("475000.00")
    page.get_by_label("Why are you changing this budget line?").fill("ICB letter of 3 November")
    page.get_by_role("button", name="Save the budget line").click()
    assert "ICB letter of 3 November" in main.inner_text()
    assert "£475,000.00" in main.inner_text()
    check(page)

    page.get_by_role("link", name=re.compile(r"^Remove Home care")).click()
    assert "Are you sure you want to remove this budget line?" in main.inner_text()
    check(page)
    page.get_by_role("button", name="Remove budget line").click()
    assert page.locator(".govuk-error-summary").count() == 1
    check(page)
    page.get_by_label("Why are you removing this budget line?").fill("Entered twice")
    page.get_by_role("button", name="Remove budget line").click()
    assert "Entered twice" in main.inner_text()
    assert list(BudgetLine.objects.values_list("service_area", flat=True)) == ["supported_living"]
    check(page)


HEADER = b"reference,title,provider,service_area,start_date,term,annual_value\n"


@JS
def test_an_officer_imports_the_register_after_fixing_the_file(
    javascript, live_server, page_factory, axe, user_with_role
):
    from contracts.models import Contract

    user_with_role(Role.COMMISSIONING_OFFICER, username="olu.officer")
    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js-on run; the js-off
    # run proves the same journey works without any script.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "olu.officer")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_role("button", name="Import contracts").click()
    main = page.locator("main")
    check(page)
    page.get_by_role("button", name="Upload and check").click()
    assert "Select a CSV or Excel file" in main.inner_text()
    check(page)

    bad = HEADER + b"HC-1,Home care,North Care Ltd,home_care,2024-04-31,3+1+1,100000\n"
    page.get_by_label("Upload the register").set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="Upload and check").click()
    assert "Nothing has been imported" in main.inner_text()
    assert "start_date" in page.locator("#problems").inner_text()
    check(page)

    page.get_by_role("button", name="Upload a corrected file").click()
    good = HEADER + b"HC-1,Home care,North Care Ltd,home_care,2024-04-30,3+1+1,100000\n"
    page.get_by_label("Upload the register").set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": good}
    )
    page.get_by_role("button", name="Upload and check").click()
    assert "Contracts to add 1" in re.sub(r"\s+", " ", main.inner_text())
    check(page)
    page.get_by_role("button", name="Import the contracts").click()
    page.wait_for_url(f"{live_server.url}/contracts/")
    assert "register.csv imported: 1 contracts added" in main.inner_text()
    assert Contract.objects.get().reference == "HC-1"
    check(page)
