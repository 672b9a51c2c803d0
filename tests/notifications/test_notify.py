"""notify: straight away or in the digest as each person chose, mandatory
kinds always straight away, and every email sent once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from core.roles import Role
from notifications import services
from notifications.kinds import Delivery, Kind
from notifications.models import KindPolicy, Notification, NotificationStatus, Preference
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_with_role):
    return user_with_role(Role.APPROVING_MANAGER, email="Manager@Council.example")


@pytest.fixture
def thing():
    # Any saved object will do as what the notification is about.
    return ProviderFactory()


def send(kind, users, thing, event="raised", **extra):
    return services.notify(
        kind=kind,
        users=users,
        subject_object=thing,
        event=event,
        subject=f"About {thing.pk}",
        body="Something is waiting for you.",
        path="/contracts/1/",
        **extra,
    )


def deliver_all():
    for message in OutboxMessage.objects.filter(status="pending"):
        outbox.deliver(message.pk)


def test_by_default_a_notification_goes_straight_away(manager, thing, settings):
    settings.SITE_URL = "https://care.example.gov.uk"
    [notification] = send(Kind.CHANGE_RAISED, [manager], thing)
    assert notification.delivery == Delivery.IMMEDIATE
    assert notification.email == "manager@council.example"
    deliver_all()
    [email] = mail.outbox
    assert email.to == ["manager@council.example"] and email.subject == f"About {thing.pk}"
    assert "Open it: https://care.example.gov.uk/contracts/1/" in email.body
    assert "https://care.example.gov.uk/notifications/" in email.body
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT and notification.sent_at


def test_a_person_who_chose_the_digest_is_not_emailed_straight_away(manager, thing):
    services.preferences_save(user=manager, choices={Kind.CHANGE_RAISED: Delivery.DIGEST})
    [notification] = send(Kind.CHANGE_RAISED, [manager], thing)
    assert notification.delivery == Delivery.DIGEST
    assert not OutboxMessage.objects.exists()
    assert notification.status == NotificationStatus.PENDING


def test_a_mandatory_kind_goes_straight_away_whatever_was_chosen(manager, thing):
    Preference.objects.create(user=manager, kind=Kind.CHANGE_RAISED, delivery=Delivery.DIGEST)
    KindPolicy.objects.filter(kind=Kind.CHANGE_RAISED).update(mandatory=True)
    [notification] = send(Kind.CHANGE_RAISED, [manager], thing)
    assert notification.delivery == Delivery.IMMEDIATE
    assert OutboxMessage.objects.filter(kind="notification").count() == 1


def test_extension_requests_and_escalations_are_mandatory_to_begin_with():
    assert services.mandatory_kinds() == {Kind.EXTENSION_RAISED, Kind.ESCALATED}
    assert set(KindPolicy.objects.values_list("kind", flat=True)) == set(Kind)


def test_a_mandatory_kinds_choice_is_not_stored(manager):
    services.preferences_save(
        user=manager,
        choices={Kind.EXTENSION_RAISED: Delivery.DIGEST, Kind.DECISION_MADE: Delivery.DIGEST},
    )
    assert list(Preference.objects.values_list("kind", flat=True)) == [Kind.DECISION_MADE]


def test_told_once_however_often_it_is_asked(manager, thing):
    assert len(send(Kind.CHANGE_RAISED, [manager], thing)) == 1
    assert send(Kind.CHANGE_RAISED, [manager, manager], thing) == []
    deliver_all()
    # The outbox message delivered again (a retried task) sends nothing more.
    outbox.deliver(OutboxMessage.objects.get().pk)
    services.notification_deliver(notification_id=Notification.objects.get().pk)
    assert len(mail.outbox) == 1
    # Another event on the same object is another notification.
    assert len(send(Kind.DECISION_MADE, [manager], thing, event="approved")) == 1


def test_closed_accounts_and_people_without_an_address_are_not_told(user_with_role, thing):
    closed = user_with_role(Role.APPROVING_MANAGER, is_active=False)
    no_email = user_with_role(Role.APPROVING_MANAGER, email="")
    assert send(Kind.CHANGE_RAISED, [closed, no_email, None], thing) == []


def test_a_contact_without_an_account_is_emailed_straight_away(manager, thing):
    Preference.objects.create(user=manager, kind=Kind.ESCALATED, delivery=Delivery.DIGEST)
    KindPolicy.objects.update(mandatory=False)
    written = send(Kind.ESCALATED, [manager], thing, emails=["Clerk@Council.example"])
    assert {(n.email, n.delivery) for n in written} == {
        ("manager@council.example", Delivery.DIGEST),
        ("clerk@council.example", Delivery.IMMEDIATE),
    }
    deliver_all()
    [email] = mail.outbox
    assert "recorded contact for this authority" in email.body


def test_the_digest_sends_each_waiting_notification_once_and_marks_them_sent(
    manager, user_with_role, time_machine
):
    time_machine.move_to(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    other = user_with_role(Role.APPROVING_MANAGER)
    for person in (manager, other):
        services.preferences_save(user=person, choices={Kind.CHANGE_RAISED: Delivery.DIGEST})
    things = [ProviderFactory() for _ in range(3)]
    for thing in things:
        send(Kind.CHANGE_RAISED, [manager], thing)
    send(Kind.CHANGE_RAISED, [other], things[0])
    # Straight away for this kind: not in the digest.
    send(Kind.DECISION_MADE, [manager], things[0], event="approved")
    deliver_all()
    mail.outbox.clear()

    time_machine.move_to(datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    assert services.digests_queue() == 2
    # The morning's task run twice: a second digest per person finds nothing.
    assert services.digests_queue() == 2
    deliver_all()
    assert sorted(email.to[0].lower() for email in mail.outbox) == sorted(
        ["manager@council.example", other.email.lower()]
    )
    digest = next(e for e in mail.outbox if e.to == [manager.email])
    assert digest.subject == "Your daily summary: 3 things to look at"
    for thing in things:
        assert digest.body.count(f"About {thing.pk}") == 1
    assert f"About {things[0].pk}" in digest.body
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST)
    assert set(waiting.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert services.digests_queue() == 0


def test_a_notification_written_after_the_digest_was_queued_waits_for_the_next(manager):
    services.preferences_save(user=manager, choices={Kind.CHANGE_RAISED: Delivery.DIGEST})
    send(Kind.CHANGE_RAISED, [manager], ProviderFactory())
    services.digests_queue(now=timezone.now() - timedelta(minutes=1))
    deliver_all()
    assert mail.outbox == []
    assert Notification.objects.get().status == NotificationStatus.PENDING


def test_a_digest_for_a_closed_account_is_not_sent(manager):
    services.preferences_save(user=manager, choices={Kind.CHANGE_RAISED: Delivery.DIGEST})
    send(Kind.CHANGE_RAISED, [manager], ProviderFactory())
    services.digests_queue()
    manager.is_active = False
    manager.save()
    deliver_all()
    assert mail.outbox == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED
