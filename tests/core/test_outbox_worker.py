"""Work asked for while Redis is down, with a real Redis stopped (or hung)
and a real Celery worker on PostgreSQL once it is back: pages answer in
well under 2 seconds, nothing is marked failed, and everything is done
exactly once when Redis returns."""

import time
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core import outbox
from core.models import OutboxMessage
from core.roles import Role
from finance.models import CabinetReport
from tests.conftest import timed, wait_for
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The bound: no page waits more than this for Redis.
LONGEST_WAIT = 2.0


def test_outbox_tasks_never_touch_the_result_backend():
    # With a result, publishing subscribes to the backend first, and the
    # Redis backend retries 20 times a second apart when Redis is down.
    from core.tasks import outbox_deliver, outbox_sweep

    assert outbox_deliver.ignore_result and outbox_sweep.ignore_result


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_work_asked_for_while_redis_is_down_is_done_once_when_it_is_back(
    outage, own_redis, db_worker, client, user_with_role
):
    ContractFactory(service_area="home_care", start_date=date(2026, 1, 1), term="3")
    finance = Client()
    finance.force_login(user_with_role(Role.FINANCE_OFFICER))
    officer = user_with_role(Role.COMMISSIONING_OFFICER, email="lisa.lopez@example.gov.uk")

    if outage == "stopped":
        own_redis.stop()
    else:
        # Accepts connections, answers nothing: the case timeouts are for.
        own_redis.pause()
    report_page, report_seconds = timed(
        lambda: finance.post(
            reverse("finance:report_create"), {"service_area": "home_care", "title": "Home care"}
        )
    )
    reset_page, reset_seconds = timed(
        lambda: client.post(reverse("password_reset"), {"email": officer.email})
    )
    assert report_page.status_code == reset_page.status_code == 302
    assert report_seconds < LONGEST_WAIT and reset_seconds < LONGEST_WAIT

    report = CabinetReport.objects.get()
    assert report.status == "queued"
    waiting = finance.get(report_page.url).text
    assert "Waiting to start" in waiting and "will start by itself" in waiting
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}

    if outage == "stopped":
        own_redis.start()
    else:
        # Redis may now run a hand-over it had half received: the worker
        # then gets that message and the catch-up's copy of it.
        own_redis.resume()
    db_worker.start(CELERY_BROKER_URL=own_redis.url)
    wait_for(lambda: db_worker.emails(), timeout=90, message="the reset email")
    wait_for(
        lambda: CabinetReport.objects.filter(status="done").exists(),
        timeout=90,
        message=f"the report (worker log: {db_worker.log()[-2000:]})",
    )

    # Every message handed over again, as a sweep does for lost ones: each
    # copy finds its work done. (This process saw Redis down a moment ago
    # and would otherwise leave the hand-over to the sweep.)
    outbox._broker_down_until.clear()
    assert outbox.publish(OutboxMessage.objects.values_list("pk", flat=True)) != []
    time.sleep(3)
    [email] = db_worker.emails()
    assert "To: lisa.lopez@example.gov.uk" in email
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("done", 1)}
    report.refresh_from_db()
    assert (report.status, report.progress) == ("done", 100)
    assert "Download the report (PDF, 1 contracts)" in finance.get(report_page.url).text
