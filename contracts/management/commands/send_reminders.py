import smtplib
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.constants import ReminderStatus
from contracts.models import Reminder
from contracts.services import reminders


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now, in this process, and send what is due: what the "
        "daily job does, without Redis or a worker. --date runs it as if on that day. "
        "Prints one line per reminder sent per recipient; a second run prints nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            today = self._parse(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        reminders.reminders_sweep(today=today)
        # Everything still pending, including reminders a lost worker or an
        # outage left behind on earlier days.
        pending = Reminder.objects.filter(status=ReminderStatus.PENDING, due_date__lte=today)
        failed = 0
        for reminder_id in pending.order_by("due_date", "pk").values_list("pk", flat=True):
            try:
                sent = reminders.reminder_send(reminder_id, today=today)
            except (smtplib.SMTPException, OSError) as exc:
                # One bad address or a mail server hiccup must not stop the rest.
                reminders.reminder_send_failed(reminder_id, error=exc)
                self.stderr.write(f"Reminder {reminder_id} not sent: {exc}")
                failed += 1
                continue
            if sent is None:
                continue
            for recipient in sent.recipients.all():
                self.stdout.write(
                    f"{sent.contract.reference}, {sent.get_kind_display()}, "
                    f"{sent.due_date.isoformat()}, {recipient.email}"
                    + (" (late)" if sent.is_late else "")
                )
        if failed:
            raise CommandError(
                f"{failed} reminder(s) could not be sent. They stay pending: run this again "
                "once the mail server is working."
            )

    @staticmethod
    def _parse(text):
        return date.fromisoformat(text)
