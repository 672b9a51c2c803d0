"""The daily digest runs at 07:00 London time, summer and winter."""

from datetime import UTC, datetime, timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from core.schedules import SCHEDULES

pytestmark = pytest.mark.django_db

NAME = "Send the daily notification summaries"


def test_the_digest_is_declared_in_code_for_7am():
    [schedule] = [s for s in SCHEDULES if s.task == "notifications.tasks.digests_send"]
    assert (schedule.hour, schedule.minute, schedule.name) == ("7", "0", NAME)


def test_migrate_creates_the_digest_schedule_in_london_time():
    task = PeriodicTask.objects.get(name=NAME)
    assert task.task == "notifications.tasks.digests_send"
    assert (task.crontab.hour, task.crontab.minute) == ("7", "0")
    assert str(task.crontab.timezone) == "Europe/London"


@pytest.mark.parametrize(
    "season, seven_am_london",
    [
        # British Summer Time: 07:00 London is 06:00 UTC.
        ("summer", datetime(2027, 7, 1, 6, 0, tzinfo=UTC)),
        # Greenwich Mean Time: 07:00 London is 07:00 UTC.
        ("winter", datetime(2026, 12, 1, 7, 0, tzinfo=UTC)),
    ],
)
def test_the_digest_falls_due_at_7am_london_time(season, seven_am_london, time_machine):
    schedule = PeriodicTask.objects.get(name=NAME).crontab.schedule
    yesterday = seven_am_london - timedelta(days=1)
    time_machine.move_to(seven_am_london - timedelta(minutes=1))
    assert not schedule.is_due(yesterday).is_due
    time_machine.move_to(seven_am_london + timedelta(seconds=30))
    assert schedule.is_due(yesterday).is_due


def test_the_task_queues_a_digest_for_each_person_waiting(user_with_role):
    from core.models import OutboxMessage
    from core.roles import Role
    from notifications import services, tasks
    from notifications.kinds import Delivery, Kind
    from tests.factories import ProviderFactory

    manager = user_with_role(Role.APPROVING_MANAGER)
    services.preferences_save(user=manager, choices={Kind.DECISION_MADE: Delivery.DIGEST})
    services.notify(
        kind=Kind.DECISION_MADE,
        users=[manager],
        subject_object=ProviderFactory(),
        event="approved",
        subject="Approved",
        body="It was approved.",
        path="/",
    )
    assert tasks.digests_send() == 1
    [message] = OutboxMessage.objects.filter(kind="notification_digest")
    assert message.payload["user_id"] == manager.pk
