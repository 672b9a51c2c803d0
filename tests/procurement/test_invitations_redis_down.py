"""Inviting bids while Redis hangs: the page answers in under 2 seconds and
every provider's invitation goes once when Redis is back."""

import pytest
from django.urls import reverse

from core.models import OutboxMessage
from core.roles import Role
from providers.models import ProviderContact
from tests.conftest import timed, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitations_sent_while_redis_hangs_go_once_when_it_is_back(
    call_off, admitted, own_redis, db_worker, client_as
):
    for provider in admitted:
        ProviderContact.objects.create(
            provider=provider,
            name="Bid manager",
            email=f"bids@{provider.pk}.example.org",
            is_main_contact=True,
        )
    officer = client_as(Role.PROCUREMENT_OFFICER)
    own_redis.pause()
    # Bids are invited before the deadline (15 January 2027): today is.
    page, seconds = timed(
        lambda: officer.post(reverse("procurement:call_off_open", args=[call_off.pk]), {})
    )
    assert page.status_code == 302
    # One wait for the stuck Redis, not one per provider.
    assert seconds < 2.0
    assert OutboxMessage.objects.filter(kind="email", status="pending").count() == 3

    own_redis.resume()
    db_worker.start(CELERY_BROKER_URL=own_redis.url)
    wait_for(lambda: len(db_worker.emails()) >= 3, timeout=90, message="three invitations")
    wait_for(
        lambda: not OutboxMessage.objects.filter(status="pending").exists(),
        timeout=30,
        message="every message done",
    )
    recipients = sorted(
        line for raw in db_worker.emails() for line in raw.splitlines() if line.startswith("To: ")
    )
    assert recipients == sorted(f"To: bids@{p.pk}.example.org" for p in admitted)
