"""Call-offs: direct award, or a mini-competition opened to every admitted
provider in the lot, with clarifications shared with all and sealed bids."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from contracts.constants import ProcurementRoute
from contracts.services import ContractError, contract_create
from procurement import scoring
from procurement.constants import AdmissionStatus, CallOffRoute, CallOffStatus
from procurement.models import (
    Bid,
    BidAnswer,
    BidDocument,
    CallOff,
    Clarification,
    Criterion,
    Invitation,
    Lot,
)
from procurement.services import ProcurementError
from procurement.services.cancel import check_not_cancelled


def admitted_providers(lot: Lot):
    from providers.models import Provider

    return Provider.objects.filter(
        admissions__lot=lot, admissions__status=AdmissionStatus.ADMITTED
    ).order_by("legal_name")


def check_admitted(lot: Lot, provider, *, field=None) -> None:
    """A provider suspended or removed since it was invited can no longer
    bid or be awarded."""
    if not admitted_providers(lot).filter(pk=provider.pk).exists():
        raise ProcurementError(
            f"{provider} is not currently admitted to {lot}: it cannot bid or be awarded.",
            field=field,
        )


def check_not_conflicted(call_off: CallOff, user) -> None:
    """Someone on the call-off's panel who declared a conflict of interest
    (or has not declared yet) may not open bids, moderate, approve or award."""
    assignment = call_off.evaluators.filter(evaluator=user).first()
    if assignment is None or assignment.has_conflict is False:
        return
    if assignment.has_conflict is None:
        raise ProcurementError("Declare whether you have a conflict of interest first.")
    raise ProcurementError(
        "You declared a conflict of interest on this call-off, so you cannot take part."
    )


def call_off_create(
    *,
    lot: Lot,
    by,
    route: str,
    reference: str,
    title: str,
    start_date,
    annual_value,
    term="3+1+1",
    options_may_be_taken_together=True,
    notice_months=3,
    description="",
    bid_deadline: datetime | None = None,
) -> CallOff:
    from contracts import terms

    try:
        terms.Term.parse(term)
    except terms.TermError as exc:
        raise ProcurementError(str(exc), field="term") from exc
    if CallOff.objects.filter(reference=reference).exists():
        raise ProcurementError(f"{reference} is already in use.", field="reference")
    if route == CallOffRoute.MINI_COMPETITION and bid_deadline is None:
        raise ProcurementError("Set the deadline for bids.", field="bid_deadline")
    return CallOff.objects.create(
        lot=lot,
        route=route,
        reference=reference,
        title=title,
        description=description,
        start_date=start_date,
        annual_value=annual_value,
        term=term,
        options_may_be_taken_together=options_may_be_taken_together,
        notice_months=notice_months,
        bid_deadline=bid_deadline,
        created_by=by,
    )


def _draft(call_off: CallOff) -> CallOff:
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if call_off.status != CallOffStatus.DRAFT:
        raise ProcurementError(
            f"{call_off.reference} is {call_off.get_status_display().lower()}: "
            "its criteria and invitations can no longer change."
        )
    return call_off


@transaction.atomic
def criterion_add(
    *, call_off: CallOff, by, name, weight, kind, max_score=5, descriptors=""
) -> Criterion:
    call_off = _draft(call_off)
    if kind == scoring.PRICE and call_off.criteria.filter(kind=scoring.PRICE).exists():
        raise ProcurementError("Only one criterion can score price.", field="kind")
    number = call_off.criteria.order_by("-number").values_list("number", flat=True).first() or 0
    return Criterion.objects.create(
        call_off=call_off,
        number=number + 1,
        name=name,
        weight=weight,
        kind=kind,
        max_score=max_score,
        descriptors=descriptors,
    )


@transaction.atomic
def call_off_open(*, call_off: CallOff, by, now: datetime | None = None) -> list[Invitation]:
    """Publish a mini-competition: the weights must add up to 100, the
    deadline must be ahead, and every provider admitted to the lot (not
    suspended or removed) is invited."""
    now = now or timezone.now()
    call_off = _draft(call_off)
    if call_off.route != CallOffRoute.MINI_COMPETITION:
        raise ProcurementError("Only a mini-competition invites bids.")
    try:
        scoring.check_weights([c.for_scoring() for c in call_off.criteria.all()])
    except scoring.ScoringError as exc:
        raise ProcurementError(str(exc)) from exc
    if call_off.bid_deadline is None or call_off.bid_deadline <= now:
        raise ProcurementError("The deadline for bids must be in the future.")
    providers = list(admitted_providers(call_off.lot))
    if not providers:
        raise ProcurementError(f"Nobody is admitted to {call_off.lot} yet: nobody can be invited.")
    invitations = Invitation.objects.bulk_create(
        Invitation(call_off=call_off, provider=provider) for provider in providers
    )
    call_off.status = CallOffStatus.OPEN
    call_off.save(update_fields=["status"])
    return invitations


def clarification_publish(*, call_off: CallOff, by, question: str, answer: str) -> Clarification:
    if call_off.status != CallOffStatus.OPEN or not bids_sealed(call_off):
        raise ProcurementError(
            "Clarifications are published while the call-off is open, before the deadline."
        )
    if not question.strip() or not answer.strip():
        raise ProcurementError("Enter the question and the answer.", field="answer")
    return Clarification.objects.create(
        call_off=call_off, question=question.strip(), answer=answer.strip(), published_by=by
    )


def bids_sealed(call_off: CallOff, now: datetime | None = None) -> bool:
    """Before the deadline nobody in the council can read a bid."""
    now = now or timezone.now()
    return call_off.bid_deadline is None or now < call_off.bid_deadline


@transaction.atomic
def bid_submit(
    *, invitation: Invitation, answers: dict, price=None, documents=(), now: datetime | None = None
) -> Bid:
    """A provider's bid through its invitation link: an answer to every
    non-price criterion, a price if price is scored, and any documents. A
    bid may be replaced until the deadline; after it, nothing is accepted."""
    now = now or timezone.now()
    call_off = CallOff.objects.select_for_update().get(pk=invitation.call_off_id)
    check_not_cancelled(call_off, refused="bids are no longer accepted")
    if call_off.status != CallOffStatus.OPEN or not bids_sealed(call_off, now):
        deadline = timezone.localtime(call_off.bid_deadline)
        raise ProcurementError(
            f"The deadline for bids was {deadline:%-d %B %Y at %H:%M}. "
            "Late bids cannot be accepted."
        )
    check_admitted(call_off.lot, invitation.provider)
    criteria = list(call_off.criteria.all())
    for criterion in criteria:
        if criterion.kind == scoring.PRICE:
            if price is None or price <= 0:
                raise ProcurementError("Enter your price.", field="price")
        elif not (answers.get(criterion.pk) or "").strip():
            raise ProcurementError(f"Answer “{criterion.name}”.", field=f"answer_{criterion.pk}")
    Bid.objects.filter(invitation=invitation).delete()
    bid = Bid.objects.create(
        call_off=call_off,
        invitation=invitation,
        provider=invitation.provider,
        received_at=now,
        price=price,
    )
    BidAnswer.objects.bulk_create(
        BidAnswer(bid=bid, criterion=c, text=answers[c.pk].strip())
        for c in criteria
        if c.kind != scoring.PRICE
    )
    for upload in documents:
        BidDocument.objects.create(bid=bid, file=upload, name=upload.name[:200])
    return bid


@transaction.atomic
def evaluation_start(*, call_off: CallOff, by, now: datetime | None = None) -> CallOff:
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if call_off.status != CallOffStatus.OPEN:
        raise ProcurementError(f"{call_off.reference} is not open for bids.")
    if bids_sealed(call_off, now):
        raise ProcurementError("Evaluation starts once the deadline for bids has passed.")
    if not call_off.bids.exists():
        raise ProcurementError("No bids were received: there is nothing to evaluate.")
    call_off.status = CallOffStatus.EVALUATION
    call_off.save(update_fields=["status"])
    return call_off


def contract_owners():
    """Who may own an awarded contract: any active commissioning officer
    (the procurement officer runs the competition; commissioning manages
    the contract after it)."""
    from core.models import User
    from core.roles import Role

    return User.objects.filter(
        groups__name=Role.COMMISSIONING_OFFICER.label, is_active=True
    ).order_by("last_name", "first_name", "username")


def check_owner(owner) -> None:
    if owner is None or not contract_owners().filter(pk=owner.pk).exists():
        raise ProcurementError("Choose a commissioning officer to own the contract", field="owner")


def _award_contract(call_off: CallOff, provider, by, route, *, owner, start_date=None):
    check_owner(owner)
    try:
        return contract_create(
            by=by,
            reference=call_off.reference,
            title=call_off.title,
            description=call_off.description,
            service_area=call_off.lot.system.service_area,
            provider=provider,
            owner=owner,
            start_date=start_date or call_off.start_date,
            term=call_off.term,
            options_may_be_taken_together=call_off.options_may_be_taken_together,
            notice_months=call_off.notice_months,
            annual_value=call_off.annual_value,
            procurement_route=route,
            lot=call_off.lot.name,
        )
    except ContractError as exc:
        raise ProcurementError(str(exc)) from exc


@transaction.atomic
def direct_award(*, call_off: CallOff, by, provider, justification: str, owner):
    """Award straight to an admitted provider, recording why."""
    call_off = CallOff.objects.select_for_update().get(pk=call_off.pk)
    if call_off.route != CallOffRoute.DIRECT_AWARD or call_off.status != CallOffStatus.DRAFT:
        raise ProcurementError(f"{call_off.reference} cannot be awarded directly now.")
    if not justification.strip():
        raise ProcurementError(
            "Record why this provider is awarded directly.", field="justification"
        )
    check_admitted(call_off.lot, provider, field="provider")
    call_off.contract = _award_contract(
        call_off, provider, by, ProcurementRoute.DIRECT_AWARD, owner=owner
    )
    call_off.justification, call_off.awarded_provider = justification.strip(), provider
    call_off.status = CallOffStatus.AWARDED
    call_off.save()
    return call_off
