"""When approving an extension needs a recorded explanation. Plain Python.

The Cabinet delegated authority to agree extensions "on the basis of
performance and budget availability" (ILSS, seed 001). So an approval is
out of the ordinary, and the approver must say why they approve anyway,
when the evidence for either is missing or against it:

- no review of the contract's performance in the 12 months before the
  decision (nothing recent to base it on);
- the latest overall rating is Inadequate (the Procurement Act's lowest);
- the extension would over-commit a financial year's budget for the
  service area, or a year it adds has no budget recorded.

Each applying rule is one Reason; the service refuses an approval that has
reasons and no explanation (docs/decisions/0022).
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

NO_RECENT_REVIEW = "no_recent_review"
INADEQUATE = "inadequate"
OVER_COMMITTED = "over_committed"
NO_BUDGET = "no_budget"

# Short names, for the history's one-line note of the decision.
SHORT = {
    NO_RECENT_REVIEW: "no recent review",
    INADEQUATE: "Inadequate",
    OVER_COMMITTED: "over budget",
    NO_BUDGET: "no budget",
}

REVIEW_MONTHS = 12
INADEQUATE_RATING = "inadequate"  # performance.constants.PerformanceRating.INADEQUATE


@dataclass(frozen=True)
class Reason:
    rule: str
    # Completes "Explain why you approve the extension although …".
    clause: str

    @property
    def short(self) -> str:
        return SHORT[self.rule]

    @property
    def sentence(self) -> str:
        return self.clause[0].upper() + self.clause[1:] + "."


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or that month's last day (29 February
    less 12 months is 28 February)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _years(labels: Sequence[str]) -> str:
    labels = list(labels)
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def reasons_to_explain(
    *,
    latest_review_on: date | None,
    latest_rating: str | None,
    over_committed_years: Sequence[str],
    unbudgeted_years: Sequence[str] = (),
    today: date,
) -> list[Reason]:
    """The rules an approval on `today` would go against, in a fixed order.
    Years are labels like "2030/31"."""
    reasons = []
    since = months_before(today, REVIEW_MONTHS)
    if latest_review_on is None:
        reasons.append(
            Reason(NO_RECENT_REVIEW, "the contract's performance has never been reviewed")
        )
    elif latest_review_on < since:
        reasons.append(
            Reason(
                NO_RECENT_REVIEW,
                "there has been no review of performance in the last 12 months "
                f"(the latest was on {latest_review_on.day} "
                f"{calendar.month_name[latest_review_on.month]} {latest_review_on.year})",
            )
        )
    if latest_rating == INADEQUATE_RATING:
        reasons.append(Reason(INADEQUATE, "the latest overall rating is Inadequate"))
    if over_committed_years:
        years = _years(over_committed_years)
        budget = "budget" if len(over_committed_years) == 1 else "budgets"
        reasons.append(Reason(OVER_COMMITTED, f"it over-commits the {years} {budget}"))
    if unbudgeted_years:
        years = _years(unbudgeted_years)
        reasons.append(Reason(NO_BUDGET, f"no budget is recorded for {years}"))
    return reasons


def explanation_needed(reasons: Sequence[Reason], *, authority: str = "") -> str:
    """The error when an approval with reasons comes without an explanation:
    the approving manager's own, or (`authority`) the one a higher authority
    gave, as recorded."""
    *others, last = [r.clause for r in reasons]
    joined = "; ".join(others) + "; and " + last if others else last
    who = f"{authority} approved" if authority else "you approve"
    return f"Explain why {who} the extension although {joined}"


def _day(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def extension_refusal(
    *,
    is_draft: bool,
    terminated_on: date | None,
    options_closed: bool,
    option_count: int,
    options_taken: int,
    current_end_date: date,
    decision_deadline: date | None,
    has_open_request: bool,
    today: date,
) -> str:
    """Why no extension can be requested on `today`, in words for the
    officer, or "" when one can. The contract page offers "Request an
    extension" only when this is empty, and the request page and service
    refuse with the same words, so no page leads to a request that fails."""
    if is_draft:
        return "This contract is a draft: add it to the register before requesting an extension."
    if terminated_on is not None:
        last = _day(terminated_on)
        return f"This contract was terminated early (last day {last}): it cannot be extended."
    if option_count == 0:
        return "This contract has no extension options."
    if options_taken >= option_count:
        return "Every extension option on this contract has been taken."
    if options_closed:
        return "The remaining extension options on this contract will not be taken."
    if current_end_date < today:
        return f"This contract's term ended on {_day(current_end_date)}: it cannot be extended."
    if decision_deadline is not None and today > decision_deadline:
        return (
            f"The decision deadline for the next option was {_day(decision_deadline)}: "
            "the option has lapsed and can no longer be requested."
        )
    if has_open_request:
        return "There is already an extension request waiting for a decision."
    return ""
