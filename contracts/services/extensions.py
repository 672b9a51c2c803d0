"""Extension requests and their decisions under delegated authority.

Every service locks the contract first, then its request, so two decisions
can never interleave or deadlock. A decision must be made by the contract's
decision deadline; after it the option lapses.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone

from contracts import extension_rules, notices, terms
from contracts.approval import ApprovalRefused, check_may_approve
from contracts.constants import OPEN_EXTENSION_STATUSES, ExtensionStatus
from contracts.extension_evidence import extension_evidence
from contracts.models import Contract, ExtensionRequest
from contracts.services.register import ContractError, locked, parsed_term, save
from core.roles import Role

OWN_REQUEST = "You cannot decide an extension request you raised yourself."


def _deadline_text(contract: Contract) -> str:
    return f"{contract.decision_deadline:%-d %B %Y}"


def _request_figures(contract: Contract, options_requested: int) -> tuple[Decimal, date]:
    term = parsed_term(contract.term)
    value = terms.option_value(
        term,
        Decimal(contract.annual_value),
        options_taken=contract.options_taken,
        options_requested=options_requested,
        uplift_percent=Decimal(contract.uplift_percent),
    )
    new_end = term.end_after(contract.start_date, contract.options_taken + options_requested)
    return value, new_end


@transaction.atomic
def extension_request_raise(
    *, contract: Contract, by, options_requested: int, justification: str, today: date | None = None
) -> ExtensionRequest:
    contract = locked(contract)
    today = today or timezone.localdate()
    # The same words as the contract page and the request page give.
    refusal = extension_rules.extension_refusal(
        is_draft=contract.is_draft,
        terminated_on=contract.terminated_on,
        options_closed=contract.options_closed,
        option_count=contract.option_count,
        options_taken=contract.options_taken,
        current_end_date=contract.current_end_date,
        decision_deadline=contract.decision_deadline,
        has_open_request=contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists(),
        today=today,
    )
    if refusal:
        raise ContractError(refusal)
    try:
        terms.check_extension_request(
            parsed_term(contract.term),
            options_taken=contract.options_taken,
            options_requested=options_requested,
            may_take_together=contract.options_may_be_taken_together,
        )
    except terms.TermError as exc:
        raise ContractError(str(exc), field="options_requested") from exc
    if not justification.strip():
        raise ContractError("Explain why the contract should be extended.", field="justification")
    value, new_end = _request_figures(contract, options_requested)
    request = ExtensionRequest(
        contract=contract,
        first_option=contract.options_taken + 1,
        options_requested=options_requested,
        justification=justification.strip(),
        value=value,
        new_end_date=new_end,
        requested_by=by,
    )
    request._history_user = by
    request._change_reason = "Extension requested"
    request.save()
    notices.extension_raised(request, by=by)
    return request


def _open_request(
    request: ExtensionRequest, *, today: date | None, allowed=OPEN_EXTENSION_STATUSES
) -> tuple[Contract, ExtensionRequest]:
    contract = locked(request.contract)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    request.contract = contract
    if request.status not in allowed:
        raise ContractError(
            f"This request is not waiting for this decision: "
            f"{request.get_status_display().lower()}."
        )
    today = today or timezone.localdate()
    if contract.decision_deadline is not None and today > contract.decision_deadline:
        raise ContractError(
            f"The decision deadline was {_deadline_text(contract)}: the option has lapsed "
            "and can no longer be approved."
        )
    # The figures a decision is made on must be the contract's figures now;
    # an edit since the request was raised would change what is approved.
    if (request.value, request.new_end_date) != _request_figures(
        contract, request.options_requested
    ) or contract.options_taken + 1 != request.first_option:
        raise ContractError(
            "The contract has changed since this request was raised. "
            "Withdraw it and raise a new one."
        )
    return contract, request


def _decide(request: ExtensionRequest, *, by, status, reason: str, note: str) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request._history_user = by
    request._change_reason = note
    request.save()


def _require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise ContractError(f"Give the reason for {what}.", field="reason")
    return reason.strip()


def _exercise(contract: Contract, request: ExtensionRequest, *, by) -> None:
    contract.options_taken += request.options_requested
    save(contract, by=by, reason=f"Extension approved: {request.option_label}")


def _close_options(contract: Contract, *, by, reason: str) -> None:
    contract.options_closed = True
    save(contract, by=by, reason=reason)


def _approved_despite(
    contract: Contract, request: ExtensionRequest, text: str, *, today: date | None, authority=""
) -> tuple[str, str]:
    """The recorded explanation and the history note for an approval. An
    approval against the performance and budget rules (contracts.extension_rules)
    is refused without an explanation, whichever page or script asks."""
    evidence = extension_evidence(
        contract,
        options_requested=request.options_requested,
        today=today or timezone.localdate(),
    )
    if not evidence.reasons:
        return "", ""
    if not text.strip():
        raise ContractError(
            extension_rules.explanation_needed(evidence.reasons, authority=authority),
            field="approved_despite",
        )
    return text.strip(), " despite: " + ", ".join(reason.short for reason in evidence.reasons)


@transaction.atomic
def extension_approve(
    *,
    request: ExtensionRequest,
    by,
    reason: str,
    approved_despite: str = "",
    today: date | None = None,
) -> ExtensionRequest:
    """`approved_despite`: why the manager approves although a rule in
    contracts.extension_rules applies; required then, ignored otherwise."""
    contract, request = _open_request(request, today=today, allowed=(ExtensionStatus.PENDING,))
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
    reason = _require_reason(reason, "approving the extension")
    request.approved_despite, despite = _approved_despite(
        contract, request, approved_despite, today=today
    )
    _decide(
        request, by=by, status=ExtensionStatus.APPROVED, reason=reason, note="Approved" + despite
    )
    _exercise(contract, request, by=by)
    notices.extension_decided(request, by=by, rules=despite.removeprefix(" despite: "))
    return request


@transaction.atomic
def extension_reject(
    *, request: ExtensionRequest, by, reason: str, today: date | None = None
) -> ExtensionRequest:
    # An escalated request is the higher authority's to refuse, not a manager's.
    contract, request = _open_request(request, today=today, allowed=(ExtensionStatus.PENDING,))
    if request.requested_by_id == by.pk:
        raise ContractError(OWN_REQUEST)
    if not by.has_role(Role.APPROVING_MANAGER):
        raise ContractError("Only an approving manager can decide extension requests.")
    reason = _require_reason(reason, "not approving the extension")
    _decide(request, by=by, status=ExtensionStatus.REJECTED, reason=reason, note="Not approved")
    _close_options(
        contract, by=by, reason=f"Extension not approved: {request.option_label} not taken"
    )
    notices.extension_decided(request, by=by)
    return request


@transaction.atomic
def extension_escalate(
    *, request: ExtensionRequest, by, authority: str, reason: str = "", today: date | None = None
) -> ExtensionRequest:
    """An approving manager sends a request beyond their own limit upwards.
    Within their limit they decide it themselves."""
    _, request = _open_request(request, today=today, allowed=(ExtensionStatus.PENDING,))
    if request.requested_by_id == by.pk:
        raise ContractError(OWN_REQUEST)
    if not by.has_role(Role.APPROVING_MANAGER):
        raise ContractError("Only an approving manager can escalate an extension request.")
    limit = by.delegated_authority_limit
    if limit is not None and request.value <= limit:
        raise ContractError(
            f"This extension is within your delegated authority (£{limit:,.2f}): "
            "decide it yourself.",
            field="decision",
        )
    if not authority.strip():
        raise ContractError("Name the authority that will decide.", field="authority")
    request.status = ExtensionStatus.ESCALATED
    request.higher_authority = authority.strip()
    request.escalated_by = by
    request.escalated_at = timezone.now()
    request.escalation_reason = reason.strip()
    request._history_user = by
    request._change_reason = f"Escalated to {request.higher_authority}"
    request.save()
    notices.escalated(request, by=by)
    return request


@transaction.atomic
def extension_record_authority_decision(
    *,
    request: ExtensionRequest,
    by,
    approved: bool,
    reference: str,
    reason: str,
    approved_despite: str = "",
    today: date | None = None,
) -> ExtensionRequest:
    """Record what the higher authority decided, with its reference. An
    approval the rules would question needs the authority's explanation
    recorded too (`approved_despite`), as for a manager's own approval."""
    contract, request = _open_request(request, today=today, allowed=(ExtensionStatus.ESCALATED,))
    if request.requested_by_id == by.pk:
        raise ContractError("You cannot record the decision on a request you raised yourself.")
    if not reference.strip():
        raise ContractError(
            "Give the reference of the decision, for example the Cabinet minute.",
            field="reference",
        )
    request.authority_reference = reference.strip()
    reason = _require_reason(reason, "the decision, as the authority gave it")
    status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REJECTED
    note = f"{request.higher_authority} decision recorded"
    despite = ""
    if approved:
        request.approved_despite, despite = _approved_despite(
            contract, request, approved_despite, today=today, authority=request.higher_authority
        )
        # The history keeps 100 characters of note; an authority's name may be long.
        note = f"{request.higher_authority} approved{despite}"[:100]
    _decide(request, by=by, status=status, reason=reason, note=note)
    if approved:
        _exercise(contract, request, by=by)
    else:
        _close_options(
            contract, by=by, reason=f"{request.higher_authority} did not approve the extension"
        )
    notices.extension_decided(request, by=by, rules=despite.removeprefix(" despite: "))
    return request


@transaction.atomic
def extension_withdraw(*, request: ExtensionRequest, by, reason: str) -> ExtensionRequest:
    """The officer takes back a request raised in error; the option stays open."""
    contract = locked(request.contract)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OPEN_EXTENSION_STATUSES:
        raise ContractError("Only a request waiting for a decision can be withdrawn.")
    if by.pk not in (request.requested_by_id, contract.owner_id) and not by.has_role(
        Role.APPROVING_MANAGER
    ):
        raise ContractError(
            "Only the officer who raised the request, the contract owner or an approving "
            "manager can withdraw it."
        )
    reason = _require_reason(reason, "withdrawing the request")
    _decide(request, by=by, status=ExtensionStatus.WITHDRAWN, reason=reason, note="Withdrawn")
    request.contract = contract
    return request


@transaction.atomic
def extensions_lapse_overdue(*, today: date) -> list[Contract]:
    """Close the options of every contract whose decision deadline has passed
    without an approval, and record that the option was not taken.

    Only deadlines that passed while the contract was in the register lapse:
    a contract imported with a deadline long gone may have had its options
    taken before the register knew of it.
    """
    lapsed = []
    overdue = (
        Contract.objects.select_for_update()
        .annotate(entered=TruncDate("created_at"))
        .filter(
            decision_deadline__lt=today,
            decision_deadline__gte=F("entered"),
            options_closed=False,
            terminated_on__isnull=True,
            is_draft=False,
        )
        .order_by("pk")
    )
    for contract in overdue:
        deadline = _deadline_text(contract)
        for request in contract.extensions.select_for_update().filter(
            status__in=OPEN_EXTENSION_STATUSES
        ):
            _decide(
                request,
                by=None,
                status=ExtensionStatus.LAPSED,
                reason=f"No decision by the deadline, {deadline}.",
                note="Lapsed",
            )
        _close_options(
            contract, by=None, reason=f"Option lapsed: decision deadline {deadline} passed"
        )
        lapsed.append(contract)
    return lapsed
