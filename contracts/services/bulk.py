"""Adding many contracts in a few statements, for imports of a whole
register: the same derived fields, checks and history as contract_create
and options_record_taken, without a round trip per contract."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Contract
from contracts.services.register import (
    CONTRACT_FIELDS,
    ContractError,
    _check_funding,
    contract_derive,
    parsed_term,
)
from core.bulk import copy_insert, copy_insert_history


def contract_build(*, options_taken: int = 0, **fields) -> Contract:
    """An unsaved contract with its derived fields, checked as contract_create
    and options_record_taken would check it. Raises ContractError."""
    unknown = set(fields) - set(CONTRACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contract fields: {', '.join(sorted(unknown))}")
    contract = Contract(**fields)
    contract_derive(contract)
    _check_funding(contract)
    if options_taken:
        term = parsed_term(contract.term)
        if options_taken > len(term.option_months):
            raise ContractError(
                f"Enter a number from 0 to {len(term.option_months)}: the term "
                f"{term.notation} has {len(term.option_months)} options.",
                field="options_taken",
            )
        # Options recorded as taken before the register are only those whose
        # decision is already past; later ones go through extension requests.
        if contract.decision_deadline is None or contract.decision_deadline >= timezone.localdate():
            raise ContractError(
                "The next option's decision deadline has not passed: "
                "take it through an extension request.",
                field="options_taken",
            )
        # The history reads as if the contract was added and then the options
        # recorded: two records, from one INSERT.
        before = {**contract.__dict__}
        contract.options_taken = options_taken
        contract_derive(contract)
        contract._before_options = {
            name: value
            for name, value in before.items()
            if not name.startswith("_") and contract.__dict__[name] != value
        }
        contract._change_reason = f"{options_taken} options taken before registration"
    return contract


@transaction.atomic
def contracts_create_many(*, by, contracts: list[Contract]) -> list[Contract]:
    """Add contracts made by contract_build, with their history records."""
    try:
        with transaction.atomic():
            copy_insert(Contract, contracts)
    except IntegrityError as exc:  # a reference added by someone else meanwhile
        raise ContractError(
            "A contract in the file was added to the register by someone else during the "
            "import. Nothing was imported: run the import again.",
            field="reference",
        ) from exc
    now = timezone.now()
    earlier = [c for c in contracts if hasattr(c, "_before_options")]
    added = [
        {**c.__dict__, **c._before_options, "_change_reason": None}
        if hasattr(c, "_before_options")
        else c
        for c in contracts
    ]
    copy_insert_history(Contract, added, by=by, reason="Contract added", when=now)
    # A microsecond later, so the options come after the addition in any order.
    copy_insert_history(Contract, earlier, by=by, reason="", when=now + timedelta(microseconds=1))
    return contracts
