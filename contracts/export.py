"""The register as a table: the Local Government Transparency Code 2015
contract columns, then the derived term columns. Used by the
export_register command and the register page's downloads.

Rows are read as plain values, a chunk at a time, so a register of any size
is written in about the same memory: CSV as a stream of lines, Excel through
openpyxl's write-only mode into a temporary file."""

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from openpyxl import Workbook

from contracts import terms
from contracts.constants import ProcurementRoute, ServiceArea
from contracts.models import Contract

COMPETITIVE = {
    ProcurementRoute.MINI_COMPETITION,
    ProcurementRoute.OPEN_TENDER,
    ProcurementRoute.PDPS_CALL_OFF,
    ProcurementRoute.DPS_CALL_OFF,
    ProcurementRoute.FRAMEWORK,
}
SERVICE_AREAS = dict(ServiceArea.choices)
SUPPLIER_FIELDS = (
    "legal_name",
    "town",
    "postcode",
    "companies_house_number",
    "charity_number",
    "is_sme",
    "is_vcse",
)
FIELDS = (
    "pk",
    "reference",
    "title",
    "service_area",
    "description",
    "annual_value",
    "start_date",
    "current_end_date",
    "initial_end_date",
    "max_end_date",
    "decision_deadline",
    "whole_life_value",
    "procurement_route",
    "term",
    "uplift_percent",
    "options_taken",
    "options_closed",
    "option_count",
    "terminated_on",
    "provider_id",
    *(f"provider__{name}" for name in SUPPLIER_FIELDS),
)
# Contracts read and written per round of queries.
CHUNK = 2000
EXCEL_CELL_LIMIT = 32_767


def _supplier_details(row) -> str:
    return "; ".join(
        ", ".join(filter(None, [p["legal_name"], p["town"], p["postcode"]]))
        for p in row["suppliers"]
    )


def _registration_numbers(row) -> str:
    return "; ".join(
        p["companies_house_number"] or p["charity_number"]
        for p in row["suppliers"]
        if p["companies_house_number"] or p["charity_number"]
    )


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _options_remaining(row) -> int:
    # An option whose decision deadline has passed can no longer be taken.
    if row["options_closed"] or (
        row["decision_deadline"] and row["decision_deadline"] < row["today"]
    ):
        return 0
    return row["option_count"] - row["options_taken"]


def _sum_to_be_paid(row) -> Decimal:
    """The Transparency Code's "sum to be paid over the length of the
    contract": the whole-life value while options may still be taken, the
    value to the actual end once they cannot."""
    if not row["options_closed"]:
        return row["whole_life_value"]
    term = terms.Term.parse(row["term"])
    annual, uplift = Decimal(row["annual_value"]), Decimal(row["uplift_percent"])
    if row["terminated_on"]:
        months = terms.months_to(row["start_date"], row["terminated_on"])
        return terms.value_for_months(annual, first_month=0, months=months, uplift_percent=uplift)
    return terms.value_to(term, annual, row["options_taken"], uplift)


# (header, function of a contract). The first block follows the Transparency
# Code's list; its "Start, end and review dates" is split into three columns
# so the file can be sorted and filtered.
COLUMNS = [
    ("Reference number", lambda r: r["reference"]),
    ("Title of agreement", lambda r: r["title"]),
    (
        "Local authority department responsible",
        lambda r: f"Adult Social Care: {SERVICE_AREAS.get(r['service_area'], r['service_area'])}",
    ),
    ("Description of the goods and/or services being provided", lambda r: r["description"]),
    ("Supplier name and details", _supplier_details),
    ("Sum to be paid over the length of the contract", _sum_to_be_paid),
    ("Estimated annual spending", lambda r: r["annual_value"]),
    # Care services are VAT exempt; the register holds no VAT figure.
    ("Value Added Tax that cannot be recovered", lambda r: ""),
    ("Start date", lambda r: r["start_date"]),
    ("End date", lambda r: r["current_end_date"]),
    ("Review date", lambda r: r["decision_deadline"]),
    (
        "Result of an invitation to quote or a published invitation to tender",
        lambda r: _yes_no(r["procurement_route"] in COMPETITIVE),
    ),
    ("Supplier is an SME", lambda r: _yes_no(any(p["is_sme"] for p in r["suppliers"]))),
    (
        "Supplier is a VCSE organisation",
        lambda r: _yes_no(any(p["is_vcse"] for p in r["suppliers"])),
    ),
    ("Supplier registration number", _registration_numbers),
    ("initial_end_date", lambda r: r["initial_end_date"]),
    ("current_end_date", lambda r: r["current_end_date"]),
    ("max_end_date", lambda r: r["max_end_date"]),
    ("whole_life_value", lambda r: r["whole_life_value"]),
    ("options_remaining", _options_remaining),
]
HEADERS = [header for header, _ in COLUMNS]


# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): a
# spreadsheet cannot contain them, and a title pasted from another system
# can. Tab, newline and carriage return are allowed and kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value):
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    # A text cell starting with = + - @ would run as a formula in a
    # spreadsheet (CSV injection); a leading apostrophe keeps it text.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _chunks(values: Iterator[dict]) -> Iterator[list[dict]]:
    while chunk := list(islice(values, CHUNK)):
        yield chunk


def _value_rows(contracts: QuerySet) -> Iterator[dict]:
    """Each contract as a dict of plain values with its suppliers: one
    query for the contracts (read as they are streamed) and one a chunk
    for the other suppliers on shared awards."""
    today = timezone.localdate()
    shared = Contract.additional_providers.through.objects
    for chunk in _chunks(contracts.values(*FIELDS).iterator(chunk_size=CHUNK)):
        others: dict[int, list[dict]] = {}
        for link in (
            shared.filter(contract_id__in=[row["pk"] for row in chunk])
            .order_by("contract_id", Lower("provider__legal_name"))
            .values("contract_id", *(f"provider__{name}" for name in SUPPLIER_FIELDS))
        ):
            others.setdefault(link["contract_id"], []).append(
                {name: link[f"provider__{name}"] for name in SUPPLIER_FIELDS}
            )
        for row in chunk:
            main = (
                [{name: row[f"provider__{name}"] for name in SUPPLIER_FIELDS}]
                if row["provider_id"]
                else []
            )
            row["suppliers"] = main + others.get(row["pk"], [])
            row["today"] = today
            yield row


def rows(contracts: QuerySet) -> Iterator[list]:
    for row in _value_rows(contracts):
        yield [_cell(value(row)) for _, value in COLUMNS]


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


class _Line:
    """Where csv.writer writes one row, to hand it straight on."""

    def write(self, text: str) -> str:
        return text


def csv_lines(contracts: QuerySet) -> Iterator[str]:
    """The register as CSV, a line at a time, for a streamed download."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADERS)
    for row in rows(contracts):
        yield writer.writerow([_as_text(v) for v in row])


def to_csv(contracts: QuerySet) -> str:
    return "".join(csv_lines(contracts))


def write_xlsx(contracts: QuerySet, out) -> None:
    """The register as an Excel workbook written to the binary file `out`;
    openpyxl's write-only mode keeps only the current row in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contracts register")
    sheet.append(HEADERS)
    for row in rows(contracts):
        # Dates and amounts as real cells, so the sheet can sort and total
        # them; text beyond what an Excel cell holds would make Excel refuse
        # to open the file.
        sheet.append([v[:EXCEL_CELL_LIMIT] if isinstance(v, str) else v for v in row])
    workbook.save(out)


def xlsx_file(contracts: QuerySet):
    """The workbook in a temporary file, rewound, for a file download."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    write_xlsx(contracts, out)
    out.seek(0)
    return out


def to_xlsx(contracts: QuerySet) -> bytes:
    out = io.BytesIO()
    write_xlsx(contracts, out)
    return out.getvalue()
