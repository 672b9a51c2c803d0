"""The results page of a mini-competition: 200 bids x 10 criteria x 5
evaluators on PostgreSQL.

Headline: the results page's server time divided by a bare Django view that
renders the same ranked rows (same row template) from one raw SQL query
(target <= 2.0), with the page's query count the same at 20 and 200 bids.
"""

from _harness import remove_users, setup, timed_pair

setup()

from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config import urls as config_urls
from core.models import User
from core.roles import Role
from core.services import user_create
from procurement.constants import CallOffStatus
from procurement.models import (
    Admission,
    Application,
    ApplicationWindow,
    Bid,
    CallOff,
    ConsensusScore,
    Criterion,
    EvaluatorAssignment,
    Invitation,
    Lot,
    PurchasingSystem,
    Score,
)
from providers.models import Provider

TARGET = 2.0
PREFIX = "BENCH-SCORING-"
CRITERIA = 10
EVALUATORS = 5
SUBMITTED = datetime(2026, 1, 20, tzinfo=UTC)

BARE = engines["django"].from_string('{% include "procurement/_results_table.html" %}')
# Points per bid and kind from the consensus scores, in one query.
BARE_SQL = """
SELECT b.id, p.legal_name, c.kind, SUM(c.weight * s.score / c.max_score)
FROM procurement_bid b
JOIN providers_provider p ON p.id = b.provider_id
JOIN procurement_consensusscore s ON s.bid_id = b.id
JOIN procurement_criterion c ON c.id = s.criterion_id
WHERE b.call_off_id = %s
GROUP BY b.id, p.legal_name, c.kind
"""


def bare_view(request, pk):
    """The floor: the same ranked rows through the same row template, from
    one raw query and a sort, with no ORM or page layout."""
    bids = {}
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, [pk])
        for bid_id, name, kind, points in cursor.fetchall():
            row = bids.setdefault(
                bid_id,
                {
                    "name": name,
                    "points": {
                        "quality": Decimal(0),
                        "social_value": Decimal(0),
                        "price": Decimal(0),
                    },
                },
            )
            row["points"][kind] = Decimal(points).quantize(Decimal("0.01"))
    ordered = sorted(bids.items(), key=lambda item: -sum(item[1]["points"].values()))
    rows = [
        {
            "rank": n,
            "bid": {"provider": {"legal_name": r["name"]}},
            "points": r["points"],
            "total": sum(r["points"].values()),
            "tied": False,
        }
        for n, (_, r) in enumerate(ordered, start=1)
    ]
    return HttpResponse(BARE.render({"results": {"rows": rows}}, request))


urlpatterns = [path("bare/<int:pk>/", bare_view), *config_urls.urlpatterns]


def make_call_off(reference, bid_count, evaluators):
    system = PurchasingSystem.objects.create(
        reference=reference,
        name="Benchmark PDPS",
        service_area="supported_living",
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 1),
    )
    lot = Lot.objects.create(system=system, name="Supported living")
    window = ApplicationWindow.objects.create(
        system=system, opens_on=date(2025, 1, 1), closes_on=date(2025, 12, 31)
    )
    providers = Provider.objects.bulk_create(
        Provider(legal_name=f"{PREFIX}{reference} provider {n:03d}") for n in range(bid_count)
    )
    applications = Application.objects.bulk_create(
        Application(system=system, provider=p, window=window, received_on=date(2025, 2, 1))
        for p in providers
    )
    Admission.objects.bulk_create(
        Admission(application=a, lot=lot, provider=a.provider, status="admitted")
        for a in applications
    )
    call_off = CallOff.objects.create(
        lot=lot,
        reference=reference,
        title="Benchmark call-off",
        route="mini_competition",
        status=CallOffStatus.EVALUATION,
        start_date=date(2026, 4, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=datetime(2026, 1, 10, tzinfo=UTC),
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(
            call_off=call_off,
            number=n + 1,
            name=f"Criterion {n + 1}",
            weight=Decimal(10),
            kind="social_value" if n == CRITERIA - 1 else "quality",
            max_score=5,
        )
        for n in range(CRITERIA)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(call_off=call_off, provider=p, token=f"{reference}-{p.pk}") for p in providers
    )
    bids = Bid.objects.bulk_create(
        Bid(
            call_off=call_off,
            invitation=i,
            provider=i.provider,
            received_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
        for i in invitations
    )
    assignments = EvaluatorAssignment.objects.bulk_create(
        EvaluatorAssignment(
            call_off=call_off,
            evaluator=e,
            has_conflict=False,
            declared_at=SUBMITTED,
            submitted_at=SUBMITTED,
        )
        for e in evaluators
    )
    Score.objects.bulk_create(
        (
            Score(assignment=a, bid=b, criterion=c, score=(b.pk + c.pk + a.pk) % 6)
            for a in assignments
            for b in bids
            for c in criteria
        ),
        batch_size=5000,
    )
    ConsensusScore.objects.bulk_create(
        (
            ConsensusScore(
                bid=b,
                criterion=c,
                score=(b.pk * 7 + c.pk) % 6,
                rationale="Agreed",
                moderated_by=evaluators[0],
            )
            for b in bids
            for c in criteria
        ),
        batch_size=5000,
    )
    return call_off


def main():
    auditor = user_create(
        username="bench.scoring.auditor",
        email="bench.scoring@example.org",
        password="benchmark-password-123",
        role=Role.AUDITOR,
    )
    evaluators = [
        user_create(
            username=f"bench.scoring.evaluator{n}",
            email=f"e{n}@example.org",
            password="benchmark-password-123",
            role=Role.EVALUATOR,
        )
        for n in range(EVALUATORS)
    ]
    client = Client()
    client.force_login(auditor)
    try:
        small = make_call_off(f"{PREFIX}20", 20, evaluators)
        large = make_call_off(f"{PREFIX}200", 200, evaluators)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        def queries(call_off):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"/procurement/call-offs/{call_off.pk}/results/")
                assert response.status_code == 200
            return len(captured), response

        small_queries, _ = queries(small)
        large_queries, response = queries(large)
        rows = response.content.count(b'<tr class="govuk-table__row"><td')
        print(
            f"results page queries: {small_queries} at 20 bids, {large_queries} at 200 bids "
            f"x {CRITERIA} criteria x {EVALUATORS} evaluators ({rows} ranked rows)"
        )
        assert small_queries == large_queries, "query count grows with the bids"
        assert rows == 200
        with override_settings(ROOT_URLCONF=__name__):
            page_ms, bare_ms = timed_pair(
                lambda: client.get(f"/procurement/call-offs/{large.pk}/results/"),
                lambda: client.get(f"/bare/{large.pk}/"),
                repeat=40,
            )
        print(f"results page {page_ms:.1f} ms, bare view {bare_ms:.1f} ms")
        print(f"scoring: {page_ms / bare_ms:.2f} (target <= {TARGET})")
    finally:
        for call_off in CallOff.objects.filter(reference__startswith=PREFIX):
            ConsensusScore.objects.filter(bid__call_off=call_off).delete()
            Score.objects.filter(assignment__call_off=call_off).delete()
            EvaluatorAssignment.objects.filter(call_off=call_off).delete()
            Bid.objects.filter(call_off=call_off).delete()
            Invitation.objects.filter(call_off=call_off).delete()
            call_off.delete()
        for system in PurchasingSystem.objects.filter(reference__startswith=PREFIX):
            Admission.objects.filter(lot__system=system).delete()
            Application.objects.filter(system=system).delete()
            Lot.objects.filter(system=system).delete()
            system.delete()
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        remove_users(User.objects.filter(username__startswith="bench.scoring."))


main()
