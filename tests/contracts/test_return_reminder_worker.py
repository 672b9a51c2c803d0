"""Monitoring return reminders through a real Celery worker on a real Redis
and PostgreSQL: the daily task creates the return when its quarter ends,
the worker emails each reminder once however often the sweep runs, and a
return recorded before the overdue reminder goes stops it."""

import email
import time
from datetime import date

import pytest

from contracts.constants import ReminderKind, ReminderStatus
from contracts.models import Reminder, ServiceAreaSettings
from contracts.tasks import reminders_sweep
from core.roles import Role
from performance.models import MonitoringReturn
from tests.conftest import wait_for
from tests.factories import ContractFactory
from tests.performance.monitoring import SUBMITTED, kpi_set, return_mark

pytestmark = pytest.mark.django_db(transaction=True)

# The worker judges "already passed" against the real date too (a sweep run
# for a later date only moves it forward), so the calendar is in the future:
# the first quarter ends 30 June 2027, its return is due Friday 30 July and
# overdue on Monday 2 August.


def subjects(worker) -> list[str]:
    return sorted(email.message_from_string(raw)["Subject"] for raw in worker.emails())


def test_the_worker_sends_each_return_reminder_once_and_not_after_the_return_is_in(
    user_with_role, celery_on_redis, db_worker
):
    owner = user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")
    ServiceAreaSettings.objects.create(
        service_area="supported_living", team_mailbox="sl-team@example.gov.uk"
    )
    kpi_set(ContractFactory(reference="SL-001", owner=owner, start_date=date(2027, 5, 15)))
    kpi_set(ContractFactory(reference="SL-002", owner=owner, start_date=date(2027, 4, 1)))
    db_worker.start()

    reminders_sweep.delay("2027-07-01").get(timeout=60)
    assert MonitoringReturn.objects.count() == 2
    for _ in range(3):
        reminders_sweep.delay("2027-07-30").get(timeout=60)
    wait_for(lambda: len(db_worker.emails()) >= 2, timeout=60, message="two emails")
    # SL-002's return comes in before it is overdue.
    return_mark(MonitoringReturn.objects.get(contract__reference="SL-002"), SUBMITTED)
    reminders_sweep.delay("2027-08-02").get(timeout=60)
    wait_for(lambda: len(db_worker.emails()) >= 3, timeout=60, message="the overdue email")
    reminders_sweep.delay("2027-08-02").get(timeout=60)
    time.sleep(3)  # give any send queued twice time to arrive

    assert subjects(db_worker) == [
        "Monitoring return due by 30 July 2027: SL-001",
        "Monitoring return due by 30 July 2027: SL-002",
        "Monitoring return overdue: SL-001",
    ]
    # SL-002's return was in by then: the sweep wrote no overdue reminder
    # (one written before it came in is re-checked when sent, see
    # test_return_reminders.py).
    assert set(Reminder.objects.values_list("contract__reference", "kind", "status")) == {
        ("SL-001", ReminderKind.RETURN_DUE, ReminderStatus.SENT),
        ("SL-002", ReminderKind.RETURN_DUE, ReminderStatus.SENT),
        ("SL-001", ReminderKind.RETURN_OVERDUE, ReminderStatus.SENT),
    }
