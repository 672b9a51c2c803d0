import logging
import smtplib
from datetime import date

from celery import shared_task
from django.utils import timezone

from contracts import services
from contracts.services import reminders

log = logging.getLogger(__name__)


@shared_task
def extensions_lapse_overdue() -> list[str]:
    """Daily: record that options whose decision deadline passed were not taken."""
    lapsed = services.extensions_lapse_overdue(today=timezone.localdate())
    return [contract.reference for contract in lapsed]


def reminders_dispatch(ids, day: date) -> None:
    """Queue a send for each reminder. If the broker goes away part way, the
    rest stay pending and the next sweep queues them again."""
    try:
        for reminder_id in ids:
            reminder_send.delay(reminder_id, day.isoformat())
    except Exception:  # kombu raises several kinds when Redis is unreachable
        log.exception("Could not queue reminders; the next sweep will queue them again")


@shared_task
def reminders_sweep(day: str | None = None) -> int:
    """Daily: create the monitoring returns of periods that ended, write the
    reminders due since the last sweep and queue them."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    result = reminders.reminders_sweep(
        today=today, dispatch=lambda ids: reminders_dispatch(ids, today)
    )
    return len(result.written)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=10)
def reminder_send(self, reminder_id: int, day: str | None = None) -> bool:
    """Send one reminder; safe to run twice (the row records it was sent).
    `day` is the sweep's day: a sweep run for a later date (send_reminders
    --date) judges lateness on that date."""
    today = timezone.localdate()
    if day:
        today = max(today, date.fromisoformat(day))
    try:
        return reminders.reminder_send(reminder_id, today=today) is not None
    except (smtplib.SMTPException, OSError) as exc:
        reminders.reminder_send_failed(reminder_id, error=exc)
        # Back off to an hour between attempts; the row stays pending, so
        # even a lost retry is picked up by the next sweep.
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
