"""Reflow (WCAG 1.4.10): at 320 CSS pixels no page scrolls sideways.

Every page of the permission matrix, each as one person per area
(tests/core/matrix_visits.py), in one browser: one context per person and
width, the pages visited in turn. A 1,280 px window at 400% zoom lays pages
out in 320 x 256 CSS pixels at four device pixels to the CSS pixel, which
is what its context emulates (docs/decisions/0036-reflow-at-320-css-pixels.md).
"""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.roles import Role
from tests.browser.test_provider_journey import sign_in
from tests.core.matrix_records import MATRIX_DAY, matrix_objects
from tests.core.matrix_visits import html_pages, visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {
    "320px": {"viewport": {"width": 320, "height": 640}},
    "1280px-at-400%": {"viewport": {"width": 320, "height": 256}, "device_scale_factor": 4},
}
# An address as long as a real team mailbox's, with nowhere to break.
LONG_EMAIL = "supported.living.commissioning.team.mailbox@exampleshire-county-council.gov.uk"
# The innermost elements past the right edge, outside any scroll region: what
# to fix, named in the failure message.
STICKING_OUT = """() => {
  const out = [...document.querySelectorAll("body *")].filter((el) =>
    el.getBoundingClientRect().right > innerWidth + 0.5 && !el.closest(".app-table-scroll"));
  return out.filter((el) => !out.some((other) => other !== el && el.contains(other)))
    .slice(0, 3)
    .map((el) => el.tagName.toLowerCase() + "." + [...el.classList].join(".") + " “"
      + el.textContent.trim().slice(0, 30) + "”");
}"""
# Captions whose words run past the edge of their scroll region: the region
# scrolls, but a caption cut at the screen's edge names the table by half.
CUT_CAPTIONS = """() => [...document.querySelectorAll(
    ".app-table-scroll > table > caption:not(.govuk-visually-hidden)")]
  .filter((caption) => {
    const text = document.createRange();
    text.selectNodeContents(caption);
    return text.getBoundingClientRect().right
      > caption.closest(".app-table-scroll").getBoundingClientRect().right + 0.5;
  })
  .map((caption) => caption.textContent.trim().slice(0, 40))"""
LONG_WEBSITE = (
    "https://www.secretcarehomes-supportedliving.example.org.uk/our-services/supported-living"
)
# REFLOW_SCREENSHOTS=/some/folder keeps a picture of every page at 320px.
SCREENSHOTS = os.environ.get("REFLOW_SCREENSHOTS")


def with_long_content(objects):
    """The matrix's records plus the content that pushed pages wide: a
    reminder sent to a long address, the service area with the longest
    name in the budget chart; and the provider's contact at that address
    and a long web address (summary lists) and enough providers for the list to have pages."""
    from contracts.models import Reminder, ReminderRecipient
    from finance.models import BudgetLine
    from providers.models import Provider, ProviderContact
    from tests.factories import ProviderFactory

    ProviderContact.objects.filter(pk=objects["contact"]).update(email=LONG_EMAIL)
    Provider.objects.filter(pk=objects["provider"]).update(website=LONG_WEBSITE)
    ProviderFactory.create_batch(25)

    reminder = Reminder.objects.create(
        contract_id=objects["contract"],
        kind="expiry",
        due_date=date(2026, 1, 5),
        event_date=date(2026, 7, 5),
        lead="6 months",
        status="sent",
    )
    ReminderRecipient.objects.create(reminder=reminder, email=LONG_EMAIL, reason="Team mailbox")
    BudgetLine.objects.create(financial_year=2025, service_area="ilss", amount=Decimal("950488.00"))
    return objects


@pytest.fixture
def matrix_pages(time_machine, user_with_role):
    time_machine.move_to(MATRIX_DAY, tick=True)
    return html_pages(visits(with_long_content(matrix_objects()), user_with_role))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_the_matrix_scrolls_sideways(width, live_server, browser, matrix_pages, axe):
    wide, cut, inaccessible, seen = [], [], [], 0
    for user, pages in matrix_pages.items():
        context = browser.new_context(**WIDTHS[width])
        context.set_default_timeout(15_000)
        page = context.new_page()
        if user is not None:
            sign_in(page, live_server, user.username)
            page.wait_for_url(f"{live_server.url}/")
        for name, url, _ in pages:
            page.goto(f"{live_server.url}{url}")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            seen += 1
            if scroll > inner:
                who = ", ".join(user.role_names) if user else "signed out"
                culprits = ", ".join(page.evaluate(STICKING_OUT))
                wide.append(f"{name} as {who}: {scroll}px wide; sticking out: {culprits}")
            cut += [f"{name}: “{caption}”" for caption in page.evaluate(CUT_CAPTIONS)]
            if width == "320px":
                # The scroll regions and wrapped layouts are what axe sees here.
                try:
                    axe.check(page)
                except AssertionError as failure:
                    inaccessible.append(str(failure))
            if SCREENSHOTS and width == "320px":
                Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SCREENSHOTS}/{name.replace(':', '-')}.png", full_page=True)
        context.close()
    assert seen > 100, f"only {seen} pages visited"
    assert not inaccessible, "\n".join(inaccessible)
    assert not cut, f"captions cut at {width}:\n" + "\n".join(cut)
    assert not wide, f"{len(wide)} of {seen} pages scroll sideways at {width}:\n" + "\n".join(wide)


LABELS = """() => [...document.querySelectorAll(".app-chart__label")].map((el) => {
  const style = getComputedStyle(el);
  return {text: el.textContent.trim(), clipped: el.scrollWidth > el.clientWidth,
    ellipsis: style.textOverflow === "ellipsis", px: parseFloat(style.fontSize)};
})"""


def test_the_budget_charts_labels_are_whole_and_legible_at_320px(
    live_server, browser, time_machine, user_with_role
):
    from contracts.constants import ServiceArea
    from finance.models import BudgetLine

    time_machine.move_to(MATRIX_DAY, tick=True)
    for n, area in enumerate(ServiceArea.values, start=1):
        BudgetLine.objects.create(financial_year=2025, service_area=area, amount=1000 * n)
    officer = user_with_role(Role.FINANCE_OFFICER)
    context = browser.new_context(**WIDTHS["320px"])
    page = context.new_page()
    sign_in(page, live_server, officer.username)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/finance/")
    labels = page.evaluate(LABELS)
    context.close()
    assert [label["text"] for label in labels] == ServiceArea.labels
    cut = [label for label in labels if label["clipped"] or label["ellipsis"]]
    assert not cut, f"Cut labels: {cut}"
    # The page's small body text: the labels were 6px when the SVG was scaled.
    assert min(label["px"] for label in labels) >= 16
