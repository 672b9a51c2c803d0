"""The contract page's performance section in Chromium with axe-core, with
JavaScript on and off: the charts, the rating tag, the improvement plan and
the figures beneath each chart."""

from datetime import date, timedelta

import pytest

from core.roles import Role
from performance.constants import PerformanceRating
from performance.models import ImprovementPlan
from tests.browser.test_provider_journey import sign_in
from tests.factories import ContractFactory, UserFactory
from tests.performance.data import make_kpis, make_returns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_an_approving_manager_reads_the_contracts_performance(
    javascript, live_server, page_factory, axe, user_with_role
):
    user_with_role(Role.APPROVING_MANAGER, username="amina.begum")
    contract = ContractFactory()
    kpis = make_kpis(contract, 3)
    reviewer = UserFactory()
    make_returns(
        contract, kpis, 8, reviewer=reviewer, rating=PerformanceRating.REQUIRES_IMPROVEMENT
    )
    ImprovementPlan.objects.create(
        contract=contract,
        warned_on=date(2025, 1, 6),
        must_improve="Review every support plan within 12 weeks",
        improve_by=date(2025, 1, 6) + timedelta(days=90),
        raised_by=reviewer,
    )
    page = page_factory(javascript=javascript)
    sign_in(page, live_server, "amina.begum")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    section = page.locator("main")
    assert page.locator("svg[role=img]").count() == 3
    chart = page.get_by_role(
        "img", name=f"{kpis[0].name}: the actual each period against the target"
    )
    assert chart.count() == 1
    text = section.inner_text()
    assert "Requires improvement" in text
    assert "Improvement plan" in text and "Overdue" in text
    # The figures are closed in a details component until asked for.
    page.get_by_text(f"Figures for {kpis[0].name}").click()
    table = page.get_by_role("table", name=f"{kpis[0].name}: the figures by period")
    assert table.locator("tbody tr").count() == 8
    # axe-core is JavaScript: it checks the page in the js-on run; the js-off
    # run shows the same page works without it.
    if javascript:
        axe.check(page)
    assert page.console_errors == []
