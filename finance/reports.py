"""Cabinet summaries: the recommissioning appendix and contract lists, as
PDF (WeasyPrint), CSV and Excel from the same rows."""

import csv
import io
import re
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.export import CONTROL_CHARACTERS
from core.pdf import render_pdf
from finance.selectors import RecommissioningSummary, period_of_award


def appendix_rows(data: RecommissioningSummary) -> list[dict]:
    """The appendix table: each new service beside the services it replaces;
    excluded services last with their reason."""
    rows = []
    for line in data.summary.lines:
        for n, baseline in enumerate(line.baselines or (None,)):
            first = n == 0
            rows.append(
                {
                    "current": baseline.name if baseline else "",
                    "current_funding": baseline.annual if baseline else None,
                    "proposed": line.service.name if first else "",
                    "maximum": line.service.annual if first else None,
                    "whole_life": data.whole_life[line.service.name] if first else None,
                    "saving": line.saving if first else None,
                    "period": data.period if first else "",
                }
            )
    for baseline in data.summary.unmatched:
        # Decommissioned: nothing replaces it, so its whole cost is saved.
        rows.append(
            {
                "current": baseline.name,
                "current_funding": baseline.annual,
                "proposed": "No replacement",
                "maximum": None,
                "whole_life": None,
                "saving": baseline.annual,
                "period": "",
            }
        )
    for baseline in data.summary.excluded:
        rows.append(
            {
                "current": baseline.name,
                "current_funding": baseline.annual,
                "proposed": baseline.excluded_reason,
                "maximum": None,
                "whole_life": None,
                "saving": None,
                "period": "",
            }
        )
    return rows


def _render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(
        template,
        {
            "council_name": settings.COUNCIL_NAME,
            "service_name": settings.SERVICE_NAME,
            "printed_at": timezone.localtime(),
            **context,
        },
    )
    return render_pdf(html)


def cabinet_summary_pdf(data: RecommissioningSummary) -> bytes:
    return _render_pdf(
        "finance/cabinet_summary_pdf.html", {"data": data, "rows": appendix_rows(data)}
    )


COLUMNS = [
    ("current", "Current services"),
    ("current_funding", "Current funding p.a."),
    ("proposed", "Proposed new services"),
    ("maximum", "Proposed maximum value p.a."),
    ("whole_life", "Whole-life value"),
    ("saving", "Expected saving p.a."),
    ("period", "Proposed period of award"),
]


def cabinet_summary_table(data: RecommissioningSummary) -> list[list]:
    table = [[label for _, label in COLUMNS]]
    for row in appendix_rows(data):
        table.append([row[key] for key, _ in COLUMNS])
    summary = data.summary
    table.append(
        [
            "Total",
            summary.current_total,
            "",
            summary.proposed_total,
            summary.whole_life_total,
            summary.saving_total,
            "",
        ]
    )
    return table


def _looks_like_formula(value) -> bool:
    # Spreadsheets run a cell starting = + - @ (even after a tab or return).
    return isinstance(value, str) and value.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@")


def _text(value):
    # Whatever is stored: characters a spreadsheet cannot hold are dropped
    # first, so the formula check sees what the spreadsheet will.
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def _safe(value):
    value = _text(value)
    return "'" + value if _looks_like_formula(value) else value


def table_csv(table: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def table_xlsx(table: list[list], title: str) -> bytes:
    """The table as a workbook, written row by row (openpyxl's write-only
    mode), so a report on every contract takes no more memory than a row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    name = re.sub(r"[:/\\?*\[\]]", " ", _text(title))[:31].strip() or "Summary"
    sheet = book.create_sheet(name)
    bold = Font(bold=True)
    for n, row in enumerate(table):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_text(value))
            if _looks_like_formula(cell.value):
                cell.data_type = "s"  # shown as typed, never run
            if n == 0:
                cell.font = bold
            elif isinstance(value, Decimal):
                cell.number_format = '"£"#,##0.00'
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def contracts_table(rows: list[dict]) -> list[list]:
    table = [
        ["Reference", "Contract", "Provider", "Value p.a.", "Whole-life value", "Period of award"]
    ]
    table += [
        [r["reference"], r["title"], r["provider"], r["annual"], r["whole_life"], r["period"]]
        for r in rows
    ]
    return table


def contracts_rows(contracts) -> list[dict]:
    return [
        {
            "reference": c.reference,
            "title": c.title,
            "provider": c.provider.legal_name if c.provider else "",
            "annual": c.annual_value,
            "whole_life": c.whole_life_value,
            "period": period_of_award(c.start_date, c.term),
        }
        for c in contracts
    ]


def contracts_pdf(rows: list[dict], title: str, progress=None) -> bytes:
    if progress:
        progress(10)
    html = render_to_string(
        "finance/contracts_pdf.html",
        {
            "rows": rows,
            "title": title,
            "council_name": settings.COUNCIL_NAME,
            "printed_at": timezone.localtime(),
            "total_annual": sum((r["annual"] for r in rows), Decimal(0)),
            "total_whole_life": sum((r["whole_life"] for r in rows), Decimal(0)),
        },
    )
    if progress:
        progress(40)
    return render_pdf(html, laid_out=(lambda: progress(90)) if progress else None)
