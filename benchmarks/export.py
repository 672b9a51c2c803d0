"""The register's downloads (/contracts/export.csv and .xlsx) with 20,000
contracts on PostgreSQL.

Headline: the CSV download's time (through the view, every byte read)
divided by a bare csv.writer over values_list() of the same columns in
this process (target <= 3.0), and the peak Python memory (tracemalloc) of
each download, CSV and Excel (target <= 50 MB).
"""

from _harness import setup, timed_pair

setup()

import csv
import io
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client

from contracts import export, terms
from contracts.constants import ProcurementRoute, ServiceArea
from contracts.models import Contract
from core.models import User
from core.roles import Role
from core.services import user_create
from providers.models import Provider

TARGET, MEMORY_TARGET_MB = 3.0, 50
PREFIX = "BENCH-EXPORT-"
SIZE = 20_000
AREAS = list(ServiceArea.values)
ROUTES = list(ProcurementRoute.values)


def make_contracts(providers):
    term = terms.Term.parse("3+1+1")
    batch = []
    for i in range(SIZE):
        begin = date(2022, 4, 1) + timedelta(days=i % 1500)
        value = Decimal(50_000 + (i * 37) % 900_000)
        batch.append(
            Contract(
                reference=f"{PREFIX}{i:06d}",
                title=f"Supported living scheme {i}",
                description=f"Support for adults with learning disabilities, scheme {i}",
                service_area=AREAS[i % len(AREAS)],
                procurement_route=ROUTES[i % len(ROUTES)],
                provider=providers[i % len(providers)],
                start_date=begin,
                term=term.notation,
                annual_value=value,
                option_count=2,
                options_closed=i % 10 == 0,
                initial_end_date=term.initial_end(begin),
                current_end_date=term.initial_end(begin),
                max_end_date=term.max_end(begin),
                whole_life_value=terms.whole_life_value(term, value),
                decision_deadline=terms.decision_deadline(term.initial_end(begin), 3),
            )
        )
    contracts = Contract.objects.bulk_create(batch, batch_size=2000)
    # Every twentieth award is shared with two other suppliers.
    through = Contract.additional_providers.through
    through.objects.bulk_create(
        through(contract_id=c.pk, provider_id=providers[(n + k) % len(providers)].pk)
        for n, c in enumerate(contracts)
        if n % 20 == 0
        for k in (1, 2)
    )


def bare_csv():
    """The floor: the same columns from one query, written by csv.writer."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export.HEADERS)
    # The whole register, as the download gives it.
    writer.writerows(Contract.objects.order_by("reference").values_list(*export.FIELDS))
    return out.getvalue()


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main():
    user = user_create(
        username="benchmark.export",
        email="bench.export@example.org",
        password="benchmark-password-123",
        role=Role.AUDITOR,
    )
    client = Client()
    client.force_login(user)
    providers = Provider.objects.bulk_create(
        Provider(
            legal_name=f"{PREFIX}provider {i}",
            town="Sefton",
            postcode="L20 3NJ",
            companies_house_number=f"{i:08d}",
            is_sme=i % 2 == 0,
        )
        for i in range(200)
    )

    def download(fmt):
        def run():
            response = client.get(f"/contracts/export.{fmt}")
            assert response.status_code == 200
            # As a server sends it: a chunk at a time, never joined.
            return sum(len(chunk) for chunk in response.streaming_content)

        return run

    try:
        make_contracts(providers)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        lines = download("csv")()
        rows = sum(1 for _ in csv.reader(io.StringIO(bare_csv())))
        print(f"CSV download: {lines:,} bytes; bare CSV: {rows - 1:,} rows")
        csv_ms, bare_ms = timed_pair(download("csv"), bare_csv, repeat=7, warmup=1)
        csv_mb, xlsx_mb = peak_mb(download("csv")), peak_mb(download("xlsx"))
        print(f"CSV download {csv_ms:.0f} ms, bare csv.writer {bare_ms:.0f} ms")
        print(
            f"export: {csv_ms / bare_ms:.1f} (target <= {TARGET}); peak memory csv "
            f"{csv_mb:.0f} MB, xlsx {xlsx_mb:.0f} MB (target <= {MEMORY_TARGET_MB} MB)"
        )
    finally:
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        User.objects.filter(username="benchmark.export").delete()


main()
