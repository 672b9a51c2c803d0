"""Bringing contracts into the register from a CSV register or Contracts
Finder OCDS. All rows or none: anything wrong aborts the whole import."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from contracts import ocds, register_csv, terms
from contracts.constants import ProcurementRoute, ServiceArea
from contracts.models import Contract
from contracts.services import (
    ContractError,
    contract_create,
    contract_update,
    options_record_taken,
)
from core.models import User
from core.roles import Role
from providers import identifiers
from providers.models import Provider
from providers.services import provider_create


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


@transaction.atomic
def register_csv_import(*, text: str, by) -> ImportResult:
    rows = register_csv.read_register(text, service_areas=_service_areas())
    owners = {
        u.email.lower(): u
        for u in User.objects.filter(is_active=True, groups__name=Role.COMMISSIONING_OFFICER.label)
    }
    problems = []
    for row in rows:
        if row.owner_email and row.owner_email.lower() not in owners:
            problems.append(
                f"Row {row.row}, owner_email: no commissioning officer has {row.owner_email}"
            )
        if row.companies_house_number:
            try:
                identifiers.companies_house_number(row.companies_house_number)
            except identifiers.InvalidIdentifier as exc:
                problems.append(f"Row {row.row}, companies_house_number: {exc}")
    if problems:
        raise register_csv.RegisterImportError(problems)

    result = ImportResult()
    for row in rows:
        number = (
            identifiers.companies_house_number(row.companies_house_number)
            if row.companies_house_number
            else None
        )
        fields = {
            "reference": row.reference,
            "title": row.title,
            "provider": _provider(row.provider, number, by=by, result=result),
            "service_area": row.service_area,
            "start_date": row.start_date,
            "term": row.term,
            "annual_value": row.annual_value,
            "uplift_percent": row.uplift_percent,
            "owner": owners.get(row.owner_email.lower()) if row.owner_email else None,
        }
        if row.notice_months is not None:
            fields["notice_months"] = row.notice_months
        existing = Contract.objects.filter(reference=row.reference).first()
        try:
            if existing and row.options_taken and row.options_taken != existing.options_taken:
                # Options on a registered contract move only by extension decisions.
                raise ContractError(
                    f"the register already records {existing.options_taken} options taken; "
                    "later options are taken through extension requests",
                    field="options_taken",
                )
            contract = _upsert(fields, by=by, result=result)
            if existing is None and row.options_taken:
                options_record_taken(contract=contract, by=by, options_taken=row.options_taken)
            # (the service refuses options whose deadline is still to come)
        except ContractError as exc:
            # Raising inside the atomic block undoes every row already written.
            column = f", {exc.field}" if exc.field else ""
            raise register_csv.RegisterImportError([f"Row {row.row}{column}: {exc}"]) from exc
    return result


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
        _upsert(fields, by=by, result=result, additional_providers=providers[1:])
    return result
