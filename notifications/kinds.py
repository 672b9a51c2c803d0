"""The kinds of notification and the council's defaults for them.

Plain Python: the models, the preferences page and the tests read it.
"""

from enum import StrEnum


class Kind(StrEnum):
    EXTENSION_RAISED = "extension_raised"
    CHANGE_RAISED = "change_raised"
    ESCALATED = "escalated"
    RESULTS_READY = "results_ready"
    EVALUATOR_ASSIGNED = "evaluator_assigned"
    DECISION_MADE = "decision_made"


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"


DELIVERY_LABELS = {
    Delivery.IMMEDIATE: "Straight away, in an email of its own",
    Delivery.DIGEST: "Once a day, in a summary sent at 7am",
}

# How each kind is named on the preferences page ("Tell me when ...") and in
# the admin, and the permission a person needs to be sent it at all: a kind
# nobody in the user's role can receive is not offered to them. None: anyone
# may receive it (a decision on something they raised or own; an escalation
# to an authority they are the recorded contact for).
LABELS = {
    Kind.EXTENSION_RAISED: "an extension request is raised in a service area you decide for",
    Kind.CHANGE_RAISED: "a contract change is raised in a service area you decide for",
    Kind.ESCALATED: "an extension or contract change is escalated to an authority you are "
    "the contact for",
    Kind.RESULTS_READY: "a call-off's results are ready for approval",
    Kind.EVALUATOR_ASSIGNED: "you are made an evaluator on a call-off",
    Kind.DECISION_MADE: "a decision is made on something you raised or own (an extension, "
    "a contract change or a call-off's results)",
}
PERMISSIONS = {
    Kind.EXTENSION_RAISED: "contracts.decide_extension",
    Kind.CHANGE_RAISED: "contracts.decide_change",
    Kind.ESCALATED: None,
    Kind.RESULTS_READY: "procurement.approve_results",
    Kind.EVALUATOR_ASSIGNED: "procurement.score_bids",
    Kind.DECISION_MADE: None,
}
# Mandatory kinds always go straight away, whatever the person chose
# (decision 0028). An extension has a decision deadline after which the
# option lapses, and an escalation usually waits for a meeting's agenda:
# neither should sit in tomorrow's summary. Administrators change these in
# the admin (Notifications > Notification kinds); these are the first values.
MANDATORY_BY_DEFAULT = {Kind.EXTENSION_RAISED, Kind.ESCALATED}


def choices(enum) -> list[tuple[str, str]]:
    labels = LABELS if enum is Kind else DELIVERY_LABELS
    return [(member.value, labels[member]) for member in enum]
