"""The walk's dead end in Chromium: a call-off weighted 110 shows the
problem on its task list, the officer fixes a weight and removes a
criterion, then cancels the call-off with a reason; a care package is
cancelled too. axe-core on every page, and the same with JavaScript off."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from procurement.constants import CallOffRoute, CallOffStatus, PackageStatus
from procurement.services import call_offs, packages
from tests.browser.test_provider_journey import sign_in
from tests.factories import PASSWORD
from tests.procurement.conftest import admitted, lot, pdps, procurement_officer  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def weighted_110(lot, admitted, procurement_officer):  # noqa: F811
    now = timezone.now()
    call_off = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SL-2027-02",
        title="Supported living, Crosby scheme",
        start_date=now.date() + timedelta(days=90),
        annual_value=Decimal("250000.00"),
        bid_deadline=now + timedelta(days=14),
    )
    for name, weight, kind in (
        ("Outcomes", 60, "quality"),
        ("Workforce", 45, "quality"),
        ("Social value", 5, "social_value"),
    ):
        call_offs.criterion_add(
            call_off=call_off, by=procurement_officer, name=name, weight=Decimal(weight), kind=kind
        )
    return call_off


@pytest.fixture
def officer_page(live_server, page_factory, procurement_officer):  # noqa: F811
    procurement_officer.set_password(PASSWORD)
    procurement_officer.save()

    def make(javascript):
        page = page_factory(javascript=javascript)
        sign_in(page, live_server, procurement_officer.username)
        page.wait_for_url(f"{live_server.url}/")
        return page

    return make


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_officer_fixes_the_weights_and_then_cancels_the_call_off(
    javascript, live_server, officer_page, axe, weighted_110
):
    page = officer_page(javascript)
    check = axe.check if javascript else (lambda page: None)
    page.goto(f"{live_server.url}{weighted_110.get_absolute_url()}")
    tasks = page.locator(".govuk-task-list").inner_text()
    assert "The weights add up to 110%; they must add up to 100%." in tasks
    assert "Take 10 percentage points off the weights." in tasks
    check(page)

    page.get_by_role("link", name="Set the evaluation criteria").click()
    page.wait_for_url(f"**/call-offs/{weighted_110.pk}/criteria/")
    assert "The weights add up to 110%" in page.locator(".govuk-warning-text").inner_text()
    check(page)

    page.get_by_role("link", name="Change Outcomes").click()
    check(page)
    page.get_by_label("Weight (%)").fill("")
    page.locator("main button").click()
    assert "Enter the weight" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Weight (%)").fill("50")
    page.locator("main button").click()
    page.wait_for_url(f"**/call-offs/{weighted_110.pk}/criteria/")
    assert page.locator(".govuk-warning-text").count() == 0
    assert "100%" in page.locator("tfoot").inner_text()
    check(page)

    page.get_by_role("link", name="Remove Social value").click()
    assert "Remove “Social value”?" in page.locator("h1").inner_text()
    check(page)
    page.get_by_role("button", name="Remove criterion").click()
    page.wait_for_url(f"**/call-offs/{weighted_110.pk}/criteria/")
    assert "The weights add up to 95%" in page.locator(".govuk-warning-text").inner_text()
    check(page)

    page.goto(f"{live_server.url}{weighted_110.get_absolute_url()}")
    page.get_by_role("link", name="Cancel the call-off").click()
    check(page)
    page.get_by_role("button", name="Cancel the call-off").click()
    assert "Enter the reason for cancelling" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Reason for cancelling").fill("Brought back in house")
    page.get_by_role("button", name="Cancel the call-off").click()
    page.wait_for_url(f"**{weighted_110.get_absolute_url()}")
    assert "Brought back in house" in page.locator("main").inner_text()
    check(page)
    weighted_110.refresh_from_db()
    assert weighted_110.status == CallOffStatus.CANCELLED
    assert len(axe.checked) == (10 if javascript else 0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_officer_cancels_a_care_package(
    javascript,
    live_server,
    officer_page,
    axe,
    lot,  # noqa: F811
    admitted,  # noqa: F811
    procurement_officer,  # noqa: F811
):
    now = timezone.now()
    package = packages.package_advertise(
        lot=lot,
        by=procurement_officer,
        reference="ISL-LD-0043",
        kind="individual",
        outcomes="Own flat; paid work",
        weekly_budget=Decimal("500.00"),
        start_date=now.date() + timedelta(days=30),
        bid_deadline=now + timedelta(days=7),
    )
    page = officer_page(javascript)
    check = axe.check if javascript else (lambda page: None)
    page.goto(f"{live_server.url}{package.get_absolute_url()}")
    page.get_by_role("link", name="Cancel the care package").click()
    check(page)
    page.get_by_role("button", name="Cancel the care package").click()
    assert "Enter the reason for cancelling" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Reason for cancelling").fill("The person has moved out of the area")
    page.get_by_role("button", name="Cancel the care package").click()
    page.wait_for_url(f"**{package.get_absolute_url()}")
    check(page)
    package.refresh_from_db()
    assert package.status == PackageStatus.CANCELLED
