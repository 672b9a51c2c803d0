"""The contracts register with 20,000 contracts on PostgreSQL.

Headline: the register page's server time divided by a bare Django view
that renders the same 50 rows from one raw SQL query (target <= 2.0), with
the page's query count the same at 1,000 and 20,000 contracts.
"""

from _harness import remove_users, setup, timed, timed_pair

setup()

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from config import urls as config_urls
from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract
from core.models import User
from core.roles import Role
from core.services import user_create
from providers.models import Provider

TARGET = 2.0
PREFIX = "BENCH-"
AREAS = list(ServiceArea.values)

BARE = engines["django"].from_string(
    '<table class="govuk-table">{% include "contracts/_register_rows.html" %}</table>'
)
# The register's first page, status included, in one hand-written query.
BARE_SQL = """
SELECT c.id, c.reference, c.title, p.legal_name, c.current_end_date, c.annual_value,
       CASE WHEN c.is_draft THEN 'draft'
            WHEN c.terminated_on <= %(today)s THEN 'terminated'
            WHEN c.current_end_date < %(today)s THEN 'expired'
            WHEN c.terminated_on > %(today)s THEN 'ending'
            WHEN (c.options_closed OR c.options_taken >= c.option_count)
                 AND c.current_end_date <= %(soon)s THEN 'ending'
            WHEN c.options_taken > 0 AND c.initial_end_date < %(today)s THEN 'in_extension'
            ELSE 'live' END
FROM contracts_contract c LEFT JOIN providers_provider p ON p.id = c.provider_id
ORDER BY c.reference LIMIT 50
"""


def bare_view(request):
    """The floor: the same 50 rows, rendered by the same row template, from
    one raw query, through the same middleware; no ORM, filters or layout."""
    today = date.today()
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQL, {"today": today, "soon": terms.add_months(today, 6)})
        rows = [
            {
                "pk": pk,
                "reference": reference,
                "title": title,
                "provider__legal_name": provider,
                "current_end_date": end,
                "annual_value": value,
                "status": status,
            }
            for pk, reference, title, provider, end, value, status in cursor.fetchall()
        ]
    return HttpResponse(BARE.render({"contracts": rows, "register_url": "/contracts/"}, request))


urlpatterns = [path("bare/", bare_view), *config_urls.urlpatterns]


def make_contracts(start, stop, providers):
    """Bulk rows with the derived columns computed as the service would."""
    term = terms.Term.parse("3+1+1")
    batch = []
    for i in range(start, stop):
        begin = date(2022, 4, 1) + timedelta(days=i % 1500)
        value = Decimal(50_000 + (i * 37) % 900_000)
        batch.append(
            Contract(
                reference=f"{PREFIX}{i:06d}",
                title=f"Supported living scheme {i}",
                service_area=AREAS[i % len(AREAS)],
                provider=providers[i % len(providers)],
                start_date=begin,
                term=term.notation,
                annual_value=value,
                option_count=2,
                initial_end_date=term.initial_end(begin),
                current_end_date=term.initial_end(begin),
                max_end_date=term.max_end(begin),
                whole_life_value=terms.whole_life_value(term, value),
                decision_deadline=terms.decision_deadline(term.initial_end(begin), 3),
            )
        )
    Contract.objects.bulk_create(batch, batch_size=2000)


def main():
    user = user_create(
        username="benchmark.auditor",
        email="bench@example.org",
        password="benchmark-password-123",
        role=Role.AUDITOR,
    )
    client = Client()
    client.force_login(user)
    providers = Provider.objects.bulk_create(
        Provider(legal_name=f"{PREFIX}provider {i}") for i in range(200)
    )
    try:
        make_contracts(0, 1_000, providers)

        def page_queries():
            # The navigation counts afresh (as after a write), so a count
            # that grows with the register shows here too.
            session = client.session
            session.pop("work_queue_count", None)
            session.save()
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/contracts/").status_code == 200
            return len(captured)

        small = page_queries()
        make_contracts(1_000, 20_000, providers)
        with connection.cursor() as cursor:
            # A steady-state register: autovacuum would have run by now.
            cursor.execute("VACUUM ANALYZE contracts_contract")
        large = page_queries()
        print(f"register page queries: {small} at 1,000 contracts, {large} at 20,000")
        assert small == large, "query count grows with the register"

        filtered_ms = timed(lambda: client.get("/contracts/?status=live&sort=end"))
        with override_settings(ROOT_URLCONF=__name__):
            # Interleaved, so both see the same machine.
            page_ms, bare_ms = timed_pair(
                lambda: client.get("/contracts/"), lambda: client.get("/bare/")
            )
        print(
            f"register page {page_ms:.1f} ms, filtered {filtered_ms:.1f} ms, "
            f"bare view {bare_ms:.1f} ms"
        )
        print(f"register: {page_ms / bare_ms:.2f} (target <= {TARGET})")
    finally:
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        remove_users(User.objects.filter(username="benchmark.auditor"))


main()
