"""Queue items from procurement: results to approve, evaluations to declare
and score, applications and clarifications to decide. Nothing here reads a
bid: an item names the call-off or the application, never a bidder."""

from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from core.roles import Role
from procurement.constants import AdmissionStatus, CallOffStatus
from procurement.models import Application, CallOff, EvaluatorAssignment
from work.items import QueueItem, Source, register
from work.sources._names import area_label, person, url

KINDS = {
    "results": "Results to approve",
    "evaluations": "Evaluations to declare and score",
    "applications": "Applications to decide",
    "clarifications": "Applications waiting on a clarification",
}

APPROVE = "procurement.approve_results"
MANAGE = "procurement.manage_procurement"
SCORE = "procurement.score_bids"

# An evaluator still to declare, or cleared and still to submit; a declared
# conflict is done (procurement.services.evaluation.outstanding_among).
_OUTSTANDING = Q(evaluators__has_conflict__isnull=True) | Q(
    evaluators__has_conflict=False, evaluators__submitted_at__isnull=True
)


def _applies(user) -> bool:
    return user.has_perm(APPROVE) or user.has_perm(MANAGE) or user.has_perm(SCORE)


def _results(audience) -> QuerySet[CallOff]:
    """Call-offs whose evaluators have all declared and submitted: the task
    list's "Approve the results" step is open (procurement.views.call_offs),
    for an approver who is not the call-off's author nor on its panel with a
    conflict or a declaration still to make (results_approve)."""
    user = audience.user
    found = (
        CallOff.objects.filter(status=CallOffStatus.EVALUATION)
        .annotate(
            panel=Count("evaluators"),
            outstanding=Count("evaluators", filter=_OUTSTANDING),
            ready_at=Max("evaluators__submitted_at"),
        )
        .filter(panel__gt=0, outstanding=0)
    )
    if user is not None and not user.has_perm(APPROVE):
        return found.none()
    if audience.team:
        return found.filter(lot__system__service_area__in=audience.areas)
    if user is not None:
        conflicted = EvaluatorAssignment.objects.filter(evaluator=user).exclude(has_conflict=False)
        found = found.exclude(created_by=user).exclude(pk__in=conflicted.values("call_off_id"))
    return found


def _evaluations(audience) -> QuerySet[EvaluatorAssignment]:
    """The user's own assignments still to declare or to score, on call-offs
    not yet approved, awarded or cancelled."""
    found = EvaluatorAssignment.objects.filter(
        Q(has_conflict__isnull=True) | Q(has_conflict=False, submitted_at__isnull=True),
        call_off__status__in=[CallOffStatus.DRAFT, CallOffStatus.OPEN, CallOffStatus.EVALUATION],
    )
    if audience.team:
        return found.filter(call_off__lot__system__service_area__in=audience.areas)
    if audience.user is not None:
        return found.filter(evaluator=audience.user)
    return found


def _applications(audience, status: str) -> QuerySet[Application]:
    user = audience.user
    if user is not None and not user.has_perm(MANAGE):
        return Application.objects.none()
    found = Application.objects.filter(admissions__status=status).distinct()
    if audience.team:
        return found.filter(system__service_area__in=audience.areas)
    return found


def _counts(audience, today: date) -> dict[str, QuerySet]:
    return {
        "results": _results(audience).values("pk"),
        "evaluations": _evaluations(audience),
        "applications": _applications(audience, AdmissionStatus.PENDING),
        "clarifications": _applications(audience, AdmissionStatus.CLARIFICATION),
    }


def _officer(user) -> str:
    if user is not None and user.has_role(Role.PROCUREMENT_OFFICER):
        return "You are a procurement officer"
    return "You are an administrator"


def _items(audience, today: date, oldest: int | None = None) -> list[QueueItem]:
    user = audience.user
    items = []
    results = _results(audience).order_by("ready_at", "pk")[:oldest]
    for call_off in results:
        items.append(
            QueueItem(
                kind="results",
                title=f"{call_off.reference} {call_off.title}: approve the results",
                href=url("procurement:results_approve", call_off.pk),
                since=timezone.localdate(call_off.ready_at or call_off.created_at),
                deadline=None,
                reason="You approve results: you did not prepare this call-off",
                waiting_for="Approving managers",
            )
        )
    assignments = _evaluations(audience).select_related("call_off__lot__system", "evaluator")
    for assignment in assignments.order_by("pk"):
        call_off = assignment.call_off
        todo = "declare any conflict" if assignment.has_conflict is None else "score the bids"
        evaluator = assignment.evaluator
        items.append(
            QueueItem(
                kind="evaluations",
                title=f"{call_off.reference} {call_off.title}: {todo}",
                href=url("procurement:evaluation", assignment.pk),
                since=timezone.localdate(call_off.created_at),
                deadline=None,
                reason="You are an evaluator on this call-off",
                waiting_for=person(evaluator.first_name, evaluator.last_name, evaluator.username),
            )
        )
    for kind, status in (
        ("applications", AdmissionStatus.PENDING),
        ("clarifications", AdmissionStatus.CLARIFICATION),
    ):
        found = _applications(audience, status).select_related("provider", "system")
        for application in found.order_by("received_on", "pk")[:oldest]:
            todo = "decide each lot" if kind == "applications" else "decide once clarified"
            items.append(
                QueueItem(
                    kind=kind,
                    title=f"{application.provider.legal_name} to join "
                    f"{application.system.reference}: {todo}",
                    href=url("procurement:application_detail", application.pk),
                    since=application.received_on,
                    deadline=None,
                    reason=_officer(user) + f" ({area_label(application.system.service_area)})",
                    waiting_for="Procurement officers",
                )
            )
    return items


register(
    Source(
        name="procurement",
        kinds=KINDS,
        applies=_applies,
        items=_items,
        counts=_counts,
        order=20,
    )
)
