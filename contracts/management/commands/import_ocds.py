import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.imports import ocds_import
from contracts.ocds import OcdsError
from contracts.ocds_checks import MAX_DEPTH, deepest_nesting


class Command(BaseCommand):
    help = (
        "Import Contracts Finder OCDS (a release package or an array of releases). "
        "Safe to run again: unchanged awards are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            data = json.loads(text)
        except RecursionError as exc:
            line, column = deepest_nesting(text)
            raise CommandError(
                f"Nothing was imported: {file} is nested more than {MAX_DEPTH} levels deep "
                f"at line {line}, column {column}; OCDS releases are far shallower"
            ) from exc
        # ValueError as well as JSONDecodeError: a number of thousands of digits.
        except ValueError as exc:
            raise CommandError(f"Cannot read {file} as JSON: {exc}") from exc
        try:
            result = ocds_import(data=data, by=None)
        except OcdsError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        self.stdout.write(
            f"{len(result.created)} contracts added, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged, {len(result.skipped)} awards skipped; "
            f"{len(result.providers_created)} providers added."
        )
        for reason in result.skipped:
            self.stdout.write(f"  skipped {reason}")
