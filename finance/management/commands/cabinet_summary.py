from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance import reports, selectors
from finance.models import Recommissioning


class Command(BaseCommand):
    help = "Write a recommissioning's cabinet summary as PDF, CSV or Excel (by the file's ending)."

    def add_arguments(self, parser):
        parser.add_argument("--recommissioning", required=True, help="its slug, e.g. ilss-2019")
        parser.add_argument("--output", required=True, help="out.pdf, out.csv or out.xlsx")

    def handle(self, *args, recommissioning, output, **options):
        found = Recommissioning.objects.filter(slug=recommissioning).first()
        if found is None:
            slugs = ", ".join(Recommissioning.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No recommissioning {recommissioning!r} (there are: {slugs})")
        path = Path(output)
        data = selectors.recommissioning_summary(found)
        if path.suffix == ".pdf":
            content = reports.cabinet_summary_pdf(data)
        elif path.suffix == ".csv":
            content = reports.table_csv(reports.cabinet_summary_table(data))
        elif path.suffix == ".xlsx":
            content = reports.table_xlsx(reports.cabinet_summary_table(data), found.title)
        else:
            raise CommandError("--output must end .pdf, .csv or .xlsx")
        path.write_bytes(content)
        self.stdout.write(f"{path}: {found.title}, {len(content):,} bytes")
