"""Celery tasks: thin wrappers that load what they need and call the work."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from core import outbox

log = logging.getLogger(__name__)


# The outbox row is the record of what was asked and whether it was done,
# so Celery keeps no result: publishing then never touches the result
# backend, and a page never waits for it.
@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def outbox_deliver(message_id: int) -> None:
    """Do the work a page queued (an email, a report); safe to run twice."""
    outbox.deliver(message_id)


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Every minute: hand on the work that could not be queued (Redis was
    down), was lost, or is due to be tried again."""
    return outbox.republish_due()


@worker_ready.connect
def outbox_catch_up(sender=None, **kwargs):
    """A worker that starts after an outage catches up at once rather than
    at the next beat."""
    try:
        outbox.republish_due()
    except Exception:  # a worker must start even if the database is not there yet
        log.exception("Could not hand on waiting background work; the sweep will")
