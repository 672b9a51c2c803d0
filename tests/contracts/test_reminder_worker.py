"""Reminders through a real Celery worker on a real Redis and PostgreSQL:
exactly the expected emails, none twice, a worker killed mid-send, and an
outage of Redis."""

import email
import socket
import threading
import time
from datetime import date

import pytest
from django.urls import reverse

from contracts.constants import ReminderStatus
from contracts.models import Reminder, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from contracts.tasks import reminder_send, reminders_sweep
from core.roles import Role
from tests.conftest import RedisServer, celery_use, wait_for
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A killed worker's task is handed out again after 2 seconds, not an hour.
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "2",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


@pytest.fixture
def people(user_with_role):
    owner = user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")
    ilss_owner = user_with_role(Role.COMMISSIONING_OFFICER, email="ilss.owner@example.gov.uk")
    manager = user_with_role(Role.APPROVING_MANAGER, email="manager@example.gov.uk")
    area = ServiceAreaSettings.objects.create(
        service_area="supported_living", team_mailbox="sl-team@example.gov.uk"
    )
    area.managers.add(manager)
    return owner, ilss_owner


def headline(raw: str) -> tuple[str, tuple[str, ...]]:
    message = email.message_from_string(raw)
    return message["Subject"], tuple(sorted(message["To"].split(", ")))


def test_the_worker_sends_exactly_the_reminders_due_and_never_twice(
    people, celery_on_redis, db_worker
):
    owner, ilss_owner = people
    # Ends 31 March 2027 with options: 3-month expiry reminder and the last
    # day for the extension decision are both on 31 December 2026.
    ContractFactory(reference="SL-001", owner=owner, start_date=date(2024, 4, 1))
    # Ends 31 December 2027, no options, ILSS has no settings: owner only.
    ContractFactory(
        reference="ILSS-002", owner=ilss_owner, service_area="ilss",
        start_date=date(2025, 1, 1), term="3",
    )  # fmt: skip
    # Nothing due on 31 December 2026.
    ContractFactory(reference="SL-003", owner=owner, start_date=date(2025, 6, 15))
    db_worker.start()

    reminders_sweep.delay("2026-12-31").get(timeout=60)
    wait_for(lambda: len(db_worker.emails()) >= 3, timeout=60, message="three emails")
    team = ("manager@example.gov.uk", "owner@example.gov.uk", "sl-team@example.gov.uk")
    expected = {
        ("SL-001 ends on 31 March 2027", team),
        ("Extension decision due by 31 December 2026: SL-001", team),
        ("ILSS-002 ends on 31 December 2027", ("ilss.owner@example.gov.uk",)),
    }
    assert {headline(raw) for raw in db_worker.emails()} == expected

    for _ in range(2):
        reminders_sweep.delay("2026-12-31").get(timeout=60)
    # Give any send the sweeps might have queued time to run.
    time.sleep(3)
    assert len(db_worker.emails()) == 3
    assert sorted(Reminder.objects.values_list("status", flat=True)) == [ReminderStatus.SENT] * 3


class SilentSMTPServer:
    """Accepts connections and never says a word: a mail server that hangs,
    so the worker is caught in the middle of a send."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connected = threading.Event()
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)
            self.connected.set()

    def close(self):
        for connection in self.connections:
            connection.close()
        self.socket.close()


def test_a_worker_killed_mid_send_is_replaced_and_the_reminder_goes_once(
    people, celery_on_redis, db_worker
):
    owner, _ = people
    contract = ContractFactory(reference="SL-001", owner=owner, start_date=date(2024, 4, 1))
    [reminder] = reminders.reminders_sweep(today=date(2026, 9, 30)).written
    smtp = SilentSMTPServer()
    try:
        db_worker.start(
            TEST_EMAIL_FILE_PATH="", TEST_EMAIL_HOST="127.0.0.1",
            TEST_EMAIL_PORT=str(smtp.port), **FAST_REDELIVERY,
        )  # fmt: skip
        reminder_send.delay(reminder.pk)
        assert smtp.connected.wait(timeout=60), db_worker.log()
        # The worker holds the row and is waiting on the mail server.
        db_worker.kill()
    finally:
        smtp.close()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.PENDING

    # A new worker gets the unacknowledged task back from Redis and sends it.
    db_worker.start(**FAST_REDELIVERY)
    wait_for(lambda: db_worker.emails(), timeout=60, message="the re-delivered reminder")
    time.sleep(4)  # two more redelivery periods: nothing else arrives
    [raw] = db_worker.emails()
    assert headline(raw)[0] == f"Late reminder: {contract.reference} ends on 31 March 2027"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.SENT, 1)


def test_with_redis_down_the_register_still_serves_and_the_next_sweep_catches_up(
    people, tmp_path, client, client_as, celery_on_redis, db_worker
):
    owner, _ = people
    ContractFactory(reference="SL-001", owner=owner, start_date=date(2024, 4, 1))
    redis = RedisServer(tmp_path)
    redis.start()
    try:
        celery_use(celery_on_redis, broker_url=redis.url)
        reminders.reminders_sweep(today=date(2026, 12, 1))  # the sweep on 1 December ran

        redis.stop()
        officer = client_as(Role.COMMISSIONING_OFFICER)
        assert officer.get(reverse("contracts:list")).status_code == 200
        assert "SL-001" in officer.get(reverse("contracts:list")).text
        # A page that queues an email still completes.
        reset = client.post(reverse("password_reset"), {"email": owner.email})
        assert reset.status_code == 302
        # Beat cannot hand the sweep to a worker while Redis is down.
        with pytest.raises(Exception):  # noqa: B017 - kombu's error type varies by stage
            reminders_sweep.delay("2026-12-03")
        assert ReminderSweep.objects.count() == 1

        redis.start()
        db_worker.start(CELERY_BROKER_URL=redis.url)
        reminders_sweep.delay("2026-12-04")
        wait_for(lambda: len(db_worker.emails()) >= 2, timeout=60, message="two emails")
    finally:
        redis.stop()
    # The 4-week decision warning due on Thursday 3 December went on the 4th,
    # and the reset link asked for during the outage went when Redis was back.
    assert sorted(headline(raw)[0] for raw in db_worker.emails()) == [
        "Late reminder: Extension decision due by 31 December 2026: SL-001",
        "Reset your Care commissioning password",
    ]
    reminder = Reminder.objects.get()
    assert (reminder.due_date, reminder.is_late) == (date(2026, 12, 3), True)
