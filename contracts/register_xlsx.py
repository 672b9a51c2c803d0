"""Reading a contracts register from an Excel workbook (.xlsx): the first
sheet's rows become the CSV text contracts.register_csv reads, so a
workbook is checked by exactly the rules a CSV is and its problems are
named by the same row numbers Excel shows. Plain Python, no Django."""

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from contracts.register_csv import RegisterImportError

# Generous for any council's register; a workbook that claims more is
# refused rather than expanded into memory.
MAX_ROWS = 100_000
MAX_COLUMNS = 50
UNREADABLE = "The file cannot be read as an Excel workbook: save it again as .xlsx or as CSV"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        # A date typed into Excel is a datetime at midnight.
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Excel keeps numbers as floats: 3 months is 3.0, £491,804.10 is
        # 491804.1. The shortest repr is what Excel shows.
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def xlsx_to_csv(stream) -> str:
    """The workbook's first sheet as CSV text, or RegisterImportError."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise RegisterImportError([UNREADABLE]) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise RegisterImportError(["The workbook has no sheets"])
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise RegisterImportError(
                    [f"The sheet has more than {MAX_ROWS:,} rows: split it into smaller files"]
                )
            cells = [_cell(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise RegisterImportError([f"Row {number}: has more than {MAX_COLUMNS} columns"])
            # Blank rows are kept, so each row keeps the number Excel shows.
            writer.writerow(cells)
        return out.getvalue()
    finally:
        workbook.close()
