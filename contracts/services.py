"""Writes to the contracts register: every change of state is one atomic
service that checks the allowed statuses and records who and why."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts import terms
from contracts.approval import ApprovalRefused, check_may_approve
from contracts.constants import OPEN_EXTENSION_STATUSES, ExtensionStatus
from contracts.models import Contract, ExtensionRequest
from core.roles import Role

CONTRACT_FIELDS = (
    "reference",
    "title",
    "description",
    "service_area",
    "client_group",
    "provider",
    "lot",
    "owner",
    "start_date",
    "term",
    "options_may_be_taken_together",
    "notice_months",
    "annual_value",
    "uplift_percent",
    "council_share_percent",
    "icb_share_percent",
    "other_share_percent",
    "procurement_route",
    "cpv_code",
    "ocid",
    "is_draft",
)


class ContractError(Exception):
    """A change the register refuses; `field` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _parsed_term(notation: str) -> terms.Term:
    try:
        return terms.Term.parse(notation)
    except terms.TermError as exc:
        raise ContractError(str(exc), field="term") from exc


def contract_derive(contract: Contract) -> None:
    """Recompute the stored end dates, value and deadline from the term."""
    term = _parsed_term(contract.term)
    contract.term = term.notation
    contract.option_count = len(term.option_months)
    start = contract.start_date
    contract.initial_end_date = term.initial_end(start)
    contract.max_end_date = term.max_end(start)
    current = term.end_after(start, contract.options_taken)
    if contract.terminated_on is not None:
        current = min(current, contract.terminated_on)
    contract.current_end_date = current
    try:
        contract.whole_life_value = terms.whole_life_value(
            term, Decimal(contract.annual_value), Decimal(contract.uplift_percent)
        )
    except terms.TermError as exc:
        raise ContractError(str(exc), field="annual_value") from exc
    open_options = term.options_remaining(contract.options_taken) and not (
        contract.options_closed or contract.terminated_on
    )
    contract.decision_deadline = (
        terms.decision_deadline(current, contract.notice_months) if open_options else None
    )


def _check_funding(contract: Contract) -> None:
    shares = (
        Decimal(contract.council_share_percent)
        + Decimal(contract.icb_share_percent)
        + Decimal(contract.other_share_percent)
    )
    if shares != 100:
        raise ContractError(
            f"The funding shares must add up to 100%; they add up to {shares:g}%.",
            field="council_share_percent",
        )


def _save(contract: Contract, *, by, reason: str) -> Contract:
    contract_derive(contract)
    _check_funding(contract)
    contract._history_user = by
    contract._change_reason = reason
    contract.save()
    return contract


@transaction.atomic
def contract_create(*, by, additional_providers=(), **fields) -> Contract:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {', '.join(sorted(unknown))}")
    if Contract.objects.filter(reference=fields.get("reference")).exists():
        raise ContractError(
            f"A contract with reference {fields['reference']} is already in the register.",
            field="reference",
        )
    contract = _save(Contract(**fields), by=by, reason="Contract added")
    if additional_providers:
        contract.additional_providers.set(additional_providers)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, by, **fields) -> Contract:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {', '.join(sorted(unknown))}")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if "term" in fields:
        # Compare like with like: "36m" is stored as "3".
        new = _parsed_term(fields["term"])
        fields["term"] = new.notation
        if len(new.option_months) < contract.options_taken:
            raise ContractError(
                f"{contract.options_taken} options have already been taken; "
                "the term must keep at least that many.",
                field="term",
            )
    changed = {n: v for n, v in fields.items() if getattr(contract, n) != v}
    if not changed:
        return contract
    for name, value in changed.items():
        setattr(contract, name, value)
    return _save(contract, by=by, reason="Contract details changed")


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def extension_request_raise(
    *, contract: Contract, by, options_requested: int, justification: str, today: date | None = None
) -> ExtensionRequest:
    contract = _locked(contract)
    today = today or timezone.localdate()
    if contract.terminated_on or contract.is_draft:
        raise ContractError("This contract cannot be extended: it is terminated or a draft.")
    if contract.options_closed:
        raise ContractError("The remaining options on this contract will not be taken.")
    if contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists():
        raise ContractError("There is already an extension request waiting for a decision.")
    if contract.decision_deadline is not None and today > contract.decision_deadline:
        raise ContractError(
            f"The decision deadline was {contract.decision_deadline:%-d %B %Y}; "
            "the option has lapsed."
        )
    term = _parsed_term(contract.term)
    try:
        terms.check_extension_request(
            term,
            options_taken=contract.options_taken,
            options_requested=options_requested,
            may_take_together=contract.options_may_be_taken_together,
        )
    except terms.TermError as exc:
        raise ContractError(str(exc), field="options_requested") from exc
    if not justification.strip():
        raise ContractError("Explain why the contract should be extended.", field="justification")
    value = terms.option_value(
        term,
        Decimal(contract.annual_value),
        options_taken=contract.options_taken,
        options_requested=options_requested,
        uplift_percent=Decimal(contract.uplift_percent),
    )
    request = ExtensionRequest(
        contract=contract,
        first_option=contract.options_taken + 1,
        options_requested=options_requested,
        justification=justification.strip(),
        value=value,
        new_end_date=term.end_after(
            contract.start_date, contract.options_taken + options_requested
        ),
        requested_by=by,
    )
    request._history_user = by
    request._change_reason = "Extension requested"
    request.save()
    return request


def _open_request(request: ExtensionRequest, allowed=OPEN_EXTENSION_STATUSES) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_for_update().select_related("contract").get(pk=request.pk)
    )
    if request.status not in allowed:
        raise ContractError(
            f"This request has already been decided: {request.get_status_display().lower()}."
        )
    return request


def _decide(request: ExtensionRequest, *, by, status, reason: str, note: str) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request._history_user = by
    request._change_reason = note
    request.save()


def _exercise(request: ExtensionRequest, *, by) -> None:
    contract = _locked(request.contract)
    if contract.options_taken + 1 != request.first_option:
        raise ContractError("The contract's options have changed since this request was made.")
    contract.options_taken += request.options_requested
    _save(contract, by=by, reason=f"Extension approved: {request.option_label}")


@transaction.atomic
def extension_approve(*, request: ExtensionRequest, by, reason: str) -> ExtensionRequest:
    request = _open_request(request, allowed=(ExtensionStatus.PENDING,))
    try:
        check_may_approve(
            requester_id=request.requested_by_id,
            approver_id=by.pk,
            approver_is_manager=by.has_role(Role.APPROVING_MANAGER),
            approver_limit=by.delegated_authority_limit,
            value=request.value,
        )
    except ApprovalRefused as exc:
        raise ContractError(str(exc)) from exc
    _decide(request, by=by, status=ExtensionStatus.APPROVED, reason=reason, note="Approved")
    _exercise(request, by=by)
    return request


@transaction.atomic
def extension_reject(*, request: ExtensionRequest, by, reason: str) -> ExtensionRequest:
    request = _open_request(request)
    if request.requested_by_id == by.pk:
        raise ContractError("You cannot decide an extension request you raised yourself.")
    if not reason.strip():
        raise ContractError("Give the reason the extension is not approved.", field="reason")
    _decide(request, by=by, status=ExtensionStatus.REJECTED, reason=reason, note="Not approved")
    contract = _locked(request.contract)
    contract.options_closed = True
    _save(contract, by=by, reason=f"Extension not approved: {request.option_label} not taken")
    return request


@transaction.atomic
def extension_escalate(*, request: ExtensionRequest, by, authority: str) -> ExtensionRequest:
    """An approving manager sends a request beyond their limit upwards."""
    request = _open_request(request, allowed=(ExtensionStatus.PENDING,))
    if not authority.strip():
        raise ContractError("Name the authority that will decide.", field="authority")
    request.status = ExtensionStatus.ESCALATED
    request.higher_authority = authority.strip()
    request._history_user = by
    request._change_reason = f"Escalated to {request.higher_authority}"
    request.save()
    return request


@transaction.atomic
def extension_record_authority_decision(
    *, request: ExtensionRequest, by, approved: bool, reference: str, reason: str
) -> ExtensionRequest:
    """Record what the higher authority decided, with its reference."""
    request = _open_request(request, allowed=(ExtensionStatus.ESCALATED,))
    if not reference.strip():
        raise ContractError(
            "Give the reference of the decision, for example the Cabinet minute.",
            field="reference",
        )
    request.authority_reference = reference.strip()
    status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REJECTED
    note = f"{request.higher_authority} decision recorded"
    _decide(request, by=by, status=status, reason=reason, note=note)
    if approved:
        _exercise(request, by=by)
    else:
        contract = _locked(request.contract)
        contract.options_closed = True
        _save(contract, by=by, reason=f"{request.higher_authority} did not approve the extension")
    return request


@transaction.atomic
def extensions_lapse_overdue(*, today: date) -> list[Contract]:
    """Close the options of every contract whose decision deadline has passed
    without an approval, and record that the option was not taken."""
    lapsed = []
    overdue = Contract.objects.select_for_update().filter(
        decision_deadline__lt=today, options_closed=False, terminated_on__isnull=True
    )
    for contract in overdue:
        open_request = contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).first()
        if open_request:
            _decide(
                open_request,
                by=None,
                status=ExtensionStatus.LAPSED,
                reason=f"No decision by the deadline, {contract.decision_deadline:%-d %B %Y}.",
                note="Lapsed",
            )
        deadline = f"{contract.decision_deadline:%-d %B %Y}"
        contract.options_closed = True
        _save(contract, by=None, reason=f"Option lapsed: decision deadline {deadline} passed")
        lapsed.append(contract)
    return lapsed


@transaction.atomic
def contract_terminate(*, contract: Contract, by, terminated_on: date, reason: str) -> Contract:
    contract = _locked(contract)
    if contract.terminated_on:
        raise ContractError("This contract has already been terminated.")
    if not reason.strip():
        raise ContractError("Give the reason for ending the contract early.", field="reason")
    if not contract.start_date <= terminated_on <= contract.current_end_date:
        raise ContractError(
            f"The termination date must be between the start, {contract.start_date:%-d %B %Y}, "
            f"and the current end, {contract.current_end_date:%-d %B %Y}.",
            field="terminated_on",
        )
    for request in contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES):
        _decide(
            request,
            by=by,
            status=ExtensionStatus.WITHDRAWN,
            reason="Contract terminated",
            note="Withdrawn",
        )
    contract.terminated_on = terminated_on
    contract.termination_reason = reason.strip()
    return _save(contract, by=by, reason=f"Terminated early: {reason.strip()}")
