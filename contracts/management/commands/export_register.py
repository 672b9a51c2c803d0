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
            content = export.to_csv(contracts)
            if output:
                output.write_text(content, encoding="utf-8")
            else:
                self.stdout.write(content, ending="")
            return
        content = export.to_xlsx(contracts)
        if output:
            output.write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
