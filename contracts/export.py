"""The register as a table: the Local Government Transparency Code 2015
contract columns, then the derived term columns. Used by the
export_register command and the register page's downloads.

Rows are read as plain values, a chunk at a time, so a register of any size
is written in about the same memory (plus the few shared awards' other
suppliers): CSV as a stream of lines, Excel through openpyxl's write-only
mode into a temporary file."""

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from operator import itemgetter

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


# The first block follows the Transparency Code's list; its "Start, end and
# review dates" is split into three columns so the file can be sorted and
# filtered. _cells gives a contract's cells in this order.
HEADERS = [
    "Reference number",
    "Title of agreement",
    "Local authority department responsible",
    "Description of the goods and/or services being provided",
    "Supplier name and details",
    "Sum to be paid over the length of the contract",
    "Estimated annual spending",
    "Value Added Tax that cannot be recovered",
    "Start date",
    "End date",
    "Review date",
    "Result of an invitation to quote or a published invitation to tender",
    "Supplier is an SME",
    "Supplier is a VCSE organisation",
    "Supplier registration number",
    "initial_end_date",
    "current_end_date",
    "max_end_date",
    "whole_life_value",
    "options_remaining",
]
DATE_COLUMNS = (8, 9, 10, 15, 16, 17)
MONEY_COLUMNS = (5, 6, 18)
DEPARTMENTS = {area: f"Adult Social Care: {label}" for area, label in ServiceArea.choices}

# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): a
# spreadsheet cannot contain them, and a title pasted from another system
# can. Tab, newline and carriage return are allowed and kept.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Text as a spreadsheet can hold it and will never run it."""
    value = CONTROL_CHARACTERS.sub("", value)
    # A text cell starting with = + - @ would run as a formula in a
    # spreadsheet (CSV injection); a leading apostrophe keeps it text.
    # Checked after the characters are dropped, as the spreadsheet sees it.
    if value[:1] in _FORMULA_STARTS:
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _cells(row: dict, suppliers: list[tuple], today: date) -> list:
    """One contract's cells in HEADERS order: text made safe, dates and
    amounts as themselves. One function rather than one per column: it runs
    20,000 times for a large register."""
    if len(suppliers) == 1:  # most contracts: no joins or generators
        (name, town, postcode, company, charity, sme, vcse) = suppliers[0]
        details = ", ".join(filter(None, (name, town, postcode)))
        registration = company or charity
    else:
        details = "; ".join(", ".join(filter(None, s[:3])) for s in suppliers)
        registration = "; ".join(s[3] or s[4] for s in suppliers if s[3] or s[4])
        sme = any(s[5] for s in suppliers)
        vcse = any(s[6] for s in suppliers)
    deadline = row["decision_deadline"]
    # An option whose decision deadline has passed can no longer be taken.
    closed = row["options_closed"] or (deadline is not None and deadline < today)
    area = row["service_area"]
    return [
        _text(row["reference"]),
        _text(row["title"]),
        DEPARTMENTS.get(area) or _text(f"Adult Social Care: {area}"),
        _text(row["description"]),
        _text(details),
        _sum_to_be_paid(row),
        row["annual_value"],
        # Care services are VAT exempt; the register holds no VAT figure.
        "",
        row["start_date"],
        row["current_end_date"],
        deadline,
        "Yes" if row["procurement_route"] in COMPETITIVE else "No",
        "Yes" if sme else "No",
        "Yes" if vcse else "No",
        _text(registration),
        row["initial_end_date"],
        row["current_end_date"],
        row["max_end_date"],
        row["whole_life_value"],
        0 if closed else row["option_count"] - row["options_taken"],
    ]


def _chunks(values: Iterator[dict]) -> Iterator[list[dict]]:
    while chunk := list(islice(values, CHUNK)):
        yield chunk


_PROVIDER_KEYS = tuple(f"provider__{name}" for name in SUPPLIER_FIELDS)
_main_supplier = itemgetter(*_PROVIDER_KEYS)


def _chunked_rows(contracts: QuerySet) -> Iterator[list[list]]:
    """The contracts' cells a chunk at a time, from two queries: the other
    suppliers of shared awards first (only frameworks and multi-supplier
    awards have any), then the contracts, read as they are streamed."""
    today = timezone.localdate()
    others: dict[int, list[tuple]] = {}
    for contract_id, *supplier in (
        Contract.additional_providers.through.objects.filter(
            contract_id__in=contracts.order_by().values("pk")
        )
        .order_by("contract_id", Lower("provider__legal_name"))
        .values_list("contract_id", *_PROVIDER_KEYS)
    ):
        others.setdefault(contract_id, []).append(tuple(supplier))
    no_others: list[tuple] = []
    for chunk in _chunks(contracts.values(*FIELDS).iterator(chunk_size=CHUNK)):
        yield [
            _cells(
                row,
                [_main_supplier(row)] * bool(row["provider_id"]) + others.get(row["pk"], no_others),
                today,
            )
            for row in chunk
        ]


def rows(contracts: QuerySet) -> Iterator[list]:
    for chunk in _chunked_rows(contracts):
        yield from chunk


def _csv_text(cells: list) -> list:
    for n in DATE_COLUMNS:
        cells[n] = "" if cells[n] is None else cells[n].isoformat()
    for n in MONEY_COLUMNS:
        cells[n] = f"{cells[n]:.2f}"
    return cells


def csv_lines(contracts: QuerySet) -> Iterator[str]:
    """The register as CSV, a chunk of lines at a time, for a streamed
    download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for chunk in _chunked_rows(contracts):
        writer.writerows(_csv_text(cells) for cells in chunk)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


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
