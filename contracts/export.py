"""The register as a table: the Local Government Transparency Code 2015
contract columns, then the derived term columns. Used by the
export_register command and the register page's downloads."""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from contracts import terms
from contracts.constants import ProcurementRoute

COMPETITIVE = {
    ProcurementRoute.MINI_COMPETITION,
    ProcurementRoute.OPEN_TENDER,
    ProcurementRoute.PDPS_CALL_OFF,
    ProcurementRoute.DPS_CALL_OFF,
    ProcurementRoute.FRAMEWORK,
}


def _suppliers(contract) -> list:
    return [p for p in [contract.provider, *contract.additional_providers.all()] if p]


def _supplier_details(contract) -> str:
    return "; ".join(
        ", ".join(filter(None, [p.legal_name, p.town, p.postcode])) for p in _suppliers(contract)
    )


def _registration_numbers(contract) -> str:
    return "; ".join(
        p.companies_house_number or p.charity_number
        for p in _suppliers(contract)
        if p.companies_house_number or p.charity_number
    )


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _options_remaining(contract) -> int:
    # An option whose decision deadline has passed can no longer be taken.
    if contract.options_closed or (
        contract.decision_deadline and contract.decision_deadline < timezone.localdate()
    ):
        return 0
    return contract.option_count - contract.options_taken


def _sum_to_be_paid(contract) -> Decimal:
    """The Transparency Code's "sum to be paid over the length of the
    contract": the whole-life value while options may still be taken, the
    value to the actual end once they cannot."""
    if not contract.options_closed:
        return contract.whole_life_value
    term = terms.Term.parse(contract.term)
    annual, uplift = Decimal(contract.annual_value), Decimal(contract.uplift_percent)
    if contract.terminated_on:
        months = terms.months_to(contract.start_date, contract.terminated_on)
        return terms.value_for_months(annual, first_month=0, months=months, uplift_percent=uplift)
    return terms.value_to(term, annual, contract.options_taken, uplift)


# (header, function of a contract). The first block follows the Transparency
# Code's list; its "Start, end and review dates" is split into three columns
# so the file can be sorted and filtered.
COLUMNS = [
    ("Reference number", lambda c: c.reference),
    ("Title of agreement", lambda c: c.title),
    (
        "Local authority department responsible",
        lambda c: f"Adult Social Care: {c.get_service_area_display()}",
    ),
    ("Description of the goods and/or services being provided", lambda c: c.description),
    ("Supplier name and details", _supplier_details),
    ("Sum to be paid over the length of the contract", _sum_to_be_paid),
    ("Estimated annual spending", lambda c: c.annual_value),
    # Care services are VAT exempt; the register holds no VAT figure.
    ("Value Added Tax that cannot be recovered", lambda c: ""),
    ("Start date", lambda c: c.start_date),
    ("End date", lambda c: c.current_end_date),
    ("Review date", lambda c: c.decision_deadline),
    (
        "Result of an invitation to quote or a published invitation to tender",
        lambda c: _yes_no(c.procurement_route in COMPETITIVE),
    ),
    ("Supplier is an SME", lambda c: _yes_no(any(p.is_sme for p in _suppliers(c)))),
    ("Supplier is a VCSE organisation", lambda c: _yes_no(any(p.is_vcse for p in _suppliers(c)))),
    ("Supplier registration number", _registration_numbers),
    ("initial_end_date", lambda c: c.initial_end_date),
    ("current_end_date", lambda c: c.current_end_date),
    ("max_end_date", lambda c: c.max_end_date),
    ("whole_life_value", lambda c: c.whole_life_value),
    ("options_remaining", _options_remaining),
]
HEADERS = [header for header, _ in COLUMNS]


def _cell(value):
    # A text cell starting with = + - @ would run as a formula in a
    # spreadsheet (CSV injection); a leading apostrophe keeps it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def rows(contracts: Iterable) -> Iterable[list]:
    if hasattr(contracts, "prefetch_related"):
        # Every supplier of every contract, in one extra query.
        contracts = contracts.prefetch_related("additional_providers")
    for contract in contracts:
        yield [_cell(value(contract)) for _, value in COLUMNS]


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def to_csv(contracts: Iterable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows([_as_text(v) for v in row] for row in rows(contracts))
    return out.getvalue()


def to_xlsx(contracts: Iterable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contracts register")
    sheet.append(HEADERS)
    for row in rows(contracts):
        # Dates and amounts as real cells, so the sheet can sort and total them.
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
