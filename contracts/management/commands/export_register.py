import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from contracts import export
from contracts.selectors import contract_register


class Command(BaseCommand):
    help = "Export the contracts register: Transparency Code columns plus the derived term."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output)")

    def handle(self, *args, format, output=None, **options):
        contracts = contract_register().order_by("reference")
        if format == "csv":
            if output:
                with output.open("w", encoding="utf-8", newline="") as out:
                    out.writelines(export.csv_lines(contracts))
            else:
                for line in export.csv_lines(contracts):
                    self.stdout.write(line, ending="")
            return
        if output:
            with output.open("wb") as out:
                export.write_xlsx(contracts, out)
        else:
            sys.stdout.buffer.write(export.to_xlsx(contracts))
