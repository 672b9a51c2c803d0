"""Individual service funds at a supported living scheme (Islington).
Plain Python.

Core support at a scheme is shared equally among its residents as a virtual
budget paid to the provider (£1,000 a week across 10 people is £100 each);
the rest of each person's weekly individual budget goes onto their ISF
(£500 - £100 = £400). The person's assessed contribution is paid to the
council and offset against the virtual budget, so the ISF is untouched.
Shares are exact to the penny: any pennies left over go one each to the
first residents, so the shares add up to the core support exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

PENNY = Decimal("0.01")


class ISFError(ValueError):
    pass


@dataclass(frozen=True)
class Resident:
    reference: str  # never a name
    weekly_budget: Decimal
    contribution: Decimal = Decimal(0)


@dataclass(frozen=True)
class Split:
    resident: Resident
    virtual_budget: Decimal  # core support share, paid to the provider
    isf: Decimal  # onto the prepaid card
    council_pays_virtual: Decimal  # the virtual budget less the contribution
    contribution_offset: Decimal


def equal_shares(total: Decimal, count: int) -> list[Decimal]:
    if count < 1:
        raise ISFError("A scheme needs at least one resident.")
    base = (Decimal(total) / count).quantize(PENNY, rounding=ROUND_DOWN)
    left = int((Decimal(total) - base * count) / PENNY)
    return [base + PENNY if n < left else base for n in range(count)]


def scheme_split(core_support: Decimal, residents: Sequence[Resident]) -> list[Split]:
    shares = equal_shares(core_support, len(residents))
    splits = []
    for resident, share in zip(residents, shares, strict=True):
        if resident.weekly_budget < share:
            raise ISFError(
                f"{resident.reference}'s budget of £{resident.weekly_budget:,.2f} a week is less "
                f"than their share of core support, £{share:,.2f}."
            )
        if resident.contribution < 0:
            raise ISFError(f"{resident.reference}'s contribution cannot be negative.")
        if resident.contribution > share:
            raise ISFError(
                f"{resident.reference}'s contribution of £{resident.contribution:,.2f} a week is "
                f"more than their virtual budget, £{share:,.2f}: check the assessment."
            )
        offset = resident.contribution
        splits.append(
            Split(resident, share, resident.weekly_budget - share, share - offset, offset)
        )
    return splits


def scheme_value(residents: Sequence[Resident]) -> Decimal:
    """The scheme's weekly value: the sum of its residents' individual budgets."""
    return sum((r.weekly_budget for r in residents), Decimal(0))
