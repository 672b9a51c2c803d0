"""Adding many contracts in a few statements, for imports of a whole
register: the same derived fields, checks and history as contract_create
and options_record_taken, without a round trip per contract."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts.models import Contract
from contracts.services.register import (
    CONTRACT_FIELDS,
    ContractError,
    _check_funding,
    contract_derive,
    parsed_term,
)

BATCH = 1000


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
        # Kept aside until the contract is added, so its history reads as it
        # would have: added, then the options taken.
        contract._options_taken_before = options_taken
    return contract


@transaction.atomic
def contracts_create_many(*, by, contracts: list[Contract]) -> list[Contract]:
    """Add contracts made by contract_build, with their history records."""
    try:
        with transaction.atomic():
            created = bulk_create_with_history(
                contracts,
                Contract,
                batch_size=BATCH,
                default_user=by,
                default_change_reason="Contract added",
            )
    except IntegrityError as exc:  # a reference added by someone else meanwhile
        raise ContractError(
            "A contract in the file was added to the register by someone else during the "
            "import. Nothing was imported: run the import again.",
            field="reference",
        ) from exc
    earlier = [c for c in created if getattr(c, "_options_taken_before", 0)]
    for contract in earlier:
        contract.options_taken = contract._options_taken_before
        contract_derive(contract)
        contract._change_reason = f"{contract.options_taken} options taken before registration"
    if earlier:
        bulk_update_with_history(
            earlier,
            Contract,
            ["options_taken", "current_end_date", "decision_deadline"],
            batch_size=BATCH,
            default_user=by,
        )
    return created
