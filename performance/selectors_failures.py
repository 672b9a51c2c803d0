"""Reads of a contract's performance failures and improvement plans, for
their own pages, the contract page and the extension pages. Each is a fixed
number of queries however many failures or plans there are."""

from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from core import history
from performance import failure_rules
from performance.constants import ImprovementPlanStatus
from performance.models import ImprovementPlan, PerformanceFailure

# The contract page lists this many failures and links to the rest.
SUMMARY_FAILURES = 5


def _open_first(failures: QuerySet) -> QuerySet:
    ongoing_first = Case(
        When(is_ongoing=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return failures.order_by(ongoing_first, "-started_on", "-pk")


def contract_failures(contract) -> QuerySet[PerformanceFailure]:
    """The contract's failures, ongoing ones first, then newest first."""
    return _open_first(
        PerformanceFailure.objects.filter(contract_id=contract.pk).select_related("recorded_by")
    )


def failures_in_term(contract, since: date | None = None) -> QuerySet[PerformanceFailure]:
    """The failures that happened, at least in part, on or after `since`
    (the contract's start if not given): the term so far, for an extension
    decision. A failure that began earlier and ran on into it counts."""
    since = since or contract.start_date
    return contract_failures(contract).filter(Q(is_ongoing=True) | Q(ended_on__gte=since))


def with_state(plan: ImprovementPlan | None, today: date | None = None):
    """Sets `plan.state` ("open", "overdue", "met", "not_met") and
    `plan.is_overdue`, and returns the plan."""
    if plan is not None:
        plan.state = failure_rules.plan_state(
            status=plan.status, improve_by=plan.improve_by, today=today or timezone.localdate()
        )
        plan.is_overdue = plan.state == "overdue"
    return plan


def open_improvement_plan(contract, today: date | None = None) -> ImprovementPlan | None:
    """The contract's open improvement plan, if the provider has been
    warned, with `state` and `is_overdue` set (see with_state). One query."""
    plan = (
        ImprovementPlan.objects.filter(contract_id=contract.pk, status=ImprovementPlanStatus.OPEN)
        .select_related("raised_by")
        .first()
    )
    return with_state(plan, today)


def contract_improvement_plans(contract, today: date | None = None) -> list[ImprovementPlan]:
    plans = ImprovementPlan.objects.filter(contract_id=contract.pk).select_related("raised_by")
    return [with_state(p, today) for p in plans.order_by("-warned_on", "-pk")]


def latest_plan(contract) -> ImprovementPlan | None:
    """The open improvement plan if there is one, else the latest closed one."""
    # A contract has a plan or two, not hundreds: open-first is picked here
    # rather than ordered by the database, a cheaper query on the most read
    # page of the service.
    plans = list(
        ImprovementPlan.objects.filter(contract_id=contract.pk).order_by("-warned_on", "-pk")
    )
    return next((p for p in plans if p.status == ImprovementPlanStatus.OPEN), None) or next(
        iter(plans), None
    )


_NOT_READ = object()


def failures_summary(contract, today: date | None = None, plan=_NOT_READ) -> dict:
    """What the contract page's card shows: the first few failures (ongoing
    first), how many there are and how many are ongoing, and the plan from
    latest_plan (pass it when the page has read it already). Two queries,
    or one."""
    # A contract has a handful of failures, not hundreds: one read of them
    # all gives the counts too, a query fewer on the most read page.
    found = list(
        PerformanceFailure.objects.filter(contract_id=contract.pk)
        .only("pk", "contract_id", "obligation", "started_on", "ended_on", "is_ongoing", "outcome")
        .order_by("-started_on", "-pk")
    )
    # Ongoing first, as contract_failures orders them (a stable sort).
    found.sort(key=lambda f: not f.is_ongoing)
    if plan is _NOT_READ:
        plan = latest_plan(contract)
    return {
        "failures": found[:SUMMARY_FAILURES],
        "total": len(found),
        "ongoing": sum(1 for f in found if f.is_ongoing),
        "plan": with_state(plan, today),
    }


def _labelled(entries: list[dict], model) -> list[dict]:
    """Newest first, with a choice's label ("Damages") for its stored value
    ("damages"), as the rest of the page shows it."""
    labels = {
        f.verbose_name: dict(f.flatchoices)
        for f in model._meta.concrete_fields
        if f.choices and not f.is_relation
    }
    for entry in entries:
        for change in entry["changes"]:
            choices = labels.get(change["field"])
            if choices:
                change["old"] = str(choices.get(change["old"], change["old"]))
                change["new"] = str(choices.get(change["new"], change["new"]))
    return list(reversed(entries))


def failure_history(failure: PerformanceFailure) -> list[dict]:
    found = history.entries(
        failure.history.order_by("history_date", "pk"), subject=lambda r: "Performance failure"
    )
    return _labelled(found, PerformanceFailure)


def plan_history(plan: ImprovementPlan) -> list[dict]:
    found = history.entries(
        plan.history.order_by("history_date", "pk"), subject=lambda r: "Improvement plan"
    )
    return _labelled(found, ImprovementPlan)
