from contracts.models import Contract, ExtensionRequest
from core import history


def contract_history(contract: Contract) -> list[dict]:
    """The contract's changes and every extension decision, newest first."""
    found = history.entries(
        contract.history.order_by("history_date"),
        subject=lambda r: "Contract",
    )
    found += history.entries(
        ExtensionRequest.history.filter(contract_id=contract.pk).order_by("history_date"),
        subject=lambda r: f"Extension request for {r.instance.option_label}",
    )
    return sorted(found, key=lambda e: e["when"], reverse=True)
