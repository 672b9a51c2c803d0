"""Adding, changing and terminating contracts; keeping derived fields in step."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts import changes, terms
from contracts.constants import OPEN_EXTENSION_STATUSES, ExtensionStatus
from contracts.models import Contract
from contracts.models_changes import OPEN_CHANGE_STATUSES, ChangeStatus
from core import concurrency
from core.errors import ServiceError

# DecimalField(max_digits=14, decimal_places=2)
MAX_MONEY = Decimal("999999999999.99")

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


# Once a contract is live these move only through a contract change
# (contracts.services.changes, decision 19); a draft's can be typed over.
LIVE_FIGURES = (
    "start_date",
    "term",
    "annual_value",
    "uplift_percent",
    "provider",
    "council_share_percent",
    "icb_share_percent",
    "other_share_percent",
    "is_draft",
)
LIVE_FIGURES_REFUSAL = (
    "This contract is live: its {fields} can only change through a contract change."
)


class ContractError(ServiceError):
    """A change to the contracts register that is refused."""


class LiveFiguresError(ContractError):
    """An edit to a live contract's figures, which only a contract change may move."""


def parsed_term(notation: str) -> terms.Term:
    try:
        return terms.Term.parse(notation)
    except terms.TermError as exc:
        raise ContractError(str(exc), field="term") from exc


def contract_derive(contract: Contract) -> None:
    """Recompute the stored end dates, value and deadline from the term."""
    term = parsed_term(contract.term)
    contract.term = term.notation
    if contract.notice_months > term.initial_months:
        raise ContractError(
            f"The notice period ({contract.notice_months} months) is longer than the initial "
            f"period ({term.initial_months} months).",
            field="notice_months",
        )
    contract.option_count = len(term.option_months)
    start = contract.start_date
    contract.initial_end_date = term.initial_end(start)
    # Months added by approved changes run on from the options (decision 19).
    added = contract.months_added
    current = terms.period_end(start, term.months_after(contract.options_taken) + added)
    contract.max_end_date = max(term.max_end(start), current)
    if contract.terminated_on is not None:
        current = min(current, contract.terminated_on)
    contract.current_end_date = current
    try:
        contract.whole_life_value = _whole_life_value(contract, term.total_months + added)
    except (terms.TermError, changes.ScheduleError) as exc:
        raise ContractError(str(exc), field="annual_value") from exc
    if contract.whole_life_value > MAX_MONEY:
        raise ContractError(
            f"The whole-life value would be £{contract.whole_life_value:,.2f}, more than the "
            "register can hold: check the annual value and term.",
            field="annual_value",
        )
    open_options = term.options_remaining(contract.options_taken) and not (
        contract.options_closed or contract.terminated_on
    )
    contract.decision_deadline = (
        terms.decision_deadline(current, contract.notice_months) if open_options else None
    )


def _whole_life_value(contract: Contract, months: int) -> Decimal:
    """The award's figures by months (decision 5) until a change is approved;
    then the value schedule, each part spread over its own days."""
    if contract.change_schedule:
        entries = changes.parse_schedule(contract.change_schedule)
        return changes.schedule_value(contract.start_date, months, entries)
    return terms.value_for_months(
        Decimal(contract.annual_value),
        first_month=0,
        months=months,
        uplift_percent=Decimal(contract.uplift_percent),
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


def save(contract: Contract, *, by, reason: str) -> Contract:
    contract_derive(contract)
    _check_funding(contract)
    contract._history_user = by
    contract._change_reason = reason
    concurrency.save_next_version(contract)
    return contract


@transaction.atomic
def contract_create(*, by, additional_providers=(), **fields) -> Contract:
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {', '.join(sorted(unknown))}")
    duplicate = ContractError(
        f"A contract with reference {fields.get('reference')} is already in the register.",
        field="reference",
    )
    if Contract.objects.filter(reference=fields.get("reference")).exists():
        raise duplicate
    try:
        with transaction.atomic():
            contract = save(Contract(**fields), by=by, reason="Contract added")
    except IntegrityError as exc:  # added by someone else a moment ago
        raise duplicate from exc
    if additional_providers:
        contract.additional_providers.set(additional_providers)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, by, version: int | None = None, **fields) -> Contract:
    """Change the details; `version` is the one the edit page showed, and a
    save from a page opened before somebody else's change is refused."""
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {', '.join(sorted(unknown))}")
    contract = concurrency.lock(Contract.objects, pk=contract.pk, version=version)
    if "term" in fields:
        # Compare like with like: "36m" is stored as "3".
        new = parsed_term(fields["term"])
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
    figures = [name for name in LIVE_FIGURES if name in changed]
    if figures and not contract.is_draft:
        raise LiveFiguresError(
            LIVE_FIGURES_REFUSAL.format(fields=live_figures_text(figures)), field=figures[0]
        )
    figures = set(changed) & {"start_date", "term", "annual_value", "uplift_percent"}
    if figures and contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists():
        # An approver decides on the figures in the request; they must not move.
        raise ContractError(
            "An extension request is waiting for a decision on the current figures. "
            "Withdraw it before changing the start date, term, value or uplift.",
            field=sorted(figures)[0],
        )
    for name, value in changed.items():
        setattr(contract, name, value)
    return save(contract, by=by, reason="Contract details changed")


def live_figures_text(names) -> str:
    labels = {
        "start_date": "start date",
        "term": "term",
        "annual_value": "annual value",
        "uplift_percent": "uplift",
        "provider": "provider",
        "council_share_percent": "funding split",
        "icb_share_percent": "funding split",
        "other_share_percent": "funding split",
        "is_draft": "draft status",
    }
    words = list(dict.fromkeys(labels[n] for n in names))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def contract_terminate(*, contract: Contract, by, terminated_on: date, reason: str) -> Contract:
    contract = locked(contract)
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
    for request in contract.extensions.select_for_update().filter(
        status__in=OPEN_EXTENSION_STATUSES
    ):
        request.status = ExtensionStatus.WITHDRAWN
        request.decided_by = by
        request.decided_at = timezone.now()
        request.decision_reason = "Contract terminated"
        request._history_user = by
        request._change_reason = "Withdrawn: contract terminated"
        request.save()
    for change in contract.changes.select_for_update().filter(status__in=OPEN_CHANGE_STATUSES):
        change.status = ChangeStatus.WITHDRAWN
        change.decided_by = by
        change.decided_at = timezone.now()
        change.decision_reason = "Contract terminated"
        change._history_user = by
        change._change_reason = "Withdrawn: contract terminated"
        change.save()
    # No option can be taken once the contract is ending early.
    contract.options_closed = True
    contract.terminated_on = terminated_on
    contract.termination_reason = reason.strip()
    return save(contract, by=by, reason=f"Terminated early: {reason.strip()}")


@transaction.atomic
def options_record_taken(
    *, contract: Contract, by, options_taken: int, rest_not_taken: bool = False, note: str = ""
) -> Contract:
    """Record decisions made before the contract entered the register: how
    many options were taken and, if so, that the rest will not be. Only for
    options whose decision deadline has already passed; later options go
    through extension requests."""
    contract = locked(contract)
    term = parsed_term(contract.term)
    if not contract.options_taken <= options_taken <= len(term.option_months):
        raise ContractError(
            f"Enter a number from {contract.options_taken} to {len(term.option_months)}: "
            f"the term {term.notation} has {len(term.option_months)} options and "
            f"{contract.options_taken} are already recorded.",
            field="options_taken",
        )
    if contract.options_closed or contract.terminated_on:
        raise ContractError("This contract's options have already been decided.")
    if contract.extensions.filter(status__in=OPEN_EXTENSION_STATUSES).exists():
        raise ContractError("An extension request is waiting for a decision: decide it instead.")
    if contract.decision_deadline is None or contract.decision_deadline >= timezone.localdate():
        raise ContractError(
            "The next option's decision deadline has not passed: "
            "take it through an extension request."
        )
    contract.options_taken = options_taken
    contract.options_closed = rest_not_taken
    reason = f"{options_taken} options taken before registration"
    if rest_not_taken:
        reason += "; the rest not taken"
    if note.strip():
        reason += f": {note.strip()}"
    return save(contract, by=by, reason=reason[:100])
