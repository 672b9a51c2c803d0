"""Reads of contract changes: the list on the contract page and the
cumulative change against the award, from one query however many changes."""

from dataclasses import dataclass
from decimal import Decimal

from contracts import changes, terms
from contracts.models import Contract
from contracts.models_changes import OPEN_CHANGE_STATUSES, ChangeStatus, ContractChange


@dataclass(frozen=True)
class ChangesSummary:
    changes: list[ContractChange]
    annual: changes.CumulativeChange  # the annual value before uplift
    whole_life: changes.CumulativeChange
    months_added: int
    term_over_threshold: bool

    @property
    def over_threshold(self) -> bool:
        """More than 10% either way, on any of the Act's measures (decision 19)."""
        return (
            self.annual.over_threshold or self.whole_life.over_threshold or self.term_over_threshold
        )

    @property
    def approved(self) -> list[ContractChange]:
        return [c for c in self.changes if c.status == ChangeStatus.APPROVED]

    @property
    def open_change(self) -> ContractChange | None:
        return next((c for c in self.changes if c.status in OPEN_CHANGE_STATUSES), None)


# What the contract page's list and the cumulative change read of each.
_LISTED = (
    "contract_id",
    "reason",
    "effective_from",
    "old_annual_value",
    "new_annual_value",
    "new_uplift_percent",
    "months_added",
    "new_provider_id",
    "new_council_share_percent",
    "value_effect",
    "whole_life_before",
    "status",
    "requested_at",
    "decided_at",
)


def contract_changes(contract: Contract) -> list[ContractChange]:
    # The contract page shows neither who raised nor who decided each change
    # (no joins to the users), nor the explanations and value schedules.
    return list(
        ContractChange.objects.filter(contract_id=contract.pk)
        .only(*_LISTED)
        .order_by("-requested_at", "-pk")
    )


def contract_changes_summary(contract: Contract) -> ChangesSummary:
    found = contract_changes(contract)
    # Oldest first: the first approved change's "before" is the award.
    approved = sorted(
        (c for c in found if c.status == ChangeStatus.APPROVED), key=lambda c: (c.decided_at, c.pk)
    )
    valued = [c for c in approved if c.new_annual_value is not None]
    award_annual = valued[0].old_annual_value if valued else Decimal(contract.annual_value)
    annual = changes.cumulative_change(
        award_annual, (c.new_annual_value - c.old_annual_value for c in valued)
    )
    award_whole_life = approved[0].whole_life_before if approved else contract.whole_life_value
    whole_life = changes.cumulative_change(award_whole_life, (c.value_effect for c in approved))
    added = sum(c.months_added for c in approved)
    max_months = terms.Term.parse(contract.term).total_months
    return ChangesSummary(
        changes=found,
        annual=annual,
        whole_life=whole_life,
        months_added=added,
        term_over_threshold=changes.term_over_threshold(max_months, added),
    )
