"""Writes to the provider register. Each records who made the change."""

from django.db import IntegrityError, transaction

from core import concurrency
from core.bulk import copy_insert_with_history
from core.errors import ServiceError
from providers.models import Provider, ProviderContact

PROVIDER_FIELDS = (
    "legal_name",
    "trading_name",
    "companies_house_number",
    "charity_number",
    "cqc_provider_id",
    "is_sme",
    "is_vcse",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "website",
)
CONTACT_FIELDS = ("name", "job_title", "email", "phone", "is_main_contact")


class ProviderError(ServiceError):
    """A change to the provider register that is refused."""


def _duplicate_message(number: str) -> str:
    holder = Provider.objects.filter(companies_house_number=number).first()
    name = holder.legal_name if holder else "another provider"
    return (
        f"Companies House number {number} is already recorded for {name}. "
        "Search for that provider instead of adding it again."
    )


def _check_companies_house_number_free(number: str | None, *, exclude_pk=None) -> None:
    if not number:
        return
    clash = Provider.objects.filter(companies_house_number=number)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ProviderError(_duplicate_message(number), field="companies_house_number")


def _save(provider: Provider, *, by, reason: str) -> Provider:
    provider._history_user = by
    provider._change_reason = reason
    try:
        # A savepoint, so a lost race on the unique number leaves the
        # caller's transaction usable and the message is the same.
        with transaction.atomic():
            concurrency.save_next_version(provider)
    except IntegrityError as exc:
        raise ProviderError(
            _duplicate_message(provider.companies_house_number),
            field="companies_house_number",
        ) from exc
    return provider


@transaction.atomic
def provider_create(*, by, **fields) -> Provider:
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown provider fields: {', '.join(sorted(unknown))}")
    fields["companies_house_number"] = fields.get("companies_house_number") or None
    _check_companies_house_number_free(fields["companies_house_number"])
    return _save(Provider(**fields), by=by, reason="Provider added")


@transaction.atomic
def provider_update(*, provider: Provider, by, version: int | None = None, **fields) -> Provider:
    """`version` is the one the edit page showed: a save from a page opened
    before somebody else's change is refused."""
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown provider fields: {', '.join(sorted(unknown))}")
    provider = concurrency.lock(Provider.objects, pk=provider.pk, version=version)
    if "companies_house_number" in fields:
        fields["companies_house_number"] = fields["companies_house_number"] or None
        _check_companies_house_number_free(fields["companies_house_number"], exclude_pk=provider.pk)
    changed = {n: v for n, v in fields.items() if getattr(provider, n) != v}
    if not changed:
        # Nothing to record: saving would add an empty entry to the history.
        return provider
    for name, value in changed.items():
        setattr(provider, name, value)
    return _save(provider, by=by, reason="Provider details changed")


def _demote_other_main_contacts(contact: ProviderContact, *, by) -> None:
    if not contact.is_main_contact:
        return
    others = ProviderContact.objects.select_for_update().filter(
        provider=contact.provider, is_main_contact=True
    )
    if contact.pk:
        others = others.exclude(pk=contact.pk)
    for other in others:
        # A new version, so an edit page open on the old main contact
        # cannot quietly make it the main contact again.
        other.is_main_contact = False
        other._history_user = by
        other._change_reason = f"{contact.name} became the main contact"
        concurrency.save_next_version(other)


def _save_contact(contact: ProviderContact, *, by, reason: str) -> ProviderContact:
    _demote_other_main_contacts(contact, by=by)
    contact._history_user = by
    contact._change_reason = reason
    concurrency.save_next_version(contact)
    return contact


@transaction.atomic
def contact_create(*, provider: Provider, by, **fields) -> ProviderContact:
    return _save_contact(
        ProviderContact(provider=provider, **fields), by=by, reason="Contact added"
    )


@transaction.atomic
def contact_update(
    *, contact: ProviderContact, by, version: int | None = None, **fields
) -> ProviderContact:
    contact = concurrency.lock(ProviderContact.objects, pk=contact.pk, version=version)
    changed = {n: v for n, v in fields.items() if getattr(contact, n) != v}
    if not changed:
        return contact
    for name, value in changed.items():
        setattr(contact, name, value)
    return _save_contact(contact, by=by, reason="Contact changed")


@transaction.atomic
def contact_remove(*, contact: ProviderContact, by) -> None:
    # The historical record keeps the removed contact's details.
    contact._history_user = by
    contact._change_reason = "Contact removed"
    contact.delete()


@transaction.atomic
def providers_create_many(*, by, providers: list[Provider]) -> list[Provider]:
    """Add providers an import found no match for, with their history. The
    caller has matched every Companies House number against the register."""
    for provider in providers:
        provider.companies_house_number = provider.companies_house_number or None
    try:
        with transaction.atomic():
            return copy_insert_with_history(Provider, providers, by=by, reason="Provider added")
    except IntegrityError as exc:
        raise ProviderError(
            "A Companies House number in the file was recorded for another provider during "
            "the import. Nothing was imported: run the import again.",
            field="companies_house_number",
        ) from exc
