"""Your work (the queue) for a person with 500 items waiting, among 20,000
contracts on PostgreSQL.

Headline: the queue page's server time divided by the register page's,
for the same approving manager (target <= 1.5), with the queue page's query
count (and the navigation count's) the same with 50 items among 1,000
contracts as with 500 among 20,000.
"""

import os
import sys

# Both pages count the queue afresh, as the register page does on the page
# after any write of the person's own or every WORK_QUEUE_COUNT_SECONDS: the
# ratio is the queue page's work against a page that counts the same queue.
# With the count kept, the register page is cheaper and the ratio higher
# (the closing note of issue 13 gives both).
os.environ.setdefault("WORK_QUEUE_COUNT_SECONDS", "0")

# This file is named queue.py, as the standard library's queue module is:
# run as a script, its folder comes first on the path, and Django's own
# `import queue` would find this file. Load the standard one first.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
import queue  # noqa: F401

sys.path.insert(0, _HERE)

from _harness import remove_users, setup, timed_pair

setup()

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from contracts import terms
from contracts.constants import ReminderKind, ServiceArea
from contracts.models import (
    Contract,
    ExtensionRequest,
    Reminder,
    ReminderRecipient,
    ServiceAreaSettings,
)
from core.models import User
from core.roles import Role
from core.services import user_create
from finance.models import BudgetLine
from performance.models import MonitoringReturn
from providers.models import Provider
from work.selectors import queue_for

TARGET = 1.5
PREFIX = "BENCH-"
AREA = "supported_living"


AREAS = list(ServiceArea.values)


def make_contracts(start, stop, providers):
    """Bulk rows with the derived columns computed as the service would (as
    benchmarks/register.py), started so that their decisions are still to come."""
    term = terms.Term.parse("3+1+1")
    first = date.today() - timedelta(days=3 * 365 - 200)
    batch = []
    for i in range(start, stop):
        begin = first + timedelta(days=i % 700)
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


def _user(username, role, **extra):
    return user_create(
        username=username,
        email=f"{username}@example.org",
        password="benchmark-password-123",
        role=role,
        **extra,
    )


def add_items(manager, requester, n):
    """`n` items for the manager, in thirds: extension requests in the area
    they manage, extension decisions they were reminded of, and monitoring
    returns waiting for their review on contracts they own."""
    today = date.today()
    free = list(
        Contract.objects.filter(
            reference__startswith=PREFIX,
            service_area=AREA,
            decision_deadline__gte=today,
            extensions=None,
            reminders=None,
            monitoring_returns=None,
        ).order_by("pk")[:n]
    )
    assert len(free) == n, "not enough contracts in the area"
    thirds = [free[i::3] for i in range(3)]
    ExtensionRequest.objects.bulk_create(
        ExtensionRequest(
            contract=c,
            first_option=1,
            options_requested=1,
            justification="Good service",
            value=c.annual_value,
            new_end_date=c.initial_end_date + timedelta(days=365),
            requested_by=requester,
        )
        for c in thirds[0]
    )
    reminders = Reminder.objects.bulk_create(
        Reminder(
            contract=c,
            kind=ReminderKind.DECISION,
            due_date=today,
            event_date=c.decision_deadline,
            lead="4 weeks",
            status="sent",
        )
        for c in thirds[1]
    )
    ReminderRecipient.objects.bulk_create(
        ReminderRecipient(reminder=r, user=manager, email=manager.email, reason="Approving manager")
        for r in reminders
    )
    Contract.objects.filter(pk__in=[c.pk for c in thirds[2]]).update(owner=manager)
    MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            contract=c,
            period_start=today - timedelta(days=120),
            period_end=today - timedelta(days=30),
            due_date=today - timedelta(days=1),
            status="submitted",
        )
        for c in thirds[2]
    )


def main():
    manager = _user(
        "benchmark.manager", Role.APPROVING_MANAGER, delegated_authority_limit=Decimal("500000")
    )
    requester = _user("benchmark.officer", Role.COMMISSIONING_OFFICER)
    area, made_area = ServiceAreaSettings.objects.get_or_create(service_area=AREA)
    area.managers.add(manager)
    year = date.today().year if date.today().month >= 4 else date.today().year - 1
    budget, made_budget = BudgetLine.objects.get_or_create(
        financial_year=year, service_area=AREA, funder="council", description=PREFIX,
        defaults={"amount": Decimal("1000000.00")},
    )  # fmt: skip
    client = Client()
    client.force_login(manager)
    providers = Provider.objects.bulk_create(
        Provider(legal_name=f"{PREFIX}provider {i}") for i in range(200)
    )

    def queries(url):
        client.get(url)  # commitments worked out once, as on any first visit
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
            assert page.status_code == 200
        return len(captured)

    try:
        make_contracts(0, 1_000, providers)
        add_items(manager, requester, 51)
        small = queries("/")
        small_nav = queries("/password/change/")
        small_total = queue_for(manager).total
        make_contracts(1_000, 20_000, providers)
        add_items(manager, requester, 450)
        with connection.cursor() as cursor:
            for table in ("contracts_contract", "contracts_extensionrequest",
                          "contracts_reminder", "performance_monitoringreturn"):  # fmt: skip
                cursor.execute(f"VACUUM ANALYZE {table}")  # nosec B608: fixed names
        large = queries("/")
        large_nav = queries("/password/change/")
        large_total = queue_for(manager).total
        print(
            f"queue page queries: {small} with {small_total} items among 1,000 contracts, "
            f"{large} with {large_total} among 20,000; navigation count page: "
            f"{small_nav} and {large_nav}"
        )
        assert large_total >= 500, large_total
        assert small == large and small_nav == large_nav, "query count grows with the queue"

        queue_ms, register_ms = timed_pair(
            lambda: client.get("/"), lambda: client.get("/contracts/"), repeat=30
        )
        print(f"queue page {queue_ms:.1f} ms, register page {register_ms:.1f} ms")
        print(f"queue: {queue_ms / register_ms:.2f} (target <= {TARGET})")
    finally:
        ExtensionRequest.objects.filter(contract__reference__startswith=PREFIX).delete()
        MonitoringReturn.objects.filter(contract__reference__startswith=PREFIX).delete()
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        if made_budget:
            budget.delete()
        if made_area:
            area.delete()
        remove_users(User.objects.filter(username__in=["benchmark.manager", "benchmark.officer"]))


main()
