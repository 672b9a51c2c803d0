"""Who is told when a call-off's evaluation puts work in their queue, or
its results are approved (decision 0028)."""

from django.urls import reverse

from notifications import recipients
from notifications.kinds import Kind
from notifications.services import notify
from procurement.constants import CallOffStatus


def evaluator_assigned(assignment, *, by) -> None:
    call_off = assignment.call_off
    if by is not None and assignment.evaluator_id == by.pk:
        return  # nobody is told of what they did themselves
    notify(
        kind=Kind.EVALUATOR_ASSIGNED,
        users=[assignment.evaluator],
        subject_object=assignment,
        event="assigned",
        subject=f"You are an evaluator for {call_off.reference}",
        body=f"You are on the evaluation panel for {call_off.reference} {call_off.title}. "
        "First declare whether you have a conflict of interest; then, once evaluation "
        "starts, score each bid.",
        path=reverse("procurement:evaluation", args=[assignment.pk]),
    )


def approvers(call_off) -> list:
    """Who may approve the results: holders of procurement.approve_results,
    except the call-off's author and anyone on its panel who declared a
    conflict or has not declared (procurement.services.results_approve)."""
    barred = set(
        call_off.evaluators.exclude(has_conflict=False).values_list("evaluator_id", flat=True)
    )
    barred.add(call_off.created_by_id)
    return [
        user
        for user in recipients.users_with_permission("procurement.approve_results")
        if user.pk not in barred
    ]


def results_ready(call_off) -> None:
    """Once moderation has recorded every consensus score."""
    from procurement.selectors import results

    if call_off.status != CallOffStatus.EVALUATION or results(call_off).missing:
        return
    notify(
        kind=Kind.RESULTS_READY,
        users=approvers(call_off),
        subject_object=call_off,
        event="ready",
        subject=f"Results to approve: {call_off.reference}",
        body=f"Moderation of {call_off.reference} {call_off.title} is complete: every "
        "consensus score is recorded. The results are ready for your approval.",
        path=reverse("procurement:results_approve", args=[call_off.pk]),
    )


def results_approved(call_off, *, by) -> None:
    author = call_off.created_by
    notify(
        kind=Kind.DECISION_MADE,
        users=[author] if author is not None and author.pk != by.pk else [],
        subject_object=call_off,
        event="results_approved",
        subject=f"Results approved: {call_off.reference}",
        body=f"{by.get_full_name() or by.username} approved the results of "
        f"{call_off.reference} {call_off.title}. They are locked; the call-off can be awarded.",
        path=reverse("procurement:call_off_detail", args=[call_off.pk]),
    )
