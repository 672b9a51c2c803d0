"""The contract page five years into a contract: 20 KPIs with 28 quarters of
returns and reviews, 10 contract changes and 20 documents, on PostgreSQL.

Headline: the contract page's server time divided by a bare Django view
that renders the same 560 figures, through the same table template, from
one raw SQL query (target <= 2.0), with the page's query count asserted the
same at 1 and at 28 quarters.

Contract changes and documents are made when their models are installed
(contracts.ContractChange, the documents app), so the figure means the same
before and after those parts of the page exist.
"""

from _harness import remove_users, setup, timed_pair

setup()

from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config import urls as config_urls
from contracts import terms
from contracts.models import Contract
from core.models import User
from core.roles import Role
from core.services import user_create
from performance.charts import format_measure, period_label
from performance.constants import ImprovementPlanStatus, KpiRating, ReturnStatus
from performance.models import ImprovementPlan, Kpi, KpiActual, MonitoringReturn, Review
from performance.selectors import NOT_YET_REVIEWED, RATING_COLOURS, RATING_LABELS
from providers.models import Provider

TARGET = 2.0
PREFIX = "BENCH-PAGE-"
KPIS, QUARTERS, CHANGES, DOCUMENTS = 20, 28, 10, 20
START = date(2019, 4, 1)

BARE = engines["django"].from_string(
    '{% for series in kpis %}{% include "performance/_kpi_figures.html" %}{% endfor %}'
)
# Every KPI's actual in every period, in the page's order, in one query.
BARE_SQL = """
SELECT k.id, k.name, k.unit, k.target, r.period_start, r.period_end, a.actual, a.rating
FROM performance_kpi k
JOIN performance_kpiactual a ON a.kpi_id = k.id
JOIN performance_monitoringreturn r ON r.id = a.monitoring_return_id
WHERE k.contract_id = %s
ORDER BY k.retired_on NULLS FIRST, k."order", k.id, r.period_start
"""


def bare_view(request, pk):
    """The floor: the same figures, formatted by the same helpers into the
    same table template, from one raw query, through the same middleware;
    no ORM, charts, layout or the rest of the contract page."""
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [pk])
        rows = cursor.fetchall()
    kpis, labels = {}, {}
    for kpi_id, name, unit, target, start, end, actual, rating in rows:
        if start not in labels:
            labels[start] = period_label(start, end)
        series = kpis.setdefault(
            kpi_id,
            {"kpi": {"name": name}, "target_display": format_measure(target, unit), "periods": []},
        )
        series["periods"].append(
            {
                "label": labels[start],
                "actual_display": format_measure(actual, unit),
                "rating_label": RATING_LABELS[rating] if rating else NOT_YET_REVIEWED,
                "rating_colour": RATING_COLOURS.get(rating, ""),
            }
        )
    return HttpResponse(BARE.render({"kpis": list(kpis.values())}, request))


urlpatterns = [path("bare/<int:pk>/", bare_view), *config_urls.urlpatterns]


def make_contract(provider) -> Contract:
    """One live contract, 2019 to 2029 with a two-year option, its derived
    columns as the service sets them."""
    term = terms.Term.parse("10+2")
    value = Decimal("491804.00")
    (contract,) = Contract.objects.bulk_create(
        [
            Contract(
                reference=f"{PREFIX}0001",
                title="Supported living: Bootle and Netherton",
                service_area="supported_living",
                provider=provider,
                start_date=START,
                term=term.notation,
                annual_value=value,
                option_count=len(term.option_months),
                initial_end_date=term.initial_end(START),
                current_end_date=term.initial_end(START),
                max_end_date=term.max_end(START),
                whole_life_value=terms.whole_life_value(term, value),
                decision_deadline=terms.decision_deadline(term.initial_end(START), 6),
            )
        ]
    )
    return contract


def make_kpis(contract) -> list[Kpi]:
    return Kpi.objects.bulk_create(
        Kpi(
            contract=contract,
            name=f"{PREFIX}KPI {i + 1}: support plans reviewed on time",
            measure="Share of people whose support plan was reviewed within 12 weeks",
            unit=["%", "people", "days", "hours"][i % 4],
            target=Decimal(90 - i),
            tolerance=Decimal(5),
            direction="lower" if i % 4 == 2 else "higher",
            most_material=i < 3,
            order=i,
        )
        for i in range(KPIS)
    )


def make_quarters(contract, kpis, first, last, reviewer):
    """Reviewed returns for quarters first..last-1, an actual for every KPI
    (now and then not reported), each with its review."""
    returns = MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            contract=contract,
            period_start=terms.add_months(START, 3 * q),
            period_end=terms.add_months(START, 3 * q + 3) - timedelta(days=1),
            due_date=terms.add_months(START, 3 * q + 3) + timedelta(days=29),
            status=ReturnStatus.REVIEWED,
        )
        for q in range(first, last)
    )
    actuals = []
    for q, monitoring_return in zip(range(first, last), returns, strict=True):
        for k, kpi in enumerate(kpis):
            missing = (k + q) % 9 == 4
            actual = None if missing else kpi.target - 8 + Decimal((k * 7 + q * 3) % 14)
            if actual is None:
                rating = KpiRating.NOT_REPORTED
            elif kpi.direction == "higher":
                rating = KpiRating.GREEN if actual >= kpi.target else KpiRating.AMBER
            else:
                rating = KpiRating.GREEN if actual <= kpi.target else KpiRating.AMBER
            actuals.append(
                KpiActual(
                    monitoring_return=monitoring_return, kpi=kpi, actual=actual, rating=rating
                )
            )
    KpiActual.objects.bulk_create(actuals)
    Review.objects.bulk_create(
        Review(
            monitoring_return=r,
            contract=contract,
            overall_rating=["good", "approaching_target", "requires_improvement"][i % 3],
            meeting_notes="Quarterly monitoring meeting at the scheme.",
            reviewed_on=r.due_date + timedelta(days=14),
            reviewed_by=reviewer,
        )
        for i, r in enumerate(returns)
    )


def model_if_installed(app_label, name):
    """Contract changes and documents are new: None until they exist."""
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def make_changes(contract, raised_by, decided_by) -> int:
    """Ten approved price reviews through the services (so the value
    schedule, derived figures and commitments are a real contract's), when
    contract changes exist."""
    if model_if_installed("contracts", "ContractChange") is None:
        return 0
    from tests.factories import add_approved_changes

    add_approved_changes(contract, CHANGES, raised_by=raised_by, decided_by=decided_by)
    return CHANGES


def make_documents(contract, user) -> int:
    """Twenty documents' records (the page lists them, nobody downloads),
    when the documents app exists."""
    Document = model_if_installed("documents", "Document")
    if Document is None:
        return 0
    kinds = [choice for choice, _ in Document._meta.get_field("kind").choices]
    Document.objects.bulk_create(
        Document(
            contract=contract,
            kind=kinds[i % len(kinds)],
            title=f"{PREFIX}document {i + 1}",
            file=f"documents/{contract.pk}/bench{i:02d}",
            original_filename=f"evidence-{i + 1}.pdf",
            size=120_000 + i,
            content_type="application/pdf",
            sha256=f"{i:064x}",
            uploaded_by=user,
        )
        for i in range(DOCUMENTS)
    )
    return DOCUMENTS


def remove(contract_ids):
    contracts = Contract.objects.filter(pk__in=contract_ids)
    for model in (
        model_if_installed("documents", "Document"),
        model_if_installed("contracts", "ContractChange"),
    ):
        if model is not None:
            model.objects.filter(contract__in=contracts).delete()
    ImprovementPlan.objects.filter(contract__in=contracts).delete()
    Review.objects.filter(contract__in=contracts).delete()
    MonitoringReturn.objects.filter(contract__in=contracts).delete()  # and their actuals
    Kpi.objects.filter(contract__in=contracts).delete()
    contracts.delete()


def main():
    viewer = user_create(
        username="benchmark.contract.page",
        email="bench.contract.page@example.org",
        password="benchmark-password-123",
        role=Role.COMMISSIONING_OFFICER,
    )
    manager = user_create(
        username="benchmark.contract.page.manager",
        email="bench.contract.page.manager@example.org",
        password="benchmark-password-123",
        role=Role.APPROVING_MANAGER,
        delegated_authority_limit=Decimal("10000000"),
    )
    client = Client()
    client.force_login(viewer)
    provider = Provider.objects.create(legal_name=f"{PREFIX}provider")
    made = []
    try:
        contract = make_contract(provider)
        made.append(contract.pk)
        kpis = make_kpis(contract)
        changes = make_changes(contract, viewer, manager)
        documents = make_documents(contract, viewer)
        ImprovementPlan.objects.create(
            contract=contract,
            warned_on=date(2025, 11, 3),
            must_improve="Review every support plan within 12 weeks of the last",
            improve_by=date(2026, 2, 27),
            status=ImprovementPlanStatus.OPEN,
            raised_by=viewer,
        )
        url = contract.get_absolute_url()

        def page():
            response = client.get(url)
            assert response.status_code == 200
            return response

        def page_queries():
            with CaptureQueriesContext(connection) as captured:
                page()
            return len(captured)

        make_quarters(contract, kpis, 0, 1, viewer)
        page()  # the session, once
        small = page_queries()
        make_quarters(contract, kpis, 1, QUARTERS, viewer)
        with connection.cursor() as cursor:
            for table in ("kpiactual", "monitoringreturn", "review", "kpi"):
                cursor.execute(f"VACUUM ANALYZE performance_{table}")
        large = page_queries()
        print(
            f"contract page queries: {small} at 1 quarter, {large} at {QUARTERS} "
            f"({KPIS} KPIs, {changes} changes, {documents} documents)"
        )
        assert small == large, "query count grows with the returns"
        html = page().content.decode()
        assert html.count("<svg") == KPIS, "a chart for every KPI"
        assert html.count('<tr class="govuk-table__row"><th scope="row"') >= KPIS * QUARTERS

        with override_settings(ROOT_URLCONF=__name__):
            bare_url = f"/bare/{contract.pk}/"
            bare = client.get(bare_url).content.decode()
            assert bare.count("<tbody") == KPIS
            # Interleaved, so both see the same machine.
            page_ms, bare_ms = timed_pair(page, lambda: client.get(bare_url), repeat=40)
        print(f"contract page {page_ms:.1f} ms, bare view of the same figures {bare_ms:.1f} ms")
        print(f"contract_page: {page_ms / bare_ms:.2f} (target <= {TARGET})")
    finally:
        remove(made)
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        remove_users(User.objects.filter(username__startswith="benchmark.contract.page"))


main()
