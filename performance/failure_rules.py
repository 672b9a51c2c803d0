"""What makes a record of a performance failure or an improvement plan
consistent, as plain Python: the form shows every problem at once, and the
service refuses the first one, whoever calls it.

Each check returns (field, message) pairs in the GOV.UK error pattern, in
the order the fields appear on the page.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# FailureOutcome values, repeated here so this module needs no Django.
DAMAGES = "damages"
OTHER = "other"

# ImprovementPlanStatus values.
OPEN, MET, NOT_MET = "open", "met", "not_met"

Problem = tuple[str, str]


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


@dataclass(frozen=True)
class FailureFacts:
    started_on: date
    ended_on: date | None
    is_ongoing: bool
    outcome: str
    damages_amount: Decimal | None
    outcome_notes: str = ""


def failure_problems(
    facts: FailureFacts, *, today: date, contract_start: date | None = None
) -> list[Problem]:
    """Everything wrong with a failure as recorded on `today`."""
    problems: list[Problem] = []
    if facts.started_on > today:
        # A failure is recorded once it has happened; a future one is a
        # typing error (2062 for 2026).
        problems.append(("started_on", "The date it started must be today or in the past"))
    elif contract_start is not None and facts.started_on < contract_start:
        problems.append(
            (
                "started_on",
                "The date it started must be the same as or after the contract's start, "
                f"{_day(contract_start)}",
            )
        )
    if facts.ended_on is not None:
        if facts.ended_on > today:
            problems.append(("ended_on", "The date it ended must be today or in the past"))
        elif facts.ended_on < facts.started_on:
            problems.append(
                ("ended_on", "The date it ended must be the same as or after the date it started")
            )
        if facts.is_ongoing:
            problems.append(
                (
                    "is_ongoing",
                    "Select no if the failure has ended, or remove the date it ended",
                )
            )
    elif not facts.is_ongoing:
        problems.append(("ended_on", "Enter the date it ended, or select that it is ongoing"))
    if facts.outcome == DAMAGES:
        if facts.damages_amount is None:
            problems.append(("damages_amount", "Enter the amount of damages"))
        elif facts.damages_amount <= 0:
            problems.append(("damages_amount", "The amount of damages must be more than £0"))
    elif facts.damages_amount is not None:
        problems.append(
            ("damages_amount", "Leave the amount of damages empty unless the outcome is damages")
        )
    if facts.outcome == OTHER and not facts.outcome_notes.strip():
        problems.append(("outcome_notes", "Describe the outcome"))
    return problems


def plan_warning_problems(*, warned_on: date, improve_by: date, today: date) -> list[Problem]:
    problems: list[Problem] = []
    if warned_on > today:
        problems.append(("warned_on", "The date of the warning must be today or in the past"))
    if improve_by < warned_on:
        problems.append(
            (
                "improve_by",
                "The date to improve by must be the same as or after the date of the warning",
            )
        )
    return problems


def plan_closing_problems(*, warned_on: date, closed_on: date, today: date) -> list[Problem]:
    if closed_on > today:
        return [("closed_on", "The date it was closed must be today or in the past")]
    if closed_on < warned_on:
        return [
            (
                "closed_on",
                "The date it was closed must be the same as or after the date of the warning, "
                f"{_day(warned_on)}",
            )
        ]
    return []


def plan_state(*, status: str, improve_by: date, today: date) -> str:
    """ "open", "overdue", "met" or "not_met": an open plan whose improve-by
    date has passed is overdue, so somebody decides whether it was met."""
    if status == OPEN and improve_by < today:
        return "overdue"
    return status
