from contracts.models import Contract, ContractChange, ExtensionRequest
from core import history


def contract_history(contract: Contract) -> list[dict]:
    """The contract's edits, every extension decision and every contract
    change, newest first."""
    found = history.entries(
        contract.history.order_by("history_date"),
        subject=lambda r: "Contract",
    )
    found += history.entries(
        ExtensionRequest.history.filter(contract_id=contract.pk).order_by("history_date"),
        subject=lambda r: f"Extension request for {r.instance.option_label}",
    )
    found += history.entries(
        ContractChange.history.filter(contract_id=contract.pk).order_by("history_date"),
        subject=lambda r: f"Contract change: {r.instance.summary.lower()}",
    )
    return sorted(found, key=lambda e: e["when"], reverse=True)
