"""The outbox in one process: work is done once, a failed attempt is tried
again later and eventually given up, and a row another worker holds is
left to it. (tests/core/test_outbox_worker.py stops a real Redis.)"""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core import outbox, retry
from core.models import OutboxMessage
from core.notify import email_queue
from core.roles import Role


def _email(**overrides):
    return {"subject": "Hello", "body": "A message", "to": ["a@example.org"], **overrides}


@given(st.integers(min_value=1, max_value=10_000))
def test_a_failed_attempt_waits_longer_each_time_but_never_over_an_hour(attempts):
    delay = retry.retry_delay(attempts)
    assert retry.FIRST_DELAY <= delay <= retry.LONGEST_DELAY
    assert retry.retry_delay(attempts + 1) in (2 * delay, retry.LONGEST_DELAY)


def test_retry_delay_refuses_work_that_has_not_failed():
    with pytest.raises(ValueError):
        retry.retry_delay(0)


def test_work_of_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="Unknown kind"):
        outbox.enqueue("fax", to="01234")


def test_a_message_delivered_twice_is_done_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(**_email())
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("done", 1)
    assert outbox.deliver(message.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_is_tried_again_later_and_given_up_in_the_end(
    db, settings, django_capture_on_commit_callbacks
):
    # A real SMTP connection to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            email_queue(**_email())
        message = OutboxMessage.objects.get()
        assert (message.status, message.attempts) == ("pending", 1)
        assert "Connection refused" in message.last_error
        assert message.publish_after == timezone.now() + timedelta(minutes=1)

        assert outbox.republish_due() == 0  # not due yet
        traveller.shift(61)
        assert outbox.republish_due() == 1
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.publish_after == timezone.now() + timedelta(minutes=2)

        OutboxMessage.objects.update(attempts=retry.MAX_ATTEMPTS - 1)
        traveller.shift(3600)
        outbox.republish_due()
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("failed", retry.MAX_ATTEMPTS)
        traveller.shift(3600)
        assert outbox.republish_due() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_message_another_worker_holds_is_left_to_it(postgresql):
    # Written while the broker was down, so not yet handed over.
    message = OutboxMessage.objects.create(
        kind="email", payload=_email(), publish_after=timezone.now()
    )
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(timeout=30)
        # SKIP LOCKED: no wait, and nothing done twice.
        assert outbox.deliver(message.pk) is False
        assert mail.outbox == []
    finally:
        release.set()
        thread.join()
    # The other worker gave the row back undone (it died): it is done now.
    assert outbox.deliver(message.pk) is True
    assert len(mail.outbox) == 1


def test_the_sweep_runs_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="core.tasks.outbox_sweep")
    assert (job.crontab.hour, job.crontab.minute) == ("*", "*")


def _shape(sql: str) -> str:
    """A query with its values taken out: what was asked, not of whom."""
    sql = re.sub(r'"s\d+_x\d+"', "savepoint", sql)
    return re.sub(r"\b\d+\b", "?", re.sub(r"'[^']*'", "?", sql))


def test_a_reset_request_does_the_same_work_for_a_known_and_an_unknown_address(
    client, user_with_role, django_capture_on_commit_callbacks
):
    officer = user_with_role(Role.COMMISSIONING_OFFICER, email="lisa.lopez@example.gov.uk")

    def ask(email):
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks() as callbacks,
        ):
            response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        return [_shape(q["sql"]) for q in queries], len(callbacks)

    known = ask(officer.email)
    unknown = ask("nobody@example.gov.uk")
    assert known == unknown
    # Nothing looked up or sent during the request: one row written.
    assert mail.outbox == []
    assert list(OutboxMessage.objects.values_list("kind", "payload")) == [
        ("password_reset", {"email": officer.email}),
        ("password_reset", {"email": "nobody@example.gov.uk"}),
    ]
