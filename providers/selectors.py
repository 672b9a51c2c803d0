"""Reads of the provider register."""

from django.db.models import Count, Q

from providers.models import Provider


def provider_counts() -> dict[str, int]:
    return Provider.objects.aggregate(
        total=Count("pk"),
        sme=Count("pk", filter=Q(is_sme=True)),
        vcse=Count("pk", filter=Q(is_vcse=True)),
    )


def provider_with_contacts(pk: int) -> Provider:
    return Provider.objects.prefetch_related("contacts").get(pk=pk)


def provider_history(provider: Provider) -> list[dict]:
    """Every recorded version of a provider and its contacts, newest first,
    each with the fields that changed from the version before."""
    entries = []
    records = list(provider.history.select_related("history_user").order_by("history_date"))
    previous = None
    for record in records:
        entries.append(_entry(record, previous, subject="Provider"))
        previous = record
    from providers.models import ProviderContact

    contact_records = ProviderContact.history.filter(provider_id=provider.pk).select_related(
        "history_user"
    )
    by_contact: dict[int, object] = {}
    for record in contact_records.order_by("history_date"):
        entries.append(_entry(record, by_contact.get(record.id), subject=f"Contact {record.name}"))
        by_contact[record.id] = record
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _entry(record, previous, *, subject: str) -> dict:
    changes = []
    if previous is not None and record.history_type == "~":
        delta = record.diff_against(previous)
        for change in delta.changes:
            field = record.instance_type._meta.get_field(change.field)
            changes.append(
                {
                    "field": field.verbose_name,
                    "old": _display(change.old),
                    "new": _display(change.new),
                }
            )
    return {
        "when": record.history_date,
        "who": record.history_user,
        "subject": subject,
        "action": {"+": "Added", "~": "Changed", "-": "Removed"}[record.history_type],
        "reason": record.history_change_reason or "",
        "changes": changes,
    }


def _display(value) -> str:
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
