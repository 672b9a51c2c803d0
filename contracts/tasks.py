from celery import shared_task
from django.utils import timezone

from contracts import services


@shared_task
def extensions_lapse_overdue() -> list[str]:
    """Daily: record that options whose decision deadline passed were not taken."""
    lapsed = services.extensions_lapse_overdue(today=timezone.localdate())
    return [contract.reference for contract in lapsed]
