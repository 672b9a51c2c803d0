"""A finance officer's pages in Chromium with axe-core: budgets with the
chart, savings, the ISF scheme, renegotiation and a cabinet report."""

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.test_provider_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_finance_officer_walks_the_finance_pages(live_server, page_factory, axe, settings):
    settings.DEBUG = True  # load_demo_data refuses to run with DEBUG off
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    from core.models import User
    from finance.models import Resident, Scheme
    from tests.factories import PASSWORD

    officer = User.objects.get(username="finance.officer")
    officer.set_password(PASSWORD)
    officer.save()
    page = page_factory()
    sign_in(page, live_server, "finance.officer")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Finance", exact=True).click()
    assert page.locator("main [role=img]").count() == 1
    axe.check(page)
    # The ILSS budget provision of 2019/20, moved with the demo (decision 33).
    from contracts.models import Contract
    from finance.years import FinancialYear

    ilss = Contract.objects.get(reference="ILSS-2019-01")
    page.goto(f"{live_server.url}/finance/?year={FinancialYear.of(ilss.start_date).label}")
    assert "£950,488.00" in page.locator("main").inner_text()
    axe.check(page)
    page.get_by_role("link", name="Savings").click()
    axe.check(page)
    page.get_by_role("link", name=re.compile("Independent Living Support Services")).click()
    assert "£95,049" in page.locator("main").inner_text()
    axe.check(page)
    scheme = Scheme.objects.get(reference="ISL-SCHEME-01")
    page.goto(f"{live_server.url}{scheme.get_absolute_url()}")
    axe.check(page)
    resident = Resident.objects.filter(scheme=scheme).first()
    page.goto(f"{live_server.url}/finance/residents/{resident.pk}/review/")
    axe.check(page)
    page.locator("main button").click()
    assert page.locator(".govuk-error-summary").count() == 1
    axe.check(page)
    page.goto(f"{live_server.url}/finance/reports/add/")
    axe.check(page)
    # The demo's current supported living call-off is in the register.
    page.get_by_label("Contracts in").select_option("supported_living")
    page.get_by_label("Report title").fill("Supported living contracts for Cabinet")
    page.locator("main button").click()
    page.wait_for_url(re.compile(r".*/finance/reports/\d+/$"))
    assert "Download the report" in page.locator("main").inner_text()
    axe.check(page)
