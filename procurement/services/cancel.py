"""Cancelling a call-off or a care package before anything is awarded:
who, when and why are recorded, and every provider invited to bid (for a
care package, every provider that bid) is told by email after commit.

Allowed from every stage before the award (decision 0029): while being
prepared, open for bids, under evaluation, and with results approved but
no contract made. Once awarded the contract is in the register and is
ended there (terminated), not here."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.notify import email_queue
from procurement.constants import CallOffStatus, PackageStatus
from procurement.models import CallOff, CarePackage
from procurement.services import ProcurementError

CALL_OFF_CANCELLABLE = (
    CallOffStatus.DRAFT,
    CallOffStatus.OPEN,
    CallOffStatus.EVALUATION,
    CallOffStatus.APPROVED,
)
PACKAGE_CANCELLABLE = (
    PackageStatus.ADVERTISED,
    PackageStatus.PANEL,
    PackageStatus.MEET_AND_GREET,
    PackageStatus.CHOSEN,
)
REASON_REQUIRED = "Enter the reason for cancelling"


def call_off_may_be_cancelled(call_off: CallOff) -> bool:
    return call_off.status in CALL_OFF_CANCELLABLE


def package_may_be_cancelled(package: CarePackage) -> bool:
    return package.status in PACKAGE_CANCELLABLE


def check_not_cancelled(call_off: CallOff, *, refused: str) -> None:
    """A cancelled call-off takes no more bids, scores or decisions."""
    if call_off.status == CallOffStatus.CANCELLED:
        raise ProcurementError(f"{call_off.reference} has been cancelled: {refused}.")


def _refusal(reference, status, awarded, cancelled) -> ProcurementError:
    if status == awarded:
        return ProcurementError(
            f"{reference} has been awarded, so it cannot be cancelled: "
            "its contract is in the register, and is ended there."
        )
    if status == cancelled:
        return ProcurementError(f"{reference} is already cancelled.")
    return ProcurementError(f"{reference} cannot be cancelled at this stage.")


def _main_contacts(providers) -> list[tuple[object, str]]:
    """Each provider once, with its main contact's email (if it has one)."""
    seen, out = set(), []
    for provider in providers:
        if provider.pk in seen:
            continue
        seen.add(provider.pk)
        email = next((c.email for c in provider.contacts.all() if c.is_main_contact), "")
        if email:
            out.append((provider, email))
    return out


def _tell(providers, *, subject, what, why, reason):
    for provider, email in _main_contacts(providers):
        email_queue(
            subject=subject,
            body=render_to_string(
                "procurement/email/cancelled.txt",
                {
                    "council_name": settings.COUNCIL_NAME,
                    "provider": provider,
                    "what": what,
                    "why": why,
                    "reason": reason,
                },
            ),
            to=[email],
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ProcurementError(REASON_REQUIRED, field="reason")
    return reason


@transaction.atomic
def call_off_cancel(*, call_off: CallOff, by, reason: str) -> CallOff:
    reason = _reason(reason)
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if not call_off_may_be_cancelled(call_off):
        raise _refusal(
            call_off.reference, call_off.status, CallOffStatus.AWARDED, CallOffStatus.CANCELLED
        )
    call_off.status = CallOffStatus.CANCELLED
    call_off.cancelled_by, call_off.cancelled_at = by, timezone.now()
    call_off.cancellation_reason = reason
    call_off._history_user = by
    call_off.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancellation_reason"])
    invited = [
        i.provider
        for i in call_off.invitations.select_related("provider").prefetch_related(
            "provider__contacts"
        )
    ]
    _tell(
        invited,
        subject=f"Cancelled: {call_off.reference} {call_off.title}",
        what=f"the call-off {call_off.reference} {call_off.title}",
        why="were invited to bid for",
        reason=reason,
    )
    return call_off


@transaction.atomic
def package_cancel(*, package: CarePackage, by, reason: str) -> CarePackage:
    reason = _reason(reason)
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if not package_may_be_cancelled(package):
        raise _refusal(
            package.reference, package.status, PackageStatus.AWARDED, PackageStatus.CANCELLED
        )
    package.status = PackageStatus.CANCELLED
    package.cancelled_by, package.cancelled_at = by, timezone.now()
    package.cancellation_reason = reason
    package._history_user = by
    package.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancellation_reason"])
    # Packages are advertised on the council's portal, not by invitation:
    # the providers known to be interested are those that bid.
    bidders = [
        b.provider
        for b in package.bids.select_related("provider").prefetch_related("provider__contacts")
    ]
    _tell(
        bidders,
        subject=f"Cancelled: care package {package.reference}",
        what=f"the care package {package.reference}",
        why="bid for",
        reason=reason,
    )
    return package
