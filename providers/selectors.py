"""Reads of the provider register."""

from django.db.models import Count, Q

from core import history
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
    from providers.models import ProviderContact

    found = history.entries(
        provider.history.order_by("history_date"),
        subject=lambda r: "Provider",
    )
    found += history.entries(
        ProviderContact.history.filter(provider_id=provider.pk).order_by("history_date"),
        subject=lambda r: f"Contact {r.name}",
    )
    return sorted(found, key=lambda e: e["when"], reverse=True)
