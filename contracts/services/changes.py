"""Contract changes (variations): raised by an officer, decided under
delegated authority like an extension, never by the person who raised them.

An approved change moves the contract's figures from its effective date: the
value schedule on the contract (contracts.changes) gains an entry, the
derived end dates and whole-life value are worked out again, and finance's
stored commitments go out of date because the schedule is one of their
inputs. Every service locks the contract first, then the change.
"""

import dataclasses
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts import changes, notices, terms
from contracts.approval import ApprovalRefused, check_may_approve
from contracts.constants import OPEN_EXTENSION_STATUSES
from contracts.models import Contract
from contracts.models_changes import (
    OPEN_CHANGE_STATUSES,
    ChangeReason,
    ChangeStatus,
    ContractChange,
)
from contracts.services.register import ContractError, contract_derive, locked, parsed_term, save
from core.roles import Role

OWN_CHANGE = "You cannot decide a contract change you raised yourself."
SHARES = ("council_share_percent", "icb_share_percent", "other_share_percent")
SCHEDULE_LENGTH = Contract._meta.get_field("change_schedule").max_length


def _money(value: Decimal) -> str:
    return f"£{value:,.2f}"


def _award_entry(contract: Contract) -> changes.ScheduleEntry:
    return changes.ScheduleEntry(
        contract.start_date,
        Decimal(contract.annual_value),
        Decimal(contract.uplift_percent),
        *(Decimal(getattr(contract, name)) for name in SHARES),
    )


def _moves_schedule(change: ContractChange) -> bool:
    return (
        change.new_annual_value is not None
        or change.new_uplift_percent is not None
        or change.changes_funding
    )


def _apply(contract: Contract, change: ContractChange) -> None:
    """Put the change's new figures on the (locked or copied) contract and
    work out the derived fields again. Raises ContractError."""
    if _moves_schedule(change):
        entries = list(changes.parse_schedule(contract.change_schedule)) or [_award_entry(contract)]
        now = entries[-1]
        entry = dataclasses.replace(
            now,
            effective_from=change.effective_from,
            annual_value=_new(change.new_annual_value, now.annual_value),
            uplift_percent=_new(change.new_uplift_percent, now.uplift_percent),
            council_share_percent=_new(change.new_council_share_percent, now.shares[0]),
            icb_share_percent=_new(change.new_icb_share_percent, now.shares[1]),
            other_share_percent=_new(change.new_other_share_percent, now.shares[2]),
        )
        # A second change from the same day replaces the first's entry.
        if now.effective_from == entry.effective_from:
            entries[-1] = entry
        else:
            entries.append(entry)
        text = changes.schedule_text(entries)
        if len(text) > SCHEDULE_LENGTH:
            raise ContractError("This contract has had too many changes to record another.")
        contract.change_schedule = text
        contract.schedule_version += 1
        contract.annual_value = entry.annual_value
        contract.uplift_percent = entry.uplift_percent
        for name, share in zip(SHARES, entry.shares, strict=True):
            setattr(contract, name, share)
    if change.new_provider_id is not None:
        contract.provider_id = change.new_provider_id
    contract.months_added += change.months_added
    contract_derive(contract)


def _new(value, old):
    return old if value is None else Decimal(value)


def _figures(contract: Contract) -> dict:
    """The contract's figures a change records as "old"."""
    return {
        "old_annual_value": contract.annual_value,
        "old_uplift_percent": contract.uplift_percent,
        "old_end_date": contract.current_end_date,
        "old_provider_id": contract.provider_id,
        **{f"old_{name}": getattr(contract, name) for name in SHARES},
    }


def _effect(contract: Contract, change: ContractChange) -> tuple[Decimal, date]:
    """The change in whole-life value the change would make now, and the
    current end it would give, worked out on a copy of the contract."""
    copy = Contract.objects.get(pk=contract.pk)
    _apply(copy, change)
    return copy.whole_life_value - contract.whole_life_value, copy.current_end_date


def _check_new_figures(contract: Contract, change: ContractChange) -> None:
    if change.new_annual_value is not None and change.new_annual_value < 0:
        raise ContractError("The annual value cannot be negative.", field="new_annual_value")
    if change.new_uplift_percent is not None and change.new_uplift_percent < -100:
        raise ContractError("The uplift cannot be less than -100%.", field="new_uplift_percent")
    shares = [getattr(change, f"new_{name}") for name in SHARES]
    if any(s is not None for s in shares):
        if any(s is None for s in shares):
            raise ContractError(
                "Enter all three funding shares.", field="new_council_share_percent"
            )
        if sum(shares) != 100:
            raise ContractError(
                f"The funding shares must add up to 100%; they add up to {sum(shares):g}%.",
                field="new_council_share_percent",
            )
    if change.months_added:
        term = parsed_term(contract.term)
        if term.options_remaining(contract.options_taken) and not contract.options_closed:
            raise ContractError(
                "The contract still has extension options: take them through an extension "
                "request before extending beyond them.",
                field="months_added",
            )
    moved = [
        change.new_annual_value not in (None, contract.annual_value),
        change.new_uplift_percent not in (None, contract.uplift_percent),
        bool(change.months_added),
        change.new_provider_id not in (None, contract.provider_id),
        any(
            s is not None and s != getattr(contract, n) for s, n in zip(shares, SHARES, strict=True)
        ),
    ]
    if not any(moved):
        raise ContractError(
            "Enter at least one figure that changes: the annual value, the uplift, months "
            "added, the provider or the funding split.",
            field="new_annual_value",
        )


@transaction.atomic
def change_raise(*, contract: Contract, by, **answers) -> ContractChange:
    change = _build(locked(contract), by=by, **answers)
    change._history_user = by
    change._change_reason = "Change raised"
    change.save()
    notices.change_raised(change, by=by)
    return change


@transaction.atomic
def change_preview(*, contract: Contract, by, **answers) -> ContractChange:
    """The change as it would be raised, with its value effect, unsaved:
    for the check-your-answers page."""
    return _build(locked(contract), by=by, **answers)


def _build(
    contract: Contract,
    *,
    by,
    reason: str,
    explanation: str,
    effective_from: date,
    new_annual_value: Decimal | None = None,
    new_uplift_percent: Decimal | None = None,
    months_added: int = 0,
    new_provider=None,
    new_council_share_percent: Decimal | None = None,
    new_icb_share_percent: Decimal | None = None,
    new_other_share_percent: Decimal | None = None,
) -> ContractChange:
    if contract.is_draft:
        raise ContractError("This contract is a draft: change its details directly.")
    if contract.terminated_on:
        raise ContractError("This contract has been terminated: it can no longer be changed.")
    if contract.changes.filter(status__in=OPEN_CHANGE_STATUSES).exists():
        raise ContractError("There is already a change to this contract waiting for a decision.")
    if reason not in ChangeReason.values:
        raise ContractError("Select why the contract is changing.", field="reason")
    if not explanation.strip():
        raise ContractError("Explain what is changing and why.", field="explanation")
    if not contract.start_date <= effective_from <= contract.current_end_date:
        raise ContractError(
            f"The change must take effect between the start, {contract.start_date:%-d %B %Y}, "
            f"and the current end, {contract.current_end_date:%-d %B %Y}.",
            field="effective_from",
        )
    last = (
        contract.changes.filter(status=ChangeStatus.APPROVED)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if last is not None and effective_from < last:
        raise ContractError(
            f"Changes take effect in date order: the last one took effect on "
            f"{last:%-d %B %Y}. Raise a change from that date or later.",
            field="effective_from",
        )
    change = ContractChange(
        contract=contract,
        reason=reason,
        explanation=explanation.strip(),
        effective_from=effective_from,
        new_annual_value=new_annual_value,
        new_uplift_percent=new_uplift_percent,
        months_added=months_added or 0,
        new_provider=new_provider,
        new_council_share_percent=new_council_share_percent,
        new_icb_share_percent=new_icb_share_percent,
        new_other_share_percent=new_other_share_percent,
        requested_by=by,
        whole_life_before=contract.whole_life_value,
        **_figures(contract),
    )
    _check_new_figures(contract, change)
    try:
        change.value_effect, end = _effect(contract, change)
    except terms.TermError as exc:
        raise ContractError(str(exc), field="months_added") from exc
    if change.months_added:
        change.new_end_date = end
    return change


def _open_change(change: ContractChange, allowed) -> tuple[Contract, ContractChange]:
    contract = locked(change.contract)
    change = ContractChange.objects.select_for_update().get(pk=change.pk)
    change.contract = contract
    if change.status not in allowed:
        raise ContractError(
            f"This change is not waiting for this decision: {change.get_status_display().lower()}."
        )
    return contract, change


def _check_still_current(contract: Contract, change: ContractChange) -> None:
    """What the approver decides on must be the contract's figures now."""
    stale = any(getattr(change, name) != value for name, value in _figures(contract).items())
    if stale or _effect(contract, change)[0] != change.value_effect:
        raise ContractError(
            "The contract has changed since this change was raised. "
            "Withdraw it and raise a new one."
        )
    if contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists():
        raise ContractError(
            "An extension request is waiting for a decision on the current figures. "
            "Decide or withdraw it before approving this change."
        )


def _decide(change: ContractChange, *, by, status, reason: str, note: str) -> None:
    change.status = status
    change.decided_by = by
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change._history_user = by
    change._change_reason = note
    change.save()


def _require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise ContractError(f"Give the reason for {what}.", field="reason")
    return reason.strip()


def _make(contract: Contract, change: ContractChange, *, by) -> None:
    _check_still_current(contract, change)
    _apply(contract, change)
    save(contract, by=by, reason=f"Contract change approved: {change.summary}"[:100])


def _require_manager(change: ContractChange, by, action: str) -> None:
    if change.requested_by_id == by.pk:
        raise ContractError(OWN_CHANGE)
    if not by.has_role(Role.APPROVING_MANAGER):
        raise ContractError(f"Only an approving manager can {action} a contract change.")


def approval_refusal(change: ContractChange, user) -> str | None:
    """Why `user` may not approve the change themselves, if so."""
    try:
        check_may_approve(
            requester_id=change.requested_by_id,
            approver_id=user.pk,
            approver_is_manager=user.has_role(Role.APPROVING_MANAGER),
            approver_limit=user.delegated_authority_limit,
            # A decrease is as much a decision as an increase.
            value=abs(change.value_effect),
            what="contract change",
            requests="contract changes",
        )
    except ApprovalRefused as exc:
        return str(exc)
    return None


@transaction.atomic
def change_approve(*, change: ContractChange, by, reason: str) -> ContractChange:
    contract, change = _open_change(change, (ChangeStatus.PENDING,))
    refusal = approval_refusal(change, by)
    if refusal:
        raise ContractError(refusal)
    reason = _require_reason(reason, "approving the change")
    _make(contract, change, by=by)
    _decide(change, by=by, status=ChangeStatus.APPROVED, reason=reason, note="Approved")
    notices.change_decided(change, by=by)
    return change


@transaction.atomic
def change_reject(*, change: ContractChange, by, reason: str) -> ContractChange:
    _, change = _open_change(change, (ChangeStatus.PENDING,))
    _require_manager(change, by, "decide")
    reason = _require_reason(reason, "not approving the change")
    _decide(change, by=by, status=ChangeStatus.REJECTED, reason=reason, note="Not approved")
    notices.change_decided(change, by=by)
    return change


@transaction.atomic
def change_escalate(
    *, change: ContractChange, by, authority: str, reason: str = ""
) -> ContractChange:
    """Beyond the manager's delegated authority, the change goes upwards;
    within it they decide it themselves."""
    _, change = _open_change(change, (ChangeStatus.PENDING,))
    _require_manager(change, by, "escalate")
    limit = by.delegated_authority_limit
    if limit is not None and abs(change.value_effect) <= limit:
        raise ContractError(
            f"This change is within your delegated authority ({_money(limit)}): "
            "decide it yourself.",
            field="decision",
        )
    if not authority.strip():
        raise ContractError("Name the authority that will decide.", field="authority")
    change.status = ChangeStatus.ESCALATED
    change.higher_authority = authority.strip()
    change.escalated_by = by
    change.escalated_at = timezone.now()
    change.escalation_reason = reason.strip()
    change._history_user = by
    change._change_reason = f"Escalated to {change.higher_authority}"[:100]
    change.save()
    notices.escalated(change, by=by)
    return change


@transaction.atomic
def change_record_authority_decision(
    *, change: ContractChange, by, approved: bool, reference: str, reason: str
) -> ContractChange:
    contract, change = _open_change(change, (ChangeStatus.ESCALATED,))
    if change.requested_by_id == by.pk:
        raise ContractError("You cannot record the decision on a change you raised yourself.")
    if not reference.strip():
        raise ContractError(
            "Enter the reference of the decision, for example the Cabinet minute.",
            field="reference",
        )
    reason = _require_reason(reason, "the decision, as the authority gave it")
    change.authority_reference = reference.strip()
    if approved:
        _make(contract, change, by=by)
    status = ChangeStatus.APPROVED if approved else ChangeStatus.REJECTED
    note = f"{change.higher_authority} decision recorded"[:100]
    _decide(change, by=by, status=status, reason=reason, note=note)
    notices.change_decided(change, by=by)
    return change


@transaction.atomic
def change_withdraw(*, change: ContractChange, by, reason: str) -> ContractChange:
    contract, change = _open_change(change, OPEN_CHANGE_STATUSES)
    if by.pk not in (change.requested_by_id, contract.owner_id) and not by.has_role(
        Role.APPROVING_MANAGER
    ):
        raise ContractError(
            "Only the officer who raised the change, the contract owner or an approving "
            "manager can withdraw it."
        )
    reason = _require_reason(reason, "withdrawing the change")
    _decide(change, by=by, status=ChangeStatus.WITHDRAWN, reason=reason, note="Withdrawn")
    return change
