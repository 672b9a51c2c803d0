"""Reading a contracts register CSV: every row checked before anything is
written, every problem named by row and column. Plain Python, no Django."""

import csv
import functools
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from contracts import terms
from core.text import control_character
from providers import identifiers

REQUIRED = ("reference", "title", "provider", "service_area", "start_date", "term", "annual_value")
OPTIONAL = (
    "companies_house_number",
    "notice_months",
    "uplift_percent",
    "owner_email",
    # Not in the minimum set: for a register whose older contracts already
    # had options taken before it was loaded.
    "options_taken",
)
MAX_MONEY = Decimal("999999999999.99")
# As long as the register's columns (tests/contracts/test_import_limits.py
# checks them against the models).
MAX_LENGTHS = {"reference": 100, "title": 255, "provider": 255, "term": 100, "owner_email": 254}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A register of 100,000 contracts has a few dozen distinct terms.
_term = functools.lru_cache(maxsize=1024)(terms.Term.parse)


@dataclass(frozen=True)
class RegisterRow:
    row: int  # as a spreadsheet numbers it: the header is row 1
    reference: str
    title: str
    provider: str
    companies_house_number: str
    service_area: str
    start_date: date
    term: str
    annual_value: Decimal
    notice_months: int | None
    uplift_percent: Decimal
    owner_email: str
    options_taken: int


@dataclass(frozen=True)
class Problem:
    """One problem, as a preview table shows it: row 0 for the whole file."""

    row: int
    column: str
    message: str


_PROBLEM = re.compile(r"Row (?P<row>\d+)(?:, (?P<column>[a-z_]+))?: (?P<message>.*)", re.DOTALL)


def problem_parts(text: str) -> Problem:
    """ "Row 3, start_date: is blank" as its row, column and message."""
    found = _PROBLEM.fullmatch(text)
    if not found:
        return Problem(0, "", text)
    column, message = found["column"] or "", found["message"]
    if column and message.startswith(("is ", "must ")):
        # "is blank" reads as a sentence with its column, named as in the
        # file's header: "start_date is blank".
        return Problem(int(found["row"]), column, f"{column} {message}")
    return Problem(int(found["row"]), column, message[:1].upper() + message[1:])


class RegisterImportError(ValueError):
    """The file cannot be imported; `problems` lists every one found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _date(text: str) -> date:
    if _ISO_DATE.fullmatch(text):
        # The usual case, ten times faster than strptime.
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date; use YYYY-MM-DD, like 2019-07-01")


def _money(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("£", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value > MAX_MONEY:
        raise ValueError(f"'{text}' is not an amount of money, like 491804 or 491804.00")
    if value < 0:
        raise ValueError(f"{text} is negative; the annual value cannot be negative")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{text} has more than 2 decimal places")
    return value


def _months(text: str) -> int:
    if not text.isdigit() or int(text) > 60:
        raise ValueError(f"'{text}' is not a whole number of months from 0 to 60")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 50:
        raise ValueError(f"'{text}' is not a number of options")
    return int(text)


def _percent(text: str) -> Decimal:
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -100 < value <= 100:
        raise ValueError(f"'{text}' is not a percentage between -100 and 100, like 2.5")
    return value


CONVERTERS = {
    "companies_house_number": identifiers.companies_house_number,
    "start_date": _date,
    "annual_value": _money,
    "term": lambda text: _term(text).notation,
    "notice_months": _months,
    "uplift_percent": _percent,
    "options_taken": _count,
}


def _text_problems(number: int, cell: dict) -> list[str]:
    problems = []
    if max(map(len, cell.values())) <= 100 and control_character("".join(cell.values())) is None:
        return problems  # the usual case, in one search
    for column, text in cell.items():
        # Every column is one line, as the contract form's inputs are.
        found = control_character(text)
        if found:
            problems.append(
                f"Row {number}, {column}: must not contain control characters ({found})"
            )
        elif len(text) > MAX_LENGTHS.get(column, 255):
            problems.append(
                f"Row {number}, {column}: is {len(text):,} characters long; "
                f"the register holds at most {MAX_LENGTHS.get(column, 255)}"
            )
    return problems


def _parse_row(number: int, cell: dict, service_areas: dict) -> tuple[RegisterRow | None, list]:
    problems = _text_problems(number, cell)
    if problems:
        # Nothing else is worth reporting about a cell that is not text.
        return None, problems
    problems = [f"Row {number}, {c}: is blank" for c in REQUIRED if not cell[c]]
    parsed = {}
    for column, convert in CONVERTERS.items():
        try:
            parsed[column] = convert(cell[column]) if cell[column] else None
        except (ValueError, terms.TermError, identifiers.InvalidIdentifier) as exc:
            problems.append(f"Row {number}, {column}: {exc}")
    area = service_areas.get(cell["service_area"].lower())
    if cell["service_area"] and area is None:
        problems.append(
            f"Row {number}, service_area: '{cell['service_area']}' is not a service area; "
            f"use one of {', '.join(sorted(set(service_areas.values())))}"
        )
    term, notice = parsed.get("term"), parsed.get("notice_months")
    if term and notice is not None and notice > _term(term).initial_months:
        problems.append(
            f"Row {number}, notice_months: {notice} months is longer than the initial period"
        )
    if problems:
        return None, problems
    row = RegisterRow(
        row=number,
        reference=cell["reference"],
        title=cell["title"],
        provider=cell["provider"],
        companies_house_number=parsed["companies_house_number"] or "",
        service_area=area,
        start_date=parsed["start_date"],
        term=parsed["term"],
        annual_value=parsed["annual_value"],
        notice_months=parsed["notice_months"],
        uplift_percent=parsed["uplift_percent"] or Decimal(0),
        owner_email=cell["owner_email"],
        options_taken=parsed["options_taken"] or 0,
    )
    return row, []


def _unreadable(number: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        # Usually a quotation mark that is never closed, which runs the rest
        # of the file into one cell.
        return (
            f"Row {number}: a cell is longer than {csv.field_size_limit():,} characters; "
            "check that every quotation mark in the file is closed"
        )
    return f"Row {number}: cannot be read as CSV ({exc})"


def read_register(text: str, *, service_areas: dict[str, str]) -> list[RegisterRow]:
    """Parse the whole file or raise RegisterImportError naming every bad
    row and column. `service_areas` maps lower-case names and codes to codes."""
    # newline="" so the csv module, not io, decides where a row ends.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise RegisterImportError([_unreadable(1, exc)]) from exc
    if not fieldnames:
        raise RegisterImportError(["The file is empty: expected a header row"])
    columns = {name.strip().lower(): name for name in fieldnames if name}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise RegisterImportError([f"The header row has no column {', '.join(missing)}"])

    rows, problems, seen = [], [], {}
    number = 1
    try:
        for number, raw in enumerate(reader, start=2):
            cell = {
                c: (raw.get(columns[c]) or "").strip() for c in REQUIRED + OPTIONAL if c in columns
            }
            cell.update({c: "" for c in OPTIONAL if c not in columns})
            if not any(cell.values()):
                continue
            row, row_problems = _parse_row(number, cell, service_areas)
            if cell["reference"] in seen:
                row_problems.append(
                    f"Row {number}, reference: {cell['reference']} is also on row "
                    f"{seen[cell['reference']]}"
                )
            seen.setdefault(cell["reference"], number)
            problems.extend(row_problems)
            if row and not row_problems:
                rows.append(row)
    except csv.Error as exc:
        # The row after the last one read; the csv module stops at the first
        # such problem, so nothing after it can be checked.
        problems.append(_unreadable(number + 1, exc))
    if problems:
        raise RegisterImportError(problems)
    if not rows:
        raise RegisterImportError(["The file has a header row but no contracts"])
    return rows
