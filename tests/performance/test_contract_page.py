"""The performance section of the contract page: what every role that may
view the contract sees, read without CSS or JavaScript."""

import re
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest
import time_machine

from core.roles import Role
from performance.constants import ImprovementPlanStatus, PerformanceRating, ReturnStatus
from performance.models import ImprovementPlan, MonitoringReturn
from tests.factories import ContractFactory, UserFactory
from tests.pages import html_text, page_text
from tests.performance.data import actual_for, make_kpis, make_returns, quarter

SVG = "{http://www.w3.org/2000/svg}"
VIEWERS = [
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
]


@pytest.fixture
def contract(db):
    contract = ContractFactory()
    kpis = make_kpis(contract, 2)
    make_returns(
        contract, kpis, 6, reviewer=UserFactory(), rating=PerformanceRating.REQUIRES_IMPROVEMENT
    )
    return contract


def charts_in(response) -> list:
    html = response.content.decode()
    # The chart is XML as it stands: no CSS or script is needed to read it.
    return [
        # The page this app drew, not untrusted input.
        ElementTree.fromstring(markup)  # noqa: S314  # nosec B314
        for markup in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    ]


@pytest.mark.parametrize("role", VIEWERS)
def test_every_role_that_may_view_the_contract_sees_its_performance(client_as, contract, role):
    response = client_as(role).get(contract.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "Performance Latest overall rating: Requires improvement" in text
    for kpi in contract.kpis.all():
        assert f"Figures for {kpi.name}" in text
    assert len(charts_in(response)) == 2


def test_without_css_each_chart_has_its_title_description_and_axes_in_text(client_as, contract):
    response = client_as(Role.AUDITOR).get(contract.get_absolute_url())
    kpi = contract.kpis.order_by("order").first()
    chart = charts_in(response)[0]
    assert chart.get("role") == "img"
    title_id, desc_id = chart.get("aria-labelledby").split()
    assert chart.find(f"{SVG}title").get("id") == title_id
    assert (
        chart.find(f"{SVG}title").text == f"{kpi.name}: the actual each period against the target"
    )
    desc = chart.find(f"{SVG}desc")
    assert desc.get("id") == desc_id
    assert "Target 90%, higher is better. Amber from 85% to 90%." in desc.text
    assert "6 periods: 5 reported, 1 not reported." in desc.text
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert {"Target", "Actual (%)", "Period (by the month it ends)"} <= set(texts)
    # Each period's end month under the axis, the latest last.
    assert [t for t in texts if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t)][-1] == "Sep 2020"
    # A point per reported period, named in words.
    points = [c.find(f"{SVG}title").text for c in chart.iter(f"{SVG}circle")]
    assert points[0] == "April to June 2019: 80.25%"
    assert len(points) == 5


def test_the_table_beneath_each_chart_has_every_figure(client_as, contract):
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    for k, kpi in enumerate(contract.kpis.order_by("order")):
        rows = []
        for q in range(6):
            start, end = quarter(q)
            actual = actual_for(k, q)
            if actual is None:
                shown, rating = "Not reported", "Not reported"
            else:
                shown = f"{actual.normalize()}%"
                rating = (
                    "Green: met the target"
                    if actual >= 90
                    else "Amber: within tolerance"
                    if actual >= 85
                    else "Red: missed the target"
                )
            rows.append(f"{start:%B} to {end:%B %Y} {shown} 90% {rating}")
        table = f"{kpi.name}: the figures by period Period Actual Target Rating " + " ".join(rows)
        assert table in text


@pytest.mark.parametrize(
    ("rating", "colour"),
    [
        (PerformanceRating.GOOD, "green"),
        (PerformanceRating.APPROACHING_TARGET, "yellow"),
        (PerformanceRating.REQUIRES_IMPROVEMENT, "orange"),
        (PerformanceRating.INADEQUATE, "red"),
        (PerformanceRating.OTHER, "grey"),
    ],
)
def test_the_latest_overall_rating_is_a_tag_coloured_by_the_rating(client_as, db, rating, colour):
    contract = ContractFactory()
    make_returns(contract, make_kpis(contract, 1), 2, reviewer=UserFactory(), rating=rating)
    html = client_as(Role.AUDITOR).get(contract.get_absolute_url()).content.decode()
    tag = re.search(
        r'Latest overall rating: <strong class="govuk-tag govuk-tag--(\w+)">(.*?)<', html
    )
    assert tag.groups() == (colour, rating.label)
    if rating == PerformanceRating.OTHER:
        assert "Why Other: Reported late" in html_text(html)


def test_without_a_review_or_kpis_the_section_says_so(client_as, db):
    contract = ContractFactory()
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "No return has been reviewed yet, so there is no overall rating." in text
    assert "No key performance indicators (KPIs) set for this contract yet." in text


def plan_on(contract, **fields):
    return ImprovementPlan.objects.create(
        contract=contract,
        warned_on=date(2026, 1, 12),
        must_improve="Review every support plan within 12 weeks",
        improve_by=date(2026, 4, 30),
        raised_by=UserFactory(),
        **fields,
    )


@time_machine.travel(date(2026, 3, 2))
def test_an_open_improvement_plan_says_when_the_warning_was_given_what_and_by_when(
    client_as, contract
):
    plan_on(contract)
    text = page_text(client_as(Role.FINANCE_OFFICER).get(contract.get_absolute_url()))
    assert (
        "Improvement plan The council warned the provider on 12 January 2026. "
        "What must improve Review every support plan within 12 weeks "
        "Improve by 30 April 2026"
    ) in text
    assert "Overdue" not in text


@time_machine.travel(date(2026, 5, 1))
def test_an_improvement_plan_still_open_after_its_date_is_overdue(client_as, contract):
    plan_on(contract)
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "The council warned the provider on 12 January 2026. Overdue" in text
    assert "Improve by 30 April 2026: that date has passed and the plan is still open" in text


def test_a_closed_improvement_plan_is_not_shown(client_as, contract):
    plan_on(contract, status=ImprovementPlanStatus.MET)
    assert "Improvement plan" not in page_text(
        client_as(Role.AUDITOR).get(contract.get_absolute_url())
    )


@time_machine.travel(date(2021, 6, 1))
def test_an_overdue_return_is_a_gap_and_a_submitted_one_not_yet_reviewed(client_as, contract):
    """After six reviewed quarters: October to December 2020 submitted, not
    yet reviewed; January to March 2021 overdue (due 30 April) with nothing
    sent; April to June 2021 not yet due."""
    kpi = contract.kpis.order_by("order").first()
    for q, status in ((6, ReturnStatus.SUBMITTED), (7, ReturnStatus.DUE), (8, ReturnStatus.DUE)):
        start, end = quarter(q)
        made = MonitoringReturn.objects.create(
            contract=contract,
            period_start=start,
            period_end=end,
            due_date=end + timedelta(days=30),
            status=status,
        )
        if status == ReturnStatus.SUBMITTED:
            made.actuals.create(kpi=kpi, actual=Decimal("93.00"))
    response = client_as(Role.AUDITOR).get(contract.get_absolute_url())
    text = page_text(response)
    assert "October to December 2020 93% 90% Not yet reviewed" in text
    assert "January to March 2021 Not reported 90% Not reported" in text
    assert "April to June 2021" not in text
    first, second = (c.find(f"{SVG}desc").text for c in charts_in(response))
    assert "8 periods: 6 reported, 2 not reported." in first
    # The submitted return did not ask for the second KPI; the overdue one
    # is a gap on every chart.
    assert "7 periods: 5 reported, 2 not reported." in second


def test_stored_text_is_escaped_in_the_section_and_the_chart(client_as, db):
    contract = ContractFactory()
    name = 'Tenancies kept <script>alert("kpi")</script> & more'
    make_returns(
        contract,
        make_kpis(contract, 1, name=name, unit="<b>nights</b>", measure="<i>Nights</i> away"),
        2,
        reviewer=UserFactory(),
    )
    response = client_as(Role.AUDITOR).get(contract.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>nights" not in html and "<i>Nights" not in html
    text = page_text(response)
    assert f"Figures for {name}" in text and "<i>Nights</i> away" in text
    chart = charts_in(response)[0]
    assert chart.find(f"{SVG}title").text.startswith(name)
    assert "Actual (<b>nights</b>)" in [t.text for t in chart.iter(f"{SVG}text")]


def test_the_latest_rating_is_from_the_review_made_last_whatever_its_period(client_as, db):
    """A late review of an older quarter is the council's latest word."""
    from performance.models import Review

    contract = ContractFactory()
    make_returns(contract, make_kpis(contract, 1), 3, reviewer=UserFactory())
    oldest = Review.objects.get(contract=contract, monitoring_return__period_start=quarter(0)[0])
    Review.objects.filter(pk=oldest.pk).update(
        overall_rating=PerformanceRating.INADEQUATE, reviewed_on=date(2025, 6, 2)
    )
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert (
        "Latest overall rating: Inadequate From the review on 2 June 2025 of the return "
        "for 1 April 2019 to 30 June 2019."
    ) in text
