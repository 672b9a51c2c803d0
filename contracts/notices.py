"""Who is told when an extension request or a contract change enters their
queue or is decided, and what they are told (decision 0028). The services
call these inside their transactions; notifications.services.notify keeps
each email once-only and off the page's critical path."""

from django.urls import reverse

from contracts.models import Contract, ServiceAreaSettings
from core.roles import Role
from notifications import recipients
from notifications.kinds import Kind
from notifications.models import AuthorityContact
from notifications.services import notify


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else "the system"


def _money(value) -> str:
    return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"


def deciders(contract: Contract, *, exclude=None) -> list:
    """The approving managers named for the contract's service area (who
    still hold the role). An area that names none, or none but the person
    who raised it, falls back to every approving manager: a request must
    never wait unseen. Never the person who raised it."""
    managers = recipients.users_with_role(Role.APPROVING_MANAGER)
    if exclude is not None:
        managers = managers.exclude(pk=exclude.pk)
    area = ServiceAreaSettings.objects.filter(service_area=contract.service_area).first()
    named = list(managers.filter(managed_service_areas=area)) if area else []
    return named or list(managers)


def _owner_and_requester(thing, contract: Contract, by) -> list:
    people = {thing.requested_by, contract.owner} - {None}
    return [person for person in people if by is None or person.pk != by.pk]


def extension_raised(request, *, by) -> None:
    contract = request.contract
    deadline = (
        f" The decision is due by {contract.decision_deadline:%-d %B %Y}."
        if contract.decision_deadline
        else ""
    )
    notify(
        kind=Kind.EXTENSION_RAISED,
        users=deciders(contract, exclude=by),
        subject_object=request,
        event="raised",
        subject=f"Extension request to decide: {contract.reference} {request.option_label}",
        body=f"{_name(by)} asks to extend {contract.reference} {contract.title}: "
        f"{request.option_label}, worth {_money(request.value)}, to "
        f"{request.new_end_date:%-d %B %Y}.{deadline}\n\nWhy: {request.justification}",
        path=reverse("contracts:extension_decide", args=[contract.pk, request.pk]),
    )


def extension_decided(request, *, by, rules: str = "") -> None:
    contract = request.contract
    status = request.get_status_display().lower()
    recorded = (
        f", recording {request.higher_authority}'s decision ({request.authority_reference})"
        if request.authority_reference
        else ""
    )
    despite = (
        f"\n\nApproved despite the evidence ({rules}). The reason recorded: "
        f"{request.approved_despite}"
        if request.approved_despite
        else ""
    )
    notify(
        kind=Kind.DECISION_MADE,
        users=_owner_and_requester(request, contract, by),
        subject_object=request,
        event=request.status,
        subject=f"Extension {status}: {contract.reference} {request.option_label}",
        body=f"{contract.reference}: {contract.title}\n\nThe extension request for "
        f"{request.option_label} ({_money(request.value)}, to "
        f"{request.new_end_date:%-d %B %Y}) was {status} on {request.decided_at:%-d %B %Y} "
        f"by {_name(by)}{recorded}.\n\nReason: {request.decision_reason}{despite}",
        path=contract.get_absolute_url(),
    )


def change_raised(change, *, by) -> None:
    contract = change.contract
    notify(
        kind=Kind.CHANGE_RAISED,
        users=deciders(contract, exclude=by),
        subject_object=change,
        event="raised",
        subject=f"Contract change to decide: {contract.reference}",
        body=f"{_name(by)} asks to change {contract.reference} {contract.title} from "
        f"{change.effective_from:%-d %B %Y}: {change.summary}. It changes the whole-life "
        f"value by {_money(change.value_effect)}.\n\nWhy: {change.explanation}",
        path=reverse("contracts:change_decide", args=[contract.pk, change.pk]),
    )


def change_decided(change, *, by) -> None:
    contract = change.contract
    status = change.get_status_display().lower()
    notify(
        kind=Kind.DECISION_MADE,
        users=_owner_and_requester(change, contract, by),
        subject_object=change,
        event=change.status,
        subject=f"Contract change {status}: {contract.reference}",
        body=f"{contract.reference}: {contract.title}\n\nThe change ({change.summary}) was "
        f"{status} by {_name(by)}.\n\nReason: {change.decision_reason}",
        path=reverse("contracts:change_detail", args=[contract.pk, change.pk]),
    )


def escalated(thing, *, by) -> None:
    """An extension request or contract change sent to a higher authority:
    its recorded contact (notifications.AuthorityContact, by the name the
    manager gave) is told. With no contact recorded for that name, the
    administrators are, so that someone adds one and passes it on."""
    contract, authority = thing.contract, thing.higher_authority
    contacts = list(AuthorityContact.objects.filter(name__iexact=authority.strip()))
    users = [contact.user for contact in contacts if contact.user_id]
    emails = [contact.email for contact in contacts if not contact.user_id]
    lead = ""
    if not contacts:
        users = list(recipients.users_with_role(Role.ADMINISTRATOR))
        lead = (
            f"No contact is recorded for {authority}. Add one in the admin (Notifications, "
            "Authority contacts) and pass this on.\n\n"
        )
    is_extension = hasattr(thing, "option_label")
    what = f"extension ({thing.option_label})" if is_extension else f"change ({thing.summary})"
    value = thing.value if is_extension else thing.value_effect
    path = (
        contract.get_absolute_url()
        if is_extension
        else reverse("contracts:change_detail", args=[contract.pk, thing.pk])
    )
    why = f"\n\nWhy it was escalated: {thing.escalation_reason}" if thing.escalation_reason else ""
    notify(
        kind=Kind.ESCALATED,
        users=users,
        emails=emails,
        subject_object=thing,
        event="escalated",
        subject=f"Decision for {authority}: {contract.reference}"[:255],
        body=f"{lead}{_name(by)} has escalated a contract {what} of {contract.reference} "
        f"{contract.title}, worth {_money(value)}, to {authority} for a decision.{why}\n\n"
        "Once it is decided, an approving manager records the decision and its reference "
        "in the service.",
        path=path,
    )
