"""Emails go through a real Celery worker on a real Redis."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.conftest import wait_for


@pytest.mark.django_db(transaction=True)
def test_password_reset_email_is_sent_by_the_celery_worker(
    client, user_with_role, celery_on_redis, db_worker
):
    officer = user_with_role(Role.COMMISSIONING_OFFICER, email="lisa.lopez@example.gov.uk")
    db_worker.start()
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302

    wait_for(lambda: db_worker.emails(), timeout=120, message="the worker's email")
    [email] = db_worker.emails()
    assert "To: lisa.lopez@example.gov.uk" in email
    assert "Use this link to set a new password" in email


def test_nothing_is_queued_when_the_transaction_rolls_back(
    db, celery_on_redis, django_capture_on_commit_callbacks
):
    import redis
    from django.db import transaction

    from core.notify import email_queue

    connection = redis.Redis.from_url(celery_on_redis.conf.broker_url)
    before = connection.llen("celery")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_queue(subject="Never", body="sent", to=["x@example.org"])
                raise RuntimeError("the page failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert connection.llen("celery") == before
