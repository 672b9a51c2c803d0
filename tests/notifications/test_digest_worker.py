"""The morning's task by name, as beat sends it, on a real Celery worker:
one summary per person, and none again when the task runs twice."""

import pytest
from django.db import transaction

from core.models import OutboxMessage
from core.roles import Role
from notifications import services
from notifications.kinds import Delivery, Kind
from notifications.models import Notification, NotificationStatus
from tests.conftest import wait_for
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)


def runs(worker) -> int:
    return sum(
        "notifications.tasks.digests_send[" in line and "succeeded" in line
        for line in worker.log().splitlines()
    )


def test_beat_sends_the_digest_task_and_a_worker_sends_each_summary_once(
    celery_on_redis, db_worker, user_with_role
):
    manager = user_with_role(Role.APPROVING_MANAGER, email="digest@council.example")
    services.preferences_save(user=manager, choices={Kind.CHANGE_RAISED: Delivery.DIGEST})
    with transaction.atomic():
        for thing in (ProviderFactory(), ProviderFactory()):
            services.notify(
                kind=Kind.CHANGE_RAISED,
                users=[manager],
                subject_object=thing,
                event="raised",
                subject=f"Change to decide {thing.pk}",
                body="A change waits.",
                path="/",
            )
    db_worker.start()

    def all_done():
        return (
            OutboxMessage.objects.exists()
            and not OutboxMessage.objects.filter(status="pending").exists()
        )

    celery_on_redis.send_task("notifications.tasks.digests_send")
    wait_for(
        lambda: db_worker.emails(),
        timeout=90,
        message=f"the summary (worker log: {db_worker.log()[-2000:]})",
    )
    wait_for(all_done, timeout=30, message="the digest's message done")
    celery_on_redis.send_task("notifications.tasks.digests_send")
    wait_for(lambda: runs(db_worker) == 2, timeout=60, message="the second run")
    wait_for(all_done, timeout=30, message="every message done")
    [email] = db_worker.emails()
    assert "To: digest@council.example" in email
    assert "Subject: Your daily summary: 2 things to look at" in email
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
