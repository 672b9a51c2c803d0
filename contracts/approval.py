"""Who may decide an extension request: the council's delegation rules.

Plain Python, no Django: the services call it, the tests call it directly.
"""

from decimal import Decimal


class ApprovalRefused(Exception):
    """The decision is not this person's to make; the message says why."""


def check_may_approve(
    *,
    requester_id: int | None,
    approver_id: int,
    approver_is_manager: bool,
    approver_limit: Decimal | None,
    value: Decimal,
) -> None:
    """Raise ApprovalRefused unless this approving manager may approve an
    extension worth `value` themselves."""
    if not approver_is_manager:
        raise ApprovalRefused("Only an approving manager can decide extension requests.")
    if requester_id is not None and requester_id == approver_id:
        # Separation of duties: a second person always looks at the case.
        raise ApprovalRefused("You cannot decide an extension request you raised yourself.")
    if approver_limit is None or value > approver_limit:
        limit = "no delegated authority" if approver_limit is None else f"£{approver_limit:,.2f}"
        raise ApprovalRefused(
            f"This extension is worth £{value:,.2f}, more than your delegated authority "
            f"({limit}). Escalate it to a higher authority and record their decision."
        )
