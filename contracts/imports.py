"""Bringing contracts into the register from a CSV register or Contracts
Finder OCDS. All rows or none: anything wrong aborts the whole import."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models.functions import Lower

from contracts import ocds, register_csv, terms
from contracts.constants import ProcurementRoute, ServiceArea
from contracts.models import Contract
from contracts.services import ContractError, contract_create, contract_update
from contracts.services.bulk import contract_build, contracts_create_many
from contracts.services.register import LiveFiguresError
from core.errors import ServiceError
from core.models import User
from core.roles import Role
from providers.models import Provider
from providers.services import provider_create, providers_create_many


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    providers_created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _service_areas() -> dict[str, str]:
    names = {label.lower(): code for code, label in ServiceArea.choices}
    names.update({code: code for code in ServiceArea.values})
    names["ilss"] = ServiceArea.ILSS
    return names


def _provider(
    name: str, number: str | None, *, by, result: ImportResult, is_sme=None, is_vcse=None
):
    """Match on Companies House number, else on name; add the provider if new."""
    if number:
        found = Provider.objects.filter(companies_house_number=number).first()
        if found:
            return found
    found = Provider.objects.filter(legal_name__iexact=name).order_by("pk").first()
    if found:
        return found
    result.providers_created.append(name)
    return provider_create(
        by=by,
        legal_name=name,
        companies_house_number=number,
        is_sme=bool(is_sme),
        is_vcse=bool(is_vcse),
    )


def _upsert(fields: dict, *, by, result: ImportResult, additional_providers=()) -> Contract:
    existing = Contract.objects.filter(reference=fields["reference"]).first()
    if existing is None:
        contract = contract_create(by=by, additional_providers=additional_providers, **fields)
        result.created.append(contract.reference)
        return contract
    before = existing.history.count()
    contract = contract_update(contract=existing, by=by, **fields)
    if set(contract.additional_providers.all()) != set(additional_providers):
        contract.additional_providers.set(additional_providers)
    changed = contract.history.count() != before
    (result.updated if changed else result.unchanged).append(contract.reference)
    return contract


class _Providers:
    """The providers a file names, looked up in two queries, matched as
    _provider matches them: Companies House number, else name."""

    def __init__(self, rows):
        numbers = {r.companies_house_number for r in rows if r.companies_house_number}
        names = {r.provider.lower() for r in rows}
        self.by_number = {}
        for chunk in _chunks(sorted(numbers)):
            self.by_number.update(
                (p.companies_house_number, p)
                for p in Provider.objects.filter(companies_house_number__in=chunk)
            )
        self.by_name = {}
        for chunk in _chunks(sorted(names)):
            found = (
                Provider.objects.annotate(name_lower=Lower("legal_name"))
                .filter(name_lower__in=chunk)
                .order_by("-pk")  # the oldest of two with one name wins, as in _provider
            )
            self.by_name.update((p.name_lower, p) for p in found)
        self.new: list[Provider] = []

    def get(self, name: str, number: str) -> Provider:
        found = (number and self.by_number.get(number)) or self.by_name.get(name.lower())
        if found:
            return found
        provider = Provider(legal_name=name, companies_house_number=number or None)
        self.new.append(provider)
        self.by_name[name.lower()] = provider
        if number:
            self.by_number[number] = provider
        return provider


def _chunks(items, size=5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_contracts(references) -> dict[str, Contract]:
    found = {}
    for chunk in _chunks(sorted(references)):
        found.update((c.reference, c) for c in Contract.objects.filter(reference__in=chunk))
    return found


def _differs(contract: Contract, fields: dict) -> bool:
    for name, value in fields.items():
        if name in ("provider", "owner"):
            if getattr(contract, f"{name}_id") != (value.pk if value else None):
                return True
        elif getattr(contract, name) != value:
            return True
    return False


@transaction.atomic
def register_csv_import(*, text: str, by) -> ImportResult:
    """Every row is checked in Python first; then new providers and contracts
    are written in a few bulk statements, and only rows that change a
    registered contract go through contract_update one by one."""
    rows = register_csv.read_register(text, service_areas=_service_areas())
    owners = {
        u.email.lower(): u
        for u in User.objects.filter(is_active=True, groups__name=Role.COMMISSIONING_OFFICER.label)
    }
    existing = _existing_contracts(r.reference for r in rows)
    providers = _Providers(rows)
    result = ImportResult()
    problems, new, changed = [], [], []
    for row in rows:
        if row.owner_email and row.owner_email.lower() not in owners:
            problems.append(
                f"Row {row.row}, owner_email: no commissioning officer has {row.owner_email}"
            )
            continue
        fields = {
            "reference": row.reference,
            "title": row.title,
            "provider": providers.get(row.provider, row.companies_house_number),
            "service_area": row.service_area,
            "start_date": row.start_date,
            "term": row.term,
            "annual_value": row.annual_value,
            "uplift_percent": row.uplift_percent,
            "owner": owners.get(row.owner_email.lower()) if row.owner_email else None,
        }
        if row.notice_months is not None:
            fields["notice_months"] = row.notice_months
        contract = existing.get(row.reference)
        try:
            if contract is None:
                new.append(contract_build(options_taken=row.options_taken, **fields))
            elif row.options_taken and row.options_taken != contract.options_taken:
                # Options on a registered contract move only by extension decisions.
                raise ContractError(
                    f"the register already records {contract.options_taken} options taken; "
                    "later options are taken through extension requests",
                    field="options_taken",
                )
            elif _differs(contract, fields):
                changed.append((row, contract, fields))
            else:
                result.unchanged.append(row.reference)
        except ContractError as exc:
            problems.append(_problem(row, exc))
    if problems:
        raise register_csv.RegisterImportError(problems)

    try:
        result.providers_created = [
            p.legal_name for p in providers_create_many(by=by, providers=providers.new)
        ]
        result.created = [c.reference for c in contracts_create_many(by=by, contracts=new)]
    except ServiceError as exc:
        raise register_csv.RegisterImportError([str(exc)]) from exc
    for row, contract, fields in changed:
        try:
            contract_update(contract=contract, by=by, **fields)
        except ContractError as exc:
            # Raising inside the atomic block undoes every row already written.
            raise register_csv.RegisterImportError([_problem(row, exc)]) from exc
        result.updated.append(row.reference)
    return result


class _Rehearsed(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("rolled back")
        self.result = result


def register_csv_preview(*, text: str, by) -> ImportResult:
    """What register_csv_import would do with `text`, found by doing it and
    rolling it back, so the preview finds every problem the import would
    (the database's as well as the file's) and counts exactly what it
    would write. Raises RegisterImportError as the import does."""
    try:
        with transaction.atomic():
            raise _Rehearsed(register_csv_import(text=text, by=by))
    except _Rehearsed as rehearsed:
        return rehearsed.result


def _problem(row, exc: ContractError) -> str:
    column = f", {exc.field}" if exc.field else ""
    return f"Row {row.row}{column}: {exc}"


def _months_between(start, end) -> int:
    """The whole number of months whose period ends nearest `end`."""
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    candidates = [m for m in (months - 1, months, months + 1) if m >= 1]
    return min(candidates, key=lambda m: abs((terms.period_end(start, m) - end).days))


ROUTES = {
    "call-off from a dynamic purchasing system": ProcurementRoute.DPS_CALL_OFF,
    "call-off from a framework agreement": ProcurementRoute.FRAMEWORK,
}


@transaction.atomic
def ocds_import(*, data, by) -> ImportResult:
    """Contracts Finder awards into the register: one contract per award,
    every supplier kept, idempotent on re-import."""
    result = ImportResult()
    for award in ocds.contracts_from_data(data):
        if award.start_date is None or award.end_date is None or award.end_date < award.start_date:
            result.skipped.append(f"{award.reference}: no usable contract period")
            continue
        providers = [
            _provider(
                s.name,
                s.companies_house_number,
                by=by,
                result=result,
                is_sme=s.is_sme,
                is_vcse=s.is_vcse,
            )
            for s in award.suppliers
        ]
        months = _months_between(award.start_date, award.end_date)
        value = award.value or Decimal(0)
        annual = (value * 12 / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        route = ROUTES.get((award.procurement_method_details or "").lower(), ProcurementRoute.OTHER)
        fields = {
            "reference": award.reference,
            "title": award.title[:255],
            "description": award.description,
            "service_area": ServiceArea.OTHER,
            "provider": providers[0],
            "start_date": award.start_date,
            "term": f"{months}m",
            # Contracts Finder has no notice period; three months unless the
            # contract is shorter.
            "notice_months": min(3, months),
            "annual_value": annual,
            "procurement_route": route,
            "cpv_code": award.cpv_code or "",
            "ocid": award.ocid,
        }
        existing = Contract.objects.filter(reference=award.reference).first()
        if existing is not None and existing.history.exclude(history_user=None).exists():
            # An officer has worked on this contract since it was imported:
            # their changes win over a re-published notice.
            result.unchanged.append(award.reference)
            continue
        try:
            with transaction.atomic():
                _upsert(fields, by=by, result=result, additional_providers=providers[1:])
        except LiveFiguresError as exc:
            # A re-published notice with new figures for a live contract: the
            # register moves them only through a contract change (decision 19).
            result.skipped.append(f"{award.reference}: {exc} Record it as a contract change.")
    return result
