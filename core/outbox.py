"""The one way a page queues background work (decision 0014).

A page writes an `OutboxMessage` in its own transaction; once that commits,
the message's id goes to the broker with a short timeout and no retries, so
a page never waits more than about a second for Redis. If Redis is down the
row simply waits: every minute beat's sweep (and every worker as it starts)
hands on the rows that are due. The worker locks the row, does the work and
marks it done in one transaction, so a message delivered twice, or handed
over again by a sweep, is done once.
"""

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core import retry
from core.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Every kind of work a page may queue, and the function that does it. The
# function runs in the worker, inside the transaction that holds the row,
# with the message's payload as keyword arguments. It may return a callable
# to run after that transaction commits: long work (a cabinet report) whose
# own row records its progress, which others must see while it runs.
KINDS = {
    "email": "core.notify.email_deliver",
    "password_reset": "core.services.password_reset_deliver",
    "cabinet_report": "finance.services.report_start",
    "notification": "notifications.services.notification_deliver",
    "notification_digest": "notifications.services.digest_deliver",
}

TASK = "core.tasks.outbox_deliver"
# Seconds to connect to Redis, and to wait for each reply, when a page hands
# a message over. Redis is on the same network: if it has not answered in
# this long it is down or stuck, and the sweep will hand the message on.
PUBLISH_TIMEOUT = 0.5
# After a failed hand-over, pages served by this process do not try again
# for this long: one page waits for a dead Redis, not every page after it.
BROKER_DOWN_PAUSE = 10.0
_broker_down_until: dict[str, float] = {}
SWEEP_BATCH = 500


def enqueue(kind: str, **payload) -> OutboxMessage:
    """Queue work to be done once the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of background work: {kind}")
    message = OutboxMessage.objects.create(
        kind=kind,
        payload=payload,
        # Assume the hand-over at commit works; if it does not, it brings
        # this forward to now for the next sweep.
        publish_after=timezone.now() + retry.REDELIVER_AFTER,
    )
    # robust: the page's own work is committed by now, and must not be
    # reported as failed because the background service is not there.
    transaction.on_commit(lambda: publish([message.pk]), robust=True)
    return message


def publish(ids: Iterable[int]) -> list[int]:
    """Hand messages to the broker; returns the ids it took. Those it did
    not take are left for the next sweep."""
    from config.celery_app import app

    ids = list(ids)
    if not ids:
        return []
    if app.conf.task_always_eager:
        # A laptop with no broker does the work here and now.
        for message_id in ids:
            deliver(message_id)
        return ids
    if time.monotonic() < _broker_down_until.get(app.conf.broker_url, 0):
        # It failed a moment ago: this page does not wait for it again.
        _due_now(ids)
        return []
    sent: list[int] = []
    started = time.monotonic()
    for fresh in (False, True):
        try:
            connection = _connection(app, fresh=fresh)
            for message_id in ids[len(sent) :]:
                app.send_task(
                    TASK, args=(message_id,), connection=connection,
                    retry=False, ignore_result=True,
                )  # fmt: skip
                sent.append(message_id)
            return sent
        except Exception as exc:  # kombu raises several kinds when Redis is unreachable
            _forget_connection()
            # A kept connection Redis dropped (it restarted) fails at once:
            # try a new one. One that timed out has used the page's wait.
            if not fresh and time.monotonic() - started < PUBLISH_TIMEOUT:
                continue
            log.warning("Could not queue background work %s (%s); the sweep will", ids, exc)
            _broker_down_until[app.conf.broker_url] = time.monotonic() + BROKER_DOWN_PAUSE
            _due_now(ids[len(sent) :])
            return sent
    return sent


# One connection per thread, kept: connecting and declaring the queue cost
# tens of milliseconds, publishing on a kept connection well under one.
_kept = threading.local()


def _forget_in_child() -> None:
    # A process forked from one that kept a connection (a Celery prefork
    # pool replacing a child) must not talk on its parent's socket. redis-py
    # only closes its own copy when the process is not the one that opened it.
    _kept.connection = None


os.register_at_fork(after_in_child=_forget_in_child)


def _connection(app, *, fresh: bool):
    """A connection with timeouts short enough for a page (the app's pooled
    connections use the settings made for workers)."""
    url = app.conf.broker_url
    kept = getattr(_kept, "connection", None)
    if kept is not None and not fresh and _kept.url == url:
        return kept
    _forget_connection()
    options = {
        **app.conf.broker_transport_options,
        "socket_connect_timeout": PUBLISH_TIMEOUT,
        "socket_timeout": PUBLISH_TIMEOUT,
        # kombu otherwise keeps trying to connect for connect_timeout.
        "max_retries": 0,
    }
    _kept.connection = app.connection_for_write(
        connect_timeout=PUBLISH_TIMEOUT, transport_options=options
    )
    _kept.url = url
    return _kept.connection


def _forget_connection() -> None:
    kept = getattr(_kept, "connection", None)
    _kept.connection = None
    if kept is not None:
        try:
            kept.release()
        except Exception:  # already broken; nothing more to free
            log.debug("Closing a broken broker connection failed", exc_info=True)


def _due_now(ids: list[int]) -> None:
    if not ids:
        return
    with transaction.atomic():
        # skip_locked: a row a worker holds is being done and needs nothing.
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=OutboxStatus.PENDING)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=due).update(publish_after=timezone.now())


def _lock_pending(message_id: int) -> OutboxMessage | None:
    """The message if it is still pending and no other worker holds it."""
    return (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(pk=message_id, status=OutboxStatus.PENDING)
        .first()
    )


def deliver(message_id: int) -> bool:
    """Do one message's work if it is still pending; True if this call did.
    A duplicate skips a row another worker holds, and finds it done later.
    A worker that dies mid-way never commits: the row is pending again."""
    then: Callable[[], object] | None = None
    try:
        with transaction.atomic():
            message = _lock_pending(message_id)
            if message is None:
                return False
            then = import_string(KINDS[message.kind])(**message.payload)
            message.status, message.done_at = OutboxStatus.DONE, timezone.now()
            message.attempts += 1
            message.save(update_fields=["status", "done_at", "attempts"])
    except Exception as exc:
        log.exception("Background work %s failed; it will be tried again", message_id)
        _attempt_failed(message_id, exc)
        return False
    if then is not None:
        then()
    return True


def _attempt_failed(message_id: int, error: Exception) -> None:
    with transaction.atomic():
        message = _lock_pending(message_id)
        if message is None:
            return
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:1000]
        if retry.gives_up(message.attempts):
            message.status = OutboxStatus.FAILED
        else:
            message.publish_after = timezone.now() + retry.retry_delay(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "publish_after"])


def republish_due(*, limit: int = SWEEP_BATCH) -> int:
    """Hand on every pending message that is due: never handed over, lost,
    or waiting to be tried again. Returns how many the broker took."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, publish_after__lte=now)
            .order_by("publish_after", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        # Pushed back before the hand-over, which happens after commit (a
        # worker could not lock a row this transaction still holds).
        OutboxMessage.objects.filter(pk__in=ids).update(publish_after=now + retry.REDELIVER_AFTER)
    return len(publish(ids))


def is_waiting_for_broker(kind: str, **payload) -> bool:
    """Whether a page's work could not be handed to the broker yet."""
    lookups = {f"payload__{key}": value for key, value in payload.items()}
    return OutboxMessage.objects.filter(
        kind=kind, status=OutboxStatus.PENDING, publish_after__lte=timezone.now(), **lookups
    ).exists()
