"""Importing a 20,000-row contracts register CSV on PostgreSQL.

Headline: rows imported per second, parsing and checking included
(target >= 2,000 rows/s), with all-or-nothing kept: a file with one bad row
at the end writes nothing.

It runs in a database of its own, created, migrated and dropped here: the
import writes history rows, and history tables refuse DELETE, so there is
no other way to remove all of its data without touching anybody else's.
"""

import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

ROWS = 20_000
TARGET = 2_000
HEADER = (
    "reference,title,provider,companies_house_number,service_area,start_date,term,"
    "annual_value,notice_months,uplift_percent,owner_email,options_taken\n"
)
AREAS = ["Supported living", "ILSS", "Home care", "Day opportunities", "Advocacy", "Carers"]
TERMS = ["3+2+2", "36m+12m+12m", "5", "2+1+1", "7m+5x1m", "4+1"]


def register_csv(rows: int, *, prefix="IMP") -> str:
    lines = [HEADER]
    for i in range(rows):
        provider = i % 400
        number = f"{10_000_000 + provider:08d}" if provider % 2 else ""
        start_year = 2019 + i % 7
        term = TERMS[i % len(TERMS)]
        # A register's older contracts: their first option was taken before
        # it was loaded (its decision deadline passed years ago).
        taken = "1" if start_year == 2019 and term == "3+2+2" else ""
        lines.append(
            f"{prefix}-{i:06d},Care and support service {i},Provider {provider} Ltd,{number},"
            f"{AREAS[i % len(AREAS)]},{start_year}-{1 + i % 12:02d}-01,{term},"
            f"{50_000 + (i * 37) % 900_000}.00,3,{'2.5' if i % 3 else ''},"
            f"officer@example.gov.uk,{taken}\n"
        )
    return "".join(lines)


def own_database() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (scripts/benchmarks does).")
    parts = urlsplit(url)
    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url, urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _server_cpu_seconds(pid: int) -> float | None:
    """CPU time of this session's PostgreSQL backend, when it runs on this
    machine (as under scripts/benchmarks); None if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(admin_url: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from contracts.imports import register_csv_import
    from contracts.models import Contract
    from contracts.register_csv import RegisterImportError
    from core.roles import Role
    from core.services import user_create
    from providers.models import Provider

    user_create(
        username="officer",
        email="officer@example.gov.uk",
        password="benchmark-password-123",
        role=Role.COMMISSIONING_OFFICER,
    )
    text = register_csv(ROWS)

    # All or nothing: one bad row after 2,000 good ones, and nothing is written.
    bad = register_csv(2_000, prefix="BAD") + "BAD-X,Title,Provider,,ILSS,2019-13-01,3,1,,,,\n"
    try:
        register_csv_import(text=bad, by=None)
    except RegisterImportError as exc:
        assert exc.problems == [
            "Row 2002, start_date: '2019-13-01' is not a date; use YYYY-MM-DD, like 2019-07-01"
        ], exc.problems
    assert not Contract.objects.exists() and not Provider.objects.exists()

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    server_before, client_before = _server_cpu_seconds(backend), time.process_time()
    start = time.perf_counter()
    result = register_csv_import(text=text, by=None)
    seconds = time.perf_counter() - start
    client_cpu = time.process_time() - client_before
    server_after = _server_cpu_seconds(backend)
    assert len(result.created) == ROWS, len(result.created)
    assert Contract.history.count() == ROWS + Contract.objects.filter(options_taken=1).count()

    start = time.perf_counter()
    again = register_csv_import(text=text, by=None)
    seconds_again = time.perf_counter() - start
    assert len(again.unchanged) == ROWS

    print(
        f"{ROWS:,} rows: first import {seconds:.1f} s ({len(result.providers_created)} providers "
        f"added), the same file again {seconds_again:.1f} s ({ROWS / seconds_again:,.0f} rows/s, "
        "nothing changed)"
    )
    if server_after is not None:
        # The machine may be shared: the CPU time both sides used shows what
        # the import costs whatever else is running.
        cpu = client_cpu + server_after - server_before
        print(
            f"CPU time of the first import: Python {client_cpu:.1f} s, PostgreSQL "
            f"{server_after - server_before:.1f} s: {ROWS / cpu:,.0f} rows per CPU-second"
        )
    print(f"import: {ROWS / seconds:,.0f} rows/s (target >= {TARGET:,} rows/s)")


if __name__ == "__main__":
    admin_url, url = own_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    try:
        import django

        django.setup()
        main(admin_url)
    finally:
        drop_database(admin_url, url)
