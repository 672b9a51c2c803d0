"""Notifications: written with the action that caused them, sent once.

`notify` is the one entry point. The action's service calls it inside its
own transaction; each person's row is keyed by (address, kind, object,
event), so calling it twice writes nothing twice. A row to be sent straight
away goes through the outbox (core.outbox, decision 0014): the action
commits whether or not Redis is there, and a worker sends the email once.
The rest wait for the morning's digest (decision 0028).
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core import outbox
from notifications import emails
from notifications.kinds import MANDATORY_BY_DEFAULT, PERMISSIONS, Delivery, Kind
from notifications.models import KindPolicy, Notification, NotificationStatus, Preference


def policies_sync(*, using: str = "default") -> None:
    """A row for every kind, with the council's first choice; never changes
    a row an administrator may have changed."""
    known = set(KindPolicy.objects.using(using).values_list("kind", flat=True))
    KindPolicy.objects.using(using).bulk_create(
        KindPolicy(kind=kind, mandatory=kind in MANDATORY_BY_DEFAULT)
        for kind in Kind
        if kind not in known
    )


def mandatory_kinds() -> set[Kind]:
    rows = dict(KindPolicy.objects.values_list("kind", "mandatory"))
    return {kind for kind in Kind if rows.get(kind, kind in MANDATORY_BY_DEFAULT)}


def absolute_url(path: str) -> str:
    """Links in emails start with the address people reach the service at."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def _targets(kind: Kind, users, extra_emails) -> list[tuple[object, str, Delivery]]:
    people = {user.pk: user for user in users if user is not None and user.is_active and user.email}
    chosen = {}
    if kind not in mandatory_kinds():
        chosen = dict(
            Preference.objects.filter(user_id__in=people, kind=kind).values_list(
                "user_id", "delivery"
            )
        )
    found: dict[str, tuple] = {}
    for user in sorted(people.values(), key=lambda u: u.pk):
        delivery = Delivery(chosen.get(user.pk, Delivery.IMMEDIATE))
        found.setdefault(user.email.lower(), (user, user.email.lower(), delivery))
    # A contact with no account has no preferences: straight away.
    for address in extra_emails:
        if address:
            found.setdefault(address.lower(), (None, address.lower(), Delivery.IMMEDIATE))
    return list(found.values())


def notify(
    *,
    kind: str,
    subject_object: models.Model,
    event: str,
    subject: str,
    body: str,
    path: str,
    users: Iterable = (),
    emails: Iterable[str] = (),
) -> list[Notification]:
    """Tell `users` (and any bare `emails`) that `event` happened to
    `subject_object`. Returns the notifications this call wrote: none for
    anyone already told of this event (inactive users and users without an
    address are left out). `path` is the page to open, made absolute with
    SITE_URL. Call it inside the action's transaction."""
    kind = Kind(kind)
    content_type = ContentType.objects.get_for_model(subject_object)
    key = {
        "kind": kind,
        "content_type": content_type,
        "object_id": subject_object.pk,
        "event": event,
    }
    targets = _targets(kind, users, emails)
    told = set(
        Notification.objects.filter(email__in=[t[1] for t in targets], **key).values_list(
            "email", flat=True
        )
    )
    written = []
    for user, address, delivery in targets:
        if address in told:
            continue
        try:
            # A savepoint: another transaction may have written the same
            # row since we looked (two POSTs at once); theirs stands.
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user,
                    email=address,
                    delivery=delivery,
                    subject=subject[:255],
                    body=body,
                    url=absolute_url(path),
                    **key,
                )
        except IntegrityError:
            continue
        if delivery == Delivery.IMMEDIATE:
            outbox.enqueue("notification", notification_id=notification.pk)
        written.append(notification)
    return written


def _closed(user) -> bool:
    return user is not None and (not user.is_active or not user.email)


def notification_deliver(*, notification_id: int) -> None:
    """The outbox's work for one notification: send it if it still waits.
    Runs in the outbox's transaction, so the email, the row marked sent and
    the outbox row marked done stand or fall together."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=notification_id, status=NotificationStatus.PENDING)
        .first()
    )
    if notification is None:
        return
    if _closed(notification.user):
        notification.status = NotificationStatus.SKIPPED
    else:
        emails.single(notification).send()
        notification.status, notification.sent_at = NotificationStatus.SENT, timezone.now()
    notification.save(update_fields=["status", "sent_at"])


def digests_queue(*, now: datetime | None = None) -> int:
    """The morning's task: queue one digest for each person with
    notifications waiting for it. Returns how many were queued."""
    now = now or timezone.now()
    users = (
        Notification.objects.filter(
            status=NotificationStatus.PENDING, delivery=Delivery.DIGEST, created_at__lte=now
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        user_ids = list(users)
        for user_id in user_ids:
            outbox.enqueue("notification_digest", user_id=user_id, until=now.isoformat())
    return len(user_ids)


def digest_deliver(*, user_id: int, until: str) -> None:
    """One person's digest: every notification waiting for it up to
    `until`, each once, then marked sent. A second message for the same
    person (the task run twice) finds nothing waiting and sends nothing."""
    from core.models import User

    waiting = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(
            user_id=user_id,
            status=NotificationStatus.PENDING,
            delivery=Delivery.DIGEST,
            created_at__lte=datetime.fromisoformat(until),
        )
        .order_by("created_at", "pk")
    )
    if not waiting:
        return
    user = User.objects.get(pk=user_id)
    status, sent_at = NotificationStatus.SKIPPED, None
    if not _closed(user):
        emails.digest(user, waiting).send()
        status, sent_at = NotificationStatus.SENT, timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
        status=status, sent_at=sent_at
    )


def kinds_offered(user) -> list[Kind]:
    """The kinds this person could be sent: a kind nobody in their role
    receives is not asked about."""
    return [kind for kind in Kind if PERMISSIONS[kind] is None or user.has_perm(PERMISSIONS[kind])]


def preferences_of(user) -> dict[Kind, Delivery]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: Delivery(chosen.get(kind, Delivery.IMMEDIATE)) for kind in Kind}


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Record how `user` wants to hear of each kind. A mandatory kind's
    choice is not stored: it would have no effect, and the page does not
    offer it."""
    mandatory = mandatory_kinds()
    for kind, delivery in choices.items():
        kind, delivery = Kind(kind), Delivery(delivery)
        if kind in mandatory:
            continue
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
