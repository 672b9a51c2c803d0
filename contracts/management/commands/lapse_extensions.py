from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts.services import extensions_lapse_overdue


class Command(BaseCommand):
    help = (
        "Record that options whose decision deadline has passed were not taken "
        "(what the daily job does). --date runs it as if on that day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            today = self._parse(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        for contract in extensions_lapse_overdue(today=today):
            self.stdout.write(f"{contract.reference}: option lapsed")

    @staticmethod
    def _parse(text):
        return date.fromisoformat(text)
