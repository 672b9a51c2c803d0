"""Every finance page, download and the cabinet report task costs the same
number of queries however many contracts, recommissionings, schemes or
residents there are: at 20,000 contracts the budget page once made several
queries per contract and took two minutes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from core.roles import Role
from finance import services
from finance.models import (
    BaselineService,
    BudgetLine,
    BudgetReview,
    CabinetReport,
    NewService,
    Recommissioning,
    Resident,
    Scheme,
)
from tests.factories import ContractFactory, ProviderFactory

SMALL, LARGE = 2, 7
AREAS = ["supported_living", "home_care", "ilss"]


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    if response is not None:
        assert response.status_code == 200
        # A streamed download reads the database while it is sent.
        if getattr(response, "streaming", False):
            with CaptureQueriesContext(connection) as streaming:
                b"".join(response.streaming_content)
            return len(captured) + len(streaming)
    return len(captured)


def make_contracts(n, *, offset=0):
    for i in range(offset, offset + n):
        ContractFactory(
            service_area=AREAS[i % len(AREAS)],
            start_date=date(2024, 4, 1) + timedelta(days=40 * (i % 9)),
            term=["3+1+1", "18m+6m", "2"][i % 3],
            annual_value=Decimal(100_000 + i),
            uplift_percent=Decimal(i % 3),
            council_share_percent=Decimal(60),
            icb_share_percent=Decimal(40),
        )


def make_recommissionings(n):
    for i in range(n):
        recommissioning = Recommissioning.objects.create(
            slug=f"r{i}", title=f"Recommissioning {i}", term="3+2+2", start_date=date(2019, 7, 1)
        )
        for j in range(n):
            baseline = BaselineService.objects.create(
                recommissioning=recommissioning, name=f"Old {j}", annual=Decimal(50_000), order=j
            )
            NewService.objects.create(
                recommissioning=recommissioning,
                name=f"New {j}",
                annual=Decimal(40_000),
                order=j,
                contract=ContractFactory() if j % 2 else None,
            ).replaces.add(baseline)
    return Recommissioning.objects.order_by("slug").first()


def make_schemes(n):
    for i in range(n):
        scheme = Scheme.objects.create(
            reference=f"S{i}", name="Flats", provider=ProviderFactory(), core_support_weekly=100
        )
        for j in range(n):
            resident = Resident.objects.create(
                scheme=scheme, reference=f"R{j}", weekly_budget=Decimal(500)
            )
            BudgetReview.objects.create(
                resident=resident,
                previous_budget=Decimal(450),
                new_budget=Decimal(500),
                review_reference=f"CM-{j}",
                reviewed_on=date(2026, 1, 1),
                reason="Needs changed",
            )
    return Scheme.objects.order_by("reference").first()


def make_budget_lines(n):
    """n lines more for 2026/27, each changed once, so the list's lines and
    its changes both grow."""
    first = BudgetLine.objects.count()
    for i in range(first, first + n):
        line = services.budget_line_add(
            by=None,
            financial_year=2026,
            service_area=AREAS[i % len(AREAS)],
            funder="council",
            description=f"Line {i}",
            amount=Decimal(1000 + i),
        )
        services.budget_line_update(
            line=line,
            by=None,
            reason=f"Correction {i}",
            financial_year=2026,
            service_area=line.service_area,
            funder="icb",
            description=line.description,
            amount=line.amount,
        )
    return BudgetLine.objects.filter(financial_year=2026).first()


# (role, what to make for a size, the URL to read given what was made)
PAGES = {
    "budgets": (Role.FINANCE_OFFICER, make_contracts, lambda _: reverse("finance:overview")),
    "budgets for a year": (
        Role.FINANCE_OFFICER,
        make_contracts,
        lambda _: reverse("finance:overview") + "?year=2025/26",
    ),
    "add a budget line": (
        Role.FINANCE_OFFICER,
        make_contracts,
        lambda _: reverse("finance:budget_line_create"),
    ),
    "budget lines": (
        Role.FINANCE_OFFICER,
        make_budget_lines,
        lambda _: reverse("finance:budget_line_list") + "?year=2026/27",
    ),
    "budget lines, read only": (
        Role.AUDITOR,
        make_budget_lines,
        lambda _: reverse("finance:budget_line_list") + "?year=2026/27",
    ),
    "change a budget line": (
        Role.FINANCE_OFFICER,
        make_budget_lines,
        lambda line: reverse("finance:budget_line_edit", args=[line.pk]),
    ),
    "remove a budget line": (
        Role.FINANCE_OFFICER,
        make_budget_lines,
        lambda line: reverse("finance:budget_line_remove", args=[line.pk]),
    ),
    "savings": (
        Role.FINANCE_OFFICER,
        make_recommissionings,
        lambda _: reverse("finance:recommissioning_list"),
    ),
    "a recommissioning": (
        Role.FINANCE_OFFICER,
        make_recommissionings,
        lambda r: r.get_absolute_url(),
    ),
    "its cabinet summary as CSV": (
        Role.FINANCE_OFFICER,
        make_recommissionings,
        lambda r: reverse("finance:cabinet_summary", args=[r.slug, "csv"]),
    ),
    "its cabinet summary as Excel": (
        Role.FINANCE_OFFICER,
        make_recommissionings,
        lambda r: reverse("finance:cabinet_summary", args=[r.slug, "xlsx"]),
    ),
    "its cabinet summary as PDF": (
        Role.FINANCE_OFFICER,
        make_recommissionings,
        lambda r: reverse("finance:cabinet_summary", args=[r.slug, "pdf"]),
    ),
    "schemes": (Role.FINANCE_OFFICER, make_schemes, lambda _: reverse("finance:scheme_list")),
    "a scheme": (Role.FINANCE_OFFICER, make_schemes, lambda s: s.get_absolute_url()),
    "a resident's budget review": (
        Role.COMMISSIONING_OFFICER,
        make_schemes,
        lambda s: reverse("finance:resident_review", args=[s.residents.first().pk]),
    ),
    "ask for a cabinet report": (
        Role.FINANCE_OFFICER,
        make_contracts,
        lambda _: reverse("finance:report_create"),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_each_finance_page_costs_the_same_queries_at_any_size(db, client_as, page):
    role, make, url_for = PAGES[page]
    client = client_as(role)
    BudgetLine.objects.create(
        financial_year=2025, service_area="home_care", amount=Decimal("400000.00")
    )
    counts = []
    for size, offset in ((SMALL, 0), (LARGE, 100)):
        if make is make_contracts:
            made = make(size, offset=offset)
        else:
            # Each size in a clean slate of its own kind.
            Recommissioning.objects.all().delete()
            Scheme.objects.all().delete()
            made = make(size)
        url = url_for(made)
        # The budget page works new contracts' commitments out once, then
        # reads them: both visits are flat.
        first = count_queries(lambda url=url: client.get(url))
        again = count_queries(lambda url=url: client.get(url))
        counts.append((first, again))
    assert counts[0] == counts[1], f"{page}: {counts}"


def test_a_cabinet_report_and_its_downloads_cost_the_same_queries_at_any_size(db, user_with_role):
    from django.test import Client

    user = user_with_role(Role.FINANCE_OFFICER)
    client = Client()
    client.force_login(user)
    counts = []
    for size, offset in ((SMALL, 0), (LARGE, 100)):
        make_contracts(size, offset=offset)
        report = CabinetReport.objects.create(
            requested_by=user,
            title="Report",
            contract_ids=list(Contract.objects.values_list("pk", flat=True)),
        )
        download = reverse("finance:report_download", args=[report.pk])
        counts.append(
            (
                count_queries(lambda report=report: services.report_render(report.pk) and None),
                count_queries(lambda report=report: client.get(report.get_absolute_url())),
                *(
                    count_queries(lambda fmt=fmt, url=download: client.get(url, {"format": fmt}))
                    for fmt in ("csv", "xlsx", "pdf")
                ),
            )
        )
    assert counts[0] == counts[1], counts


def test_asking_for_a_cabinet_report_costs_the_same_queries_at_any_size(db, client_as):
    client = client_as(Role.FINANCE_OFFICER)
    counts = []
    for size, offset in ((SMALL, 0), (LARGE, 100)):
        make_contracts(size, offset=offset)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                reverse("finance:report_create"),
                {"service_area": "supported_living", "title": "Supported living"},
            )
        assert response.status_code == 302
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
