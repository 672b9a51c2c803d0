"""Who may decide an extension request or a contract change: the council's
delegation rules.

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
    what: str = "extension",
    requests: str = "extension requests",
) -> None:
    """Raise ApprovalRefused unless this approving manager may approve a
    decision worth `value` themselves. `what` names the thing decided ("an
    extension", "a contract change") and `requests` the things in plural,
    for the messages."""
    if not approver_is_manager:
        raise ApprovalRefused(f"Only an approving manager can decide {requests}.")
    if requester_id is not None and requester_id == approver_id:
        # Separation of duties: a second person always looks at the case.
        singular = requests.removesuffix("s")
        raise ApprovalRefused(
            f"You cannot decide {_article(singular)} {singular} you raised yourself."
        )
    if approver_limit is None or value > approver_limit:
        limit = "no delegated authority" if approver_limit is None else f"£{approver_limit:,.2f}"
        raise ApprovalRefused(
            f"This {what} is worth £{value:,.2f}, more than your delegated authority "
            f"({limit}). Escalate it to a higher authority and record their decision."
        )


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
