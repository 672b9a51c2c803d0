"""The daily reminder sweep over 100,000 contracts on PostgreSQL.

Headline: the sweep's wall-clock time for one day at 100,000 contracts
(target <= 2 s), with its query count printed at 10,000 and 100,000
contracts (it must not grow).
"""

from _harness import remove_users, setup

setup()

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract, Reminder, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.models import User
from core.roles import Role
from core.services import user_create

TARGET_MS = 2000
PREFIX = "BENCH-REM-"
AREAS = list(ServiceArea.values)
# A Tuesday with reminders of every kind due on it.
DAY = date(2027, 6, 15)


def make_contracts(start, stop, owners):
    """Bulk rows with the derived columns computed as the service would;
    end dates spread over five years, so every day has some due."""
    term = terms.Term.parse("3+1+1")
    batch = []
    for i in range(start, stop):
        begin = date(2023, 1, 1) + timedelta(days=i % 1800)
        end = term.initial_end(begin)
        value = Decimal(50_000 + (i * 37) % 900_000)
        batch.append(
            Contract(
                reference=f"{PREFIX}{i:06d}",
                title=f"Supported living scheme {i}",
                service_area=AREAS[i % len(AREAS)],
                owner=owners[i % len(owners)],
                start_date=begin,
                term=term.notation,
                annual_value=value,
                option_count=2,
                initial_end_date=end,
                current_end_date=end,
                max_end_date=term.max_end(begin),
                whole_life_value=terms.whole_life_value(term, value),
                decision_deadline=terms.decision_deadline(end, 3),
            )
        )
    Contract.objects.bulk_create(batch, batch_size=5000)


def forget_the_day():
    Reminder.objects.filter(due_date=DAY).delete()
    ReminderSweep.objects.all().delete()


def sweep():
    return reminders.reminders_sweep(today=DAY, dispatch=lambda ids: None)


def sweep_queries() -> tuple[int, int]:
    forget_the_day()
    with CaptureQueriesContext(connection) as captured:
        written = len(sweep().written)
    return len(captured), written


def main():
    owners = [
        user_create(username=f"bench.officer{n}", email=f"bench.officer{n}@example.org",
                    password="benchmark-password-123", role=Role.COMMISSIONING_OFFICER)
        for n in range(20)
    ]  # fmt: skip
    managers = [
        user_create(username=f"bench.manager{n}", email=f"bench.manager{n}@example.org",
                    password="benchmark-password-123", role=Role.APPROVING_MANAGER,
                    delegated_authority_limit=Decimal("250000.00"))
        for n in range(3)
    ]  # fmt: skip
    for area in AREAS:
        settings = ServiceAreaSettings.objects.create(
            service_area=area, team_mailbox=f"{area}@example.org"
        )
        settings.managers.add(*managers)
    try:
        make_contracts(0, 10_000, owners)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE contracts_contract")
        small, small_written = sweep_queries()
        make_contracts(10_000, 100_000, owners)
        with connection.cursor() as cursor:
            # A steady-state register: autovacuum would have run by now.
            cursor.execute("VACUUM ANALYZE contracts_contract")
        large, large_written = sweep_queries()
        print(
            f"sweep queries: {small} at 10,000 contracts ({small_written} reminders), "
            f"{large} at 100,000 ({large_written} reminders)"
        )
        assert small == large, "query count grows with the register"

        samples = []
        for _ in range(7):
            forget_the_day()
            start = time.perf_counter()
            written = len(sweep().written)
            samples.append((time.perf_counter() - start) * 1000)
            assert written == large_written
        start = time.perf_counter()
        assert sweep().written == []  # a second sweep the same day writes nothing
        again_ms = (time.perf_counter() - start) * 1000
        median = statistics.median(samples)
        print(
            f"sweep of 100,000 contracts: median {median:.0f} ms over {len(samples)} runs, "
            f"writing {large_written} reminders; repeated the same day {again_ms:.0f} ms"
        )
        print(f"reminders: {median:.0f} ms (target <= {TARGET_MS} ms)")
    finally:
        Reminder.objects.filter(contract__reference__startswith=PREFIX).delete()
        ReminderSweep.objects.all().delete()
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        ServiceAreaSettings.objects.filter(team_mailbox__endswith="@example.org").delete()
        remove_users(User.objects.filter(username__startswith="bench."))


main()
