from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.imports import register_csv_import
from contracts.register_csv import RegisterImportError


class Command(BaseCommand):
    help = (
        "Import a contracts register CSV. Every row is checked first; one bad row "
        "stops the import and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = register_csv_import(text=text, by=None)
        except RegisterImportError as exc:
            raise CommandError(
                "Nothing was imported. Fix these and try again:\n" + "\n".join(exc.problems)
            ) from exc
        self.stdout.write(
            f"{len(result.created)} contracts added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged; {len(result.providers_created)} providers added."
        )
