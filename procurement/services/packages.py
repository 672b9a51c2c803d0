"""Care-package call-offs (Islington): advertised to admitted providers,
bids, panel evaluation, meet and greet, and the person's final choice.

For a supported living scheme the panel's choice is final; for one person,
shortlisted providers meet them first and the person, their family or their
advocate decides."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts.constants import ProcurementRoute
from contracts.services import ContractError, contract_create
from procurement.constants import PackageKind, PackageStatus, SystemKind
from procurement.models import CarePackage, Lot, PackageBid
from procurement.services import ProcurementError
from procurement.services.call_offs import admitted_providers, check_admitted, check_owner

WEEKS_A_YEAR = 52
ROUTES = {
    SystemKind.PDPS: ProcurementRoute.PDPS_CALL_OFF,
    SystemKind.DPS: ProcurementRoute.DPS_CALL_OFF,
    SystemKind.FRAMEWORK: ProcurementRoute.FRAMEWORK,
}


def package_advertise(
    *,
    lot: Lot,
    by,
    reference: str,
    kind: str,
    outcomes: str,
    weekly_budget: Decimal,
    start_date: date,
    bid_deadline: datetime,
    term: str = "1",
    now: datetime | None = None,
) -> CarePackage:
    now = now or timezone.now()
    from contracts.models import Contract

    if (
        CarePackage.objects.filter(reference=reference).exists()
        or Contract.objects.filter(reference=reference).exists()
    ):
        raise ProcurementError(f"{reference} is already in use.", field="reference")
    if bid_deadline <= now:
        raise ProcurementError("The deadline for bids must be in the future.", field="bid_deadline")
    if weekly_budget <= 0:
        raise ProcurementError("Enter the weekly budget.", field="weekly_budget")
    if not admitted_providers(lot).exists():
        raise ProcurementError(f"Nobody is admitted to {lot} yet.", field="lot")
    return CarePackage.objects.create(
        lot=lot,
        reference=reference,
        kind=kind,
        outcomes=outcomes,
        weekly_budget=weekly_budget,
        start_date=start_date,
        bid_deadline=bid_deadline,
        term=term,
        created_by=by,
    )


def _locked(package: CarePackage, *statuses) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if package.status not in statuses:
        raise ProcurementError(
            f"{package.reference} is at the “{package.get_status_display()}” stage."
        )
    return package


@transaction.atomic
def package_bid_record(
    *,
    package: CarePackage,
    by,
    provider,
    proposal: str,
    weekly_price: Decimal,
    received_at: datetime,
    now: datetime | None = None,
) -> PackageBid:
    package = _locked(package, PackageStatus.ADVERTISED)
    if received_at > (now or timezone.now()):
        raise ProcurementError("A bid cannot be received in the future.", field="received_at")
    if received_at >= package.bid_deadline:
        deadline = timezone.localtime(package.bid_deadline)
        raise ProcurementError(
            f"The deadline for bids was {deadline:%-d %B %Y at %H:%M}. "
            "Late bids cannot be accepted.",
            field="received_at",
        )
    check_admitted(package.lot, provider, field="provider")
    if weekly_price <= 0:
        raise ProcurementError("Enter the weekly price.", field="weekly_price")
    # Every bid the portal received is recorded, a second one from the same
    # provider too, and nothing here depends on the bids already recorded:
    # the officer recording one must learn nothing of who else has bid. The
    # last one each provider sent is the one the panel considers.
    return PackageBid.objects.create(
        package=package,
        provider=provider,
        proposal=proposal.strip(),
        weekly_price=weekly_price,
        received_at=received_at,
        recorded_by=by,
    )


def bids_sealed(package: CarePackage, now: datetime | None = None) -> bool:
    """Before the deadline nobody can read a bid, only count them."""
    return (now or timezone.now()) < package.bid_deadline


def bid_is_replaced(bid: PackageBid) -> bool:
    """A provider that sent more than one bid is held to the last it sent."""
    latest = (
        PackageBid.objects.filter(package_id=bid.package_id, provider_id=bid.provider_id)
        .order_by("-received_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest != bid.pk


@transaction.atomic
def package_panel_decide(
    *, bid: PackageBid, by, shortlisted: bool, notes: str, now: datetime | None = None
) -> PackageBid:
    now = now or timezone.now()
    package = _locked(bid.package, PackageStatus.ADVERTISED, PackageStatus.PANEL)
    if bids_sealed(package, now):
        raise ProcurementError("The panel meets after the deadline for bids.")
    if bid_is_replaced(bid):
        raise ProcurementError(
            "The provider sent a later bid, which replaces this one: "
            "the panel considers the later bid."
        )
    if not notes.strip():
        raise ProcurementError("Record the panel's reasons.", field="notes")
    bid.shortlisted, bid.panel_notes = shortlisted, notes.strip()
    bid.save(update_fields=["shortlisted", "panel_notes"])
    package.status = PackageStatus.PANEL
    package.save(update_fields=["status"])
    return bid


@transaction.atomic
def meet_and_greet_record(*, bid: PackageBid, by, met_on: date, notes: str) -> PackageBid:
    package = _locked(bid.package, PackageStatus.PANEL, PackageStatus.MEET_AND_GREET)
    if package.kind != PackageKind.INDIVIDUAL:
        raise ProcurementError("Meet and greet is for a package for one person.")
    if not bid.shortlisted:
        raise ProcurementError("Only shortlisted providers are invited to meet and greet.")
    bid.meet_and_greet_on, bid.meet_and_greet_notes = met_on, notes.strip()
    bid.save(update_fields=["meet_and_greet_on", "meet_and_greet_notes"])
    package.status = PackageStatus.MEET_AND_GREET
    package.save(update_fields=["status"])
    return bid


@transaction.atomic
def package_choice_record(
    *, package: CarePackage, by, bid: PackageBid, chosen_by: str
) -> CarePackage:
    package = _locked(package, PackageStatus.PANEL, PackageStatus.MEET_AND_GREET)
    if bid.package_id != package.pk or not bid.shortlisted:
        raise ProcurementError("Choose a shortlisted provider.", field="bid")
    if package.kind == PackageKind.INDIVIDUAL and bid.meet_and_greet_on is None:
        raise ProcurementError(
            "The person meets the provider before choosing: record the meet and greet first.",
            field="bid",
        )
    if not chosen_by.strip():
        raise ProcurementError("Record who made the choice.", field="chosen_by")
    check_admitted(package.lot, bid.provider, field="bid")
    package.chosen_bid, package.chosen_by = bid, chosen_by.strip()
    package.choice_recorded_at = timezone.now()
    package.status = PackageStatus.CHOSEN
    package.save()
    return package


@transaction.atomic
def package_award(*, package: CarePackage, by, owner) -> CarePackage:
    """The chosen provider's contract, valued at its weekly price for 52
    weeks a year, owned by the commissioning officer who will manage it."""
    package = _locked(package, PackageStatus.CHOSEN)
    check_owner(owner)
    bid = package.chosen_bid
    check_admitted(package.lot, bid.provider)
    title = (
        "Supported living scheme " if package.kind == PackageKind.SCHEME else "Care package "
    ) + package.reference
    try:
        package.contract = contract_create(
            by=by,
            reference=package.reference,
            title=title,
            description=package.outcomes,
            service_area=package.lot.system.service_area,
            provider=bid.provider,
            owner=owner,
            start_date=package.start_date,
            term=package.term,
            notice_months=0,
            annual_value=bid.weekly_price * WEEKS_A_YEAR,
            procurement_route=ROUTES[package.lot.system.kind],
            lot=package.lot.name,
        )
    except ContractError as exc:
        raise ProcurementError(str(exc)) from exc
    package.status = PackageStatus.AWARDED
    package.save()
    return package
