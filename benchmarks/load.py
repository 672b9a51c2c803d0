"""Under load: the service as the image runs it, used by 50 council staff.

gunicorn with config/gunicorn.py and production settings, in a database of
its own on the benchmarks' PostgreSQL (created here, dropped afterwards)
holding the demo data and 5,000 contracts, with Celery pointed at the
benchmarks' Redis. locust (a separate process, benchmarks/_locustfile.py)
runs 50 people on loopback for 60 s, 10 starting a second: each has their
own account in one of five roles, signs in through the sign-in form, then
reads pages in their role's mix (home, the register, contracts, decisions
due, providers, purchasing systems, call-offs, the finance budget, savings,
schemes), pausing 1-5 s between pages as people do.

Headline: the 95th percentile of page requests (sign-in on its own line)
and the number of failed requests: target p95 <= 300 ms, 0 errors.
GUNICORN_* variables pass through to gunicorn, to compare worker settings.
"""

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 300
USERS, SPAWN_RATE, DURATION = 50, 10, "60s"
CONTRACTS = 5_000
ROLES = [
    "commissioning_officer",
    "procurement_officer",
    "approving_manager",
    "finance_officer",
    "auditor",
]
DATABASE = "care_load_benchmark"
VENV = ROOT / ".venv" / "bin"
PASSWORD = secrets.token_urlsafe(16)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _recreate_database(server_url: str) -> str:
    """A database of the benchmark's own: dropping it is the clean-up, so
    nothing is deleted row by row (history tables refuse DELETE)."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{DATABASE}"))


def _drop_database(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _redis_db(url: str, number: int) -> str:
    # Not the other benchmarks' database: a reminder worker there must not
    # pick up what this one queues.
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


def _seed() -> dict:
    """Demo data, 50 accounts and 5,000 contracts; returns the locust plan."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo_data", allow_production=True, stdout=quiet)

    from contracts.models import Contract
    from core.models import User
    from core.roles import Role
    from finance.models import Recommissioning, Scheme
    from procurement.models import CallOff, PurchasingSystem
    from providers.models import Provider

    # One hash for every account: hashing 50 times at production cost would
    # take longer than the run.
    password = make_password(PASSWORD)
    accounts = [(f"load.{role}.{n}", role) for role in ROLES for n in range(USERS // len(ROLES))]
    users = User.objects.bulk_create(
        User(
            username=username,
            email=f"{username}@example.gov.uk",
            first_name="Load",
            last_name=f"Tester {n}",
            password=password,
        )
        for n, (username, _) in enumerate(accounts)
    )
    groups = {role: Group.objects.get(name=Role(role).label) for role in ROLES}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=groups[role].pk)
        for user, (_, role) in zip(users, accounts, strict=True)
    )
    providers = list(Provider.objects.all()) + Provider.objects.bulk_create(
        Provider(legal_name=f"Load provider {i} Ltd") for i in range(300)
    )
    _contracts(providers, users)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # Steady state: what a page stores the first time it sees new contracts
    # (the budget's commitments by year) is stored before the run.
    from django.test import Client

    client = Client(headers={"X-Forwarded-Proto": "https"})
    client.force_login(users[accounts.index(("load.finance_officer.0", "finance_officer"))])
    assert client.get("/finance/").status_code == 200

    def pick(model, n):
        pks = list(model.objects.values_list("pk", flat=True))
        return random.Random(0).sample(pks, min(n, len(pks)))

    plan = {
        "password": PASSWORD,
        "accounts": accounts,
        "contracts": pick(Contract, 500),
        "providers": pick(Provider, 200),
        "systems": list(PurchasingSystem.objects.values_list("pk", flat=True)),
        "call_offs": list(CallOff.objects.values_list("pk", flat=True)),
        "recommissionings": list(Recommissioning.objects.values_list("slug", flat=True)),
        "schemes": list(Scheme.objects.values_list("pk", flat=True)),
    }
    connection.close()
    return plan


def _contracts(providers, owners) -> None:
    """Rows as contracts.services would store them, across service areas,
    funders and financial years."""
    from datetime import date, timedelta
    from decimal import Decimal

    from contracts import terms
    from contracts.constants import ServiceArea
    from contracts.models import Contract

    areas = list(ServiceArea.values)
    notations = [terms.Term.parse(t) for t in ("3+1+1", "3+2+2", "5", "2+1", "36m+12m+12m")]
    shares = [(100, 0, 0), (100, 0, 0), (70, 30, 0), (50, 50, 0), (80, 10, 10)]
    batch = []
    for i in range(CONTRACTS):
        term = notations[i % len(notations)]
        begin = date(2020, 4, 1) + timedelta(days=(i * 7) % 2600)
        value = Decimal(20_000 + (i * 37) % 900_000)
        council, icb, other = shares[i % len(shares)]
        batch.append(
            Contract(
                reference=f"LOAD-{i:05d}",
                title=f"Supported living scheme {i}",
                service_area=areas[i % len(areas)],
                provider=providers[i % len(providers)],
                owner=owners[i % len(owners)],
                start_date=begin,
                term=term.notation,
                annual_value=value,
                council_share_percent=council,
                icb_share_percent=icb,
                other_share_percent=other,
                option_count=len(term.option_months),
                initial_end_date=term.initial_end(begin),
                current_end_date=term.initial_end(begin),
                max_end_date=term.max_end(begin),
                whole_life_value=terms.whole_life_value(term, value),
                decision_deadline=terms.decision_deadline(term.initial_end(begin), 3)
                if term.option_months
                else None,
            )
        )
    Contract.objects.bulk_create(batch, batch_size=1000)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("gunicorn exited before it answered")
        try:
            # The URL is http://127.0.0.1:<port>, built by main().
            url = f"{base}/healthz"
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)] if ordered else float("nan")


def _report(samples: list) -> tuple[float, int]:
    pages = [ms for name, ms, ok in samples if not name.startswith("sign-in")]
    sign_ins = [ms for name, ms, ok in samples if name == "sign-in"]
    errors = sum(1 for *_, ok in samples if not ok)
    by_name: dict[str, list[float]] = {}
    for name, ms, _ in samples:
        by_name.setdefault(name, []).append(ms)
    print(f"{'page':<22}{'requests':>9}{'median':>9}{'p95':>9}{'max':>9}  (ms)")
    for name, values in sorted(by_name.items()):
        values.sort()
        print(
            f"{name:<22}{len(values):>9}{values[len(values) // 2]:>9.0f}"
            f"{_p95(values):>9.0f}{values[-1]:>9.0f}"
        )
    print(f"sign-in: p95 {_p95(sign_ins):.0f} ms, {len(sign_ins)} of {USERS} finished in the run")
    print(f"pages: p95 {_p95(pages):.0f} ms over {len(pages)} requests, {errors} errors")
    return _p95(pages), errors


def _locust(base: str, work: Path) -> None:
    subprocess.run(
        [VENV / "locust", "-f", ROOT / "benchmarks" / "_locustfile.py", "--headless",
         "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", DURATION, "--host", base,
         "--csv", work / "locust", "--only-summary", "--loglevel", "WARNING",
         "--stop-timeout", "10"],
        cwd=ROOT,
        check=False,
        stdout=open(work / "locust.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def _run(base: str, work: Path, overrides: dict) -> tuple[float, int]:
    """One locust run against a fresh gunicorn with these GUNICORN_* overrides."""
    env = {**os.environ, **overrides}
    shown = {k.removeprefix("GUNICORN_").lower(): v for k, v in overrides.items()}
    print(f"== gunicorn (config/gunicorn.py{', ' if shown else ''}"
          f"{', '.join(f'{k} {v}' for k, v in shown.items())}); "
          f"started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    server = subprocess.Popen(
        [VENV / "gunicorn", "-c", ROOT / "config" / "gunicorn.py"],
        cwd=ROOT,
        env=env,
        stderr=open(work / "gunicorn.log", "a"),  # noqa: SIM115
    )
    try:
        _wait_until_up(base, server)
        _locust(base, work)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    samples = json.loads((work / "samples.json").read_text())
    return _report(samples)


def _comparisons() -> list[dict]:
    """LOAD_COMPARE="GUNICORN_WORKER_CLASS=sync,GUNICORN_THREADS=1;GUNICORN_THREADS=4"
    runs each set of settings first, on the same data, then the defaults."""
    sets = [part for part in os.environ.get("LOAD_COMPARE", "").split(";") if part.strip()]
    return [dict(kv.strip().split("=", 1) for kv in part.split(",")) for part in sets] + [{}]


def main() -> None:
    server_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not server_url.startswith("postgres") or not redis_url:
        sys.exit("Set DATABASE_URL and REDIS_URL (scripts/benchmarks does).")
    work = Path(tempfile.mkdtemp(prefix="load-benchmark-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=_recreate_database(server_url),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        CELERY_BROKER_URL=_redis_db(redis_url, 9),
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG=str(work / "access.log"),
        LOAD_PLAN=str(work / "plan.json"),
        LOAD_SAMPLES=str(work / "samples.json"),
    )
    try:
        started = time.monotonic()
        plan = _seed()
        (work / "plan.json").write_text(json.dumps(plan))
        print(f"seeded in {time.monotonic() - started:.0f} s: {CONTRACTS:,} contracts, "
              f"{len(plan['accounts'])} accounts in {len(ROLES)} roles")  # fmt: skip
        print(f"locust: {USERS} users, {SPAWN_RATE} started a second, {DURATION}, "
              "each signs in once then waits 1-5 s between pages")  # fmt: skip
        for overrides in _comparisons():
            p95, errors = _run(base, work, overrides)
        if errors:
            os.environ["LOAD_KEEP"] = "1"
            print(f"errors: see {work / 'locust_failures.csv'} and {work / 'gunicorn.log'}")
        print(f"load: p95 {p95:.0f} ms, {errors} errors (target p95 <= {TARGET_MS} ms, 0 errors)")
    finally:
        _drop_database(server_url)
        import redis

        redis.Redis.from_url(_redis_db(redis_url, 9)).flushdb()
        if not os.environ.get("LOAD_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
