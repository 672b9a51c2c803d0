"""The daily reminder sweep over 100,000 contracts on PostgreSQL.

Headline: the sweep's wall-clock time for one day at 100,000 contracts
(target <= 2 s), with its query count printed at 10,000 and 100,000
contracts (it must not grow). One contract in ten has a KPI and a return for
each quarter so far (40,000 returns at 100,000 contracts), so returns and
reviews due and overdue are in the sweep too; the creation of a quarter's
returns on 1 July is timed on its own line.
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
from performance import calendar, schedule
from performance.models import Kpi, MonitoringReturn

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
    make_monitoring([c for n, c in enumerate(batch, start) if n % 10 == 0])


def make_monitoring(contracts):
    """A KPI and a return for every quarter ended by 31 March 2027, due 30 to
    74 days after it (so every day has some due), the older ones reviewed."""
    Kpi.objects.bulk_create(
        (Kpi(contract=c, name="Tenancies sustained", measure="Tenancies sustained",
             unit="%", target=Decimal(95)) for c in contracts),
        batch_size=5000,
    )  # fmt: skip
    returns = []
    for contract in contracts:
        quarters = calendar.monitoring_periods(
            contract.start_date, min(contract.current_end_date, date(2027, 3, 31)), "quarterly"
        )
        for period in quarters:
            due = calendar.return_due_date(period.end, 30 + contract.pk % 45)
            status = "reviewed" if due < DAY - timedelta(days=120) else "due"
            if status == "due" and contract.pk % 3 == 0:
                status = "submitted"
            returns.append(
                MonitoringReturn(contract=contract, period_start=period.start,
                                 period_end=period.end, due_date=due, status=status)
            )  # fmt: skip
    MonitoringReturn.objects.bulk_create(returns, batch_size=5000)


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
            cursor.execute("VACUUM ANALYZE performance_monitoringreturn")
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
        returns = MonitoringReturn.objects.filter(contract__reference__startswith=PREFIX).count()
        quarter_end = date(2027, 7, 1)
        start = time.perf_counter()
        created = schedule.returns_create_due(start=quarter_end, end=quarter_end, areas={})
        create_ms = (time.perf_counter() - start) * 1000
        print(
            f"{returns} monitoring returns; on {quarter_end:%-d %B %Y} the sweep creates "
            f"{len(created)} quarter's returns in {create_ms:.0f} ms"
        )
        median = statistics.median(samples)
        print(
            f"sweep of 100,000 contracts: median {median:.0f} ms over {len(samples)} runs, "
            f"writing {large_written} reminders; repeated the same day {again_ms:.0f} ms"
        )
        print(f"reminders: {median:.0f} ms (target <= {TARGET_MS} ms)")
    finally:
        Reminder.objects.filter(contract__reference__startswith=PREFIX).delete()
        ReminderSweep.objects.all().delete()
        MonitoringReturn.objects.filter(contract__reference__startswith=PREFIX).delete()
        Kpi.objects.filter(contract__reference__startswith=PREFIX).delete()
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        ServiceAreaSettings.objects.filter(team_mailbox__endswith="@example.org").delete()
        remove_users(User.objects.filter(username__startswith="bench."))


main()
