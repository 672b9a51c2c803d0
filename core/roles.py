"""The service's roles and what each may do.

A role is a Django group whose permissions are declared here, in code, and
synchronised on every migrate, so the permissions model is reviewed like any
other change (docs/decisions/0002-roles-as-groups.md).
"""

from django.db import models


class Role(models.TextChoices):
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    PROCUREMENT_OFFICER = "procurement_officer", "Procurement officer"
    EVALUATOR = "evaluator", "Evaluator"
    APPROVING_MANAGER = "approving_manager", "Approving manager"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    ADMINISTRATOR = "administrator", "Administrator"
    AUDITOR = "auditor", "Read-only auditor"


_VIEW_REGISTER = {
    "providers.view_provider",
    "providers.view_providercontact",
    "core.view_organisation",
    "contracts.view_contract",
    "contracts.view_extensionrequest",
}
_MANAGE_CONTRACTS = {
    "contracts.add_contract",
    "contracts.change_contract",
    "contracts.raise_extension",
    "contracts.raise_change",
    "contracts.terminate_contract",
    "contracts.import_register",
    "performance.manage_performance",
    "documents.add_document",
    "documents.withdraw_document",
}
_MANAGE_PROVIDERS = {
    "providers.add_provider",
    "providers.change_provider",
    "providers.add_providercontact",
    "providers.change_providercontact",
    "providers.delete_providercontact",
}

_VIEW_PROCUREMENT = {"procurement.view_purchasingsystem"}
_VIEW_FINANCE = {"finance.view_budgetline"}
_EXPORT_FINANCE = {"finance.export_cabinet_summary", "finance.add_budgetline"}
_RENEGOTIATE = {"finance.change_resident", "finance.view_scheme"}
_RUN_PROCUREMENT = {"procurement.manage_procurement", "procurement.score_bids"}

# Evaluators are often care managers co-opted onto a panel: they see the bids
# they are asked to score, not the council's registers.
ROLE_PERMISSIONS: dict[Role, set[str]] = {
    # Commissioning officers sit on evaluation panels.
    Role.COMMISSIONING_OFFICER: _VIEW_REGISTER
    | _MANAGE_PROVIDERS
    | _MANAGE_CONTRACTS
    | _VIEW_PROCUREMENT
    | {"procurement.score_bids"}
    | _VIEW_FINANCE
    | _RENEGOTIATE,
    Role.PROCUREMENT_OFFICER: _VIEW_REGISTER
    | _MANAGE_PROVIDERS
    | {"contracts.add_contract"}
    | _VIEW_PROCUREMENT
    | _RUN_PROCUREMENT
    | _VIEW_FINANCE,
    Role.EVALUATOR: {"procurement.score_bids"},
    # Results are approved by someone other than the procurement team.
    Role.APPROVING_MANAGER: _VIEW_REGISTER
    | {"contracts.decide_extension", "contracts.decide_change"}
    | _VIEW_PROCUREMENT
    | {"procurement.approve_results"}
    | _VIEW_FINANCE,
    Role.FINANCE_OFFICER: _VIEW_REGISTER
    | _VIEW_PROCUREMENT
    | _VIEW_FINANCE
    | _EXPORT_FINANCE
    | _RENEGOTIATE,
    # Auditors also read who downloaded each contract's documents.
    Role.AUDITOR: _VIEW_REGISTER
    | _VIEW_PROCUREMENT
    | _VIEW_FINANCE
    | {"finance.view_scheme", "documents.view_documentdownload"},
}
# Administrators hold every permission the service defines.
ALL_PERMISSIONS = "__all__"


def sync_roles_after_migrate(**kwargs):
    from core.schedules import schedules_sync
    from core.services import roles_sync

    using = kwargs.get("using", "default")
    roles_sync(using=using)
    schedules_sync(using=using)
