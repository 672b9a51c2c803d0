"""Writes to the contracts register: every change of state is one atomic
service that checks the allowed statuses and records who and why."""

from contracts.services.extensions import (
    extension_approve,
    extension_escalate,
    extension_record_authority_decision,
    extension_reject,
    extension_request_raise,
    extension_withdraw,
    extensions_lapse_overdue,
)
from contracts.services.register import (
    CONTRACT_FIELDS,
    ContractError,
    contract_create,
    contract_derive,
    contract_terminate,
    contract_update,
    options_record_taken,
)

__all__ = [
    "CONTRACT_FIELDS",
    "ContractError",
    "contract_create",
    "contract_derive",
    "contract_terminate",
    "contract_update",
    "extension_approve",
    "extension_escalate",
    "extension_record_authority_decision",
    "extension_reject",
    "extension_request_raise",
    "extension_withdraw",
    "extensions_lapse_overdue",
    "options_record_taken",
]
