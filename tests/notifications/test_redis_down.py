"""A notification never blocks the action that caused it: with Redis down
the extension request is saved and its notification waits, then a real
worker sends it once when Redis is back."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from contracts.models import ExtensionRequest, ServiceAreaSettings
from core.models import OutboxMessage
from core.roles import Role
from notifications.models import Notification, NotificationStatus
from tests.conftest import timed, wait_for
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_extension_raised_while_redis_is_down_is_saved_and_its_email_waits(
    own_redis, db_worker, user_with_role
):
    manager = user_with_role(Role.APPROVING_MANAGER, email="decider@council.example")
    ServiceAreaSettings.objects.create(service_area="supported_living").managers.set([manager])
    contract = ContractFactory(start_date=date(2025, 4, 1), term="3+1+1")
    officer = Client()
    officer.force_login(user_with_role(Role.COMMISSIONING_OFFICER))

    own_redis.stop()
    page, seconds = timed(
        lambda: officer.post(
            reverse("contracts:extension_request", args=[contract.pk]),
            {"options_requested": "1", "justification": "Good KPIs and budget available"},
        )
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    assert seconds < 2.0
    request = ExtensionRequest.objects.get(contract=contract)
    [notification] = Notification.objects.all()
    assert (notification.email, notification.object_id) == ("decider@council.example", request.pk)
    assert notification.status == NotificationStatus.PENDING
    [message] = OutboxMessage.objects.filter(kind="notification")
    assert message.status == "pending"

    own_redis.start()
    db_worker.start(CELERY_BROKER_URL=own_redis.url)
    wait_for(
        lambda: db_worker.emails(),
        timeout=90,
        message=f"the notification (worker log: {db_worker.log()[-2000:]})",
    )
    wait_for(
        lambda: not OutboxMessage.objects.filter(status="pending").exists(),
        timeout=30,
        message="every message done",
    )
    [email] = db_worker.emails()
    assert "To: decider@council.example" in email
    assert f"/contracts/{contract.pk}/extensions/{request.pk}/decide/" in email
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
