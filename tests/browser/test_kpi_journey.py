"""An officer sets a contract's KPIs from a template, records a quarter's
return and reviews it, in Chromium, with axe-core on every page, with and
without JavaScript."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts import terms
from core.roles import Role
from performance.models import KpiTemplate, MonitoringReturn
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory
from tests.performance.helpers import kpi_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_quarter(today: date) -> tuple[date, date]:
    this_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    start = terms.months_before(this_quarter, 3)
    return start, terms.period_end(start, 3)


def _fill_date(page, name, day: date):
    page.locator(f"[name={name}_0]").fill(str(day.day))
    page.locator(f"[name={name}_1]").fill(str(day.month))
    page.locator(f"[name={name}_2]").fill(str(day.year))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_kpis_set_from_a_template_then_a_return_recorded_and_reviewed(
    live_server, page_factory, axe, user_with_role, javascript
):
    today = timezone.localdate()
    start, end = _last_quarter(today)
    contract = ContractFactory(
        reference="SL-KPI", start_date=terms.months_before(start, 12), term="3+1+1"
    )
    for order, (name, target, direction) in enumerate(
        [("Outcomes achieved", 85, "higher"), ("Tenancies sustained", 95, "higher"),
         ("Medication errors", 2, "lower"), ("Staff turnover", 15, "lower")], start=1
    ):  # fmt: skip
        KpiTemplate.objects.create(
            service_area="supported_living", order=order,
            **kpi_fields(name=name, target=Decimal(target), direction=direction),
        )  # fmt: skip
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")

    page = page_factory(javascript=javascript)
    # axe-core is JavaScript: it checks the pages in the js run; the no-js
    # run proves the same journey works without any script.
    check = axe.check if javascript else (lambda page: None)
    sign_in(page, live_server, "lisa.lopez")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    page.get_by_role("link", name="View the KPIs, monitoring returns and reviews").click()
    check(page)
    page.get_by_role("button", name="Set KPIs from a template").click()
    check(page)
    page.get_by_role("button", name="Add the selected KPIs").click()
    assert "Select at least one KPI" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    for name in ("Outcomes achieved", "Tenancies sustained", "Medication errors"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Add the selected KPIs").click()
    assert "3 KPIs added" in page.locator(".govuk-notification-banner").inner_text()
    check(page)

    page.get_by_role("button", name="Record a return").click()
    check(page)
    _fill_date(page, "period_start", start)
    _fill_date(page, "period_end", end)
    kpis = {k.name: k for k in contract.kpis.all()}
    page.locator(f"[name=actual_{kpis['Outcomes achieved'].pk}]").fill("eighty")
    page.get_by_role("button", name="Record the return").click()
    assert "as a number" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.locator(f"[name=actual_{kpis['Outcomes achieved'].pk}]").fill("88")
    page.locator(f"[name=actual_{kpis['Tenancies sustained'].pk}]").fill("93")
    page.locator(f"[name=evidence_{kpis['Tenancies sustained'].pk}]").fill("Two tenancies ended")
    page.get_by_role("button", name="Record the return").click()
    assert "recorded" in page.locator(".govuk-notification-banner").inner_text()
    check(page)

    page.get_by_role("button", name="Review the return").click()
    check(page)
    page.get_by_label("Other", exact=True).check()
    _fill_date(page, "reviewed_on", today)
    page.get_by_role("button", name="Save the review").click()
    assert "Enter why the rating is Other" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Approaching target", exact=True).check()
    page.get_by_label("Notes of the monitoring meeting or visit (optional)").fill("Visited")
    page.get_by_role("button", name="Save the review").click()
    assert (
        "Review saved: Approaching target"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    check(page)
    returned = MonitoringReturn.objects.get(contract=contract)
    assert returned.status == "reviewed"
    assert sorted(returned.actuals.values_list("rating", flat=True)) == [
        "amber", "green", "not_reported"
    ]  # fmt: skip
    assert not page.console_errors
