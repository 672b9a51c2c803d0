"""What on the register waits for someone: the one read behind the Decisions
due page, the work queue's contract items and every count of them, so the
page, the home page and the navigation cannot disagree (decision 27).

Each kind is a queryset built here once; a list evaluates it and a count
counts it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Max, Min, Q, QuerySet
from django.utils import timezone

from contracts.constants import (
    OPEN_EXTENSION_STATUSES,
    ExtensionStatus,
    ReminderKind,
    ReminderStatus,
)
from contracts.models import ExtensionRequest, Reminder, ServiceAreaSettings
from contracts.models_changes import OPEN_CHANGE_STATUSES, ChangeStatus, ContractChange
from core.roles import Role
from performance import calendar
from performance.constants import ReturnStatus
from performance.models import MonitoringReturn

# In the order the Decisions due page shows them.
KINDS = ("extensions", "changes", "decisions", "returns", "reviews", "endings")


@dataclass(frozen=True)
class Audience:
    """Whose work: one person's (`user`), their team's (the service areas
    `areas` they manage, whoever it waits for) or, with neither, everyone's."""

    user: object = None
    areas: tuple[str, ...] = ()
    team: bool = False
    # Areas with approving managers named; a request in another area waits
    # for every approving manager, so that it waits for somebody.
    named_areas: tuple[str, ...] = field(default=())
    # What a source worked out once for this audience (the budget's figures),
    # so the counts and the items do not read it twice.
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def everyone(self) -> bool:
        return self.user is None and not self.team


def audience_for(user, *, team: bool = False) -> Audience:
    """One query: the service areas the user manages, and which areas have
    anyone named at all."""
    rows = ServiceAreaSettings.objects.filter(managers__isnull=False).values_list(
        "service_area", "managers"
    )
    named, mine = set(), set()
    for area, manager_id in rows:
        named.add(area)
        if manager_id == user.pk:
            mine.add(area)
    if team:
        return Audience(areas=tuple(sorted(mine)), team=True, named_areas=tuple(sorted(named)))
    return Audience(user=user, areas=tuple(sorted(mine)), named_areas=tuple(sorted(named)))


def is_manager(user) -> bool:
    return user.has_role(Role.APPROVING_MANAGER)


def _for_deciders(found: QuerySet, audience: Audience, *, pending: str, escalated: str) -> QuerySet:
    """Extension requests and contract changes wait, while pending, for the
    approving managers of the contract's service area (everyone approving if
    the area names nobody), never for the one who raised them; once
    escalated, for the manager who escalated, to record the authority's
    decision (contracts.services)."""
    if audience.everyone:
        return found
    if audience.team:
        return found.filter(contract__service_area__in=audience.areas)
    user = audience.user
    if not is_manager(user):
        return found.none()
    area = Q(contract__service_area__in=audience.areas) | ~Q(
        contract__service_area__in=audience.named_areas
    )
    to_decide = Q(status=pending) & area & ~Q(requested_by=user)
    return found.filter(to_decide | Q(status=escalated, escalated_by=user))


def extensions_waiting(audience: Audience) -> QuerySet[ExtensionRequest]:
    found = ExtensionRequest.objects.filter(status__in=OPEN_EXTENSION_STATUSES)
    found = _for_deciders(
        found, audience, pending=ExtensionStatus.PENDING, escalated=ExtensionStatus.ESCALATED
    )
    return found.order_by("requested_at", "pk")


def changes_waiting(audience: Audience) -> QuerySet[ContractChange]:
    found = ContractChange.objects.filter(status__in=OPEN_CHANGE_STATUSES)
    found = _for_deciders(
        found, audience, pending=ChangeStatus.PENDING, escalated=ChangeStatus.ESCALATED
    )
    return found.order_by("requested_at", "pk")


def _reminders(kind: str, audience: Audience, today: date) -> QuerySet:
    """Extension decisions due and contracts ending: what the reminders sent
    so far ask people to act on that is still open, one row per contract
    and event (the in-app copy of the emails), to those they were sent to."""
    if kind == ReminderKind.EXPIRY:
        still_open = Q(event_date=F("contract__current_end_date"), contract__terminated_on=None)
    else:
        still_open = Q(event_date=F("contract__decision_deadline"))
    found = Reminder.objects.filter(
        still_open, kind=kind, event_date__gte=today, due_date__lte=today
    ).exclude(status=ReminderStatus.NOT_NEEDED)
    if audience.team:
        found = found.filter(contract__service_area__in=audience.areas)
    elif audience.user is not None:
        found = found.filter(recipients__user=audience.user)
    return (
        found.values(
            "kind",
            "event_date",
            "contract_id",
            "contract__reference",
            "contract__title",
            "contract__current_end_date",
            "contract__decision_deadline",
            "contract__owner_id",
            "contract__owner__first_name",
            "contract__owner__last_name",
            "contract__owner__username",
            "contract__service_area",
        )
        .annotate(first_reminded=Min("due_date"), last_reminded=Max("due_date"))
        .order_by("event_date", "contract__reference")
    )


def _monitoring(status: str, audience: Audience) -> QuerySet:
    """Returns waiting for the provider ("returns") or for the officer's
    review ("reviews"), on the contracts the user owns: the owner is the one
    the reminders ask to act."""
    found = MonitoringReturn.objects.filter(status=status)
    if audience.team:
        found = found.filter(contract__service_area__in=audience.areas)
    elif audience.user is not None:
        found = found.filter(contract__owner=audience.user)
    return found.values(
        "pk", "status", "period_start", "period_end", "due_date", "contract_id",
        "contract__reference", "contract__title", "contract__service_area", "contract__owner_id",
        "contract__owner__first_name", "contract__owner__last_name", "contract__owner__username",
    ).order_by("due_date", "contract__reference", "period_start")  # fmt: skip


def querysets(audience: Audience, *, today: date) -> dict[str, QuerySet]:
    return {
        "extensions": extensions_waiting(audience),
        "changes": changes_waiting(audience),
        "decisions": _reminders(ReminderKind.DECISION, audience, today),
        "endings": _reminders(ReminderKind.EXPIRY, audience, today),
        "returns": _monitoring(ReturnStatus.DUE, audience),
        "reviews": _monitoring(ReturnStatus.SUBMITTED, audience),
    }


# The order each kind's items waited in, for a queue that reads only the
# oldest few of each (`oldest`): when each was raised, first reminded, or
# the end of the period the return is for.
_OLDEST_FIRST = {
    "extensions": ("requested_at", "pk"),
    "changes": ("requested_at", "pk"),
    "decisions": ("first_reminded", "event_date", "contract__reference"),
    "endings": ("first_reminded", "event_date", "contract__reference"),
    "returns": ("period_end", "due_date", "pk"),
    "reviews": ("period_end", "due_date", "pk"),
}

_PEOPLE = ("first_name", "last_name", "username")
_REQUEST_FIELDS = (
    "contract_id", "first_option", "options_requested", "value", "status", "requested_at",
    "higher_authority", "contract__reference", "contract__title", "contract__service_area",
    "contract__decision_deadline", "contract__owner_id",
    *(f"requested_by__{f}" for f in _PEOPLE), *(f"escalated_by__{f}" for f in _PEOPLE),
)  # fmt: skip
_CHANGE_FIELDS = (
    "contract_id", "status", "requested_at", "effective_from", "higher_authority",
    "value_effect", "new_annual_value", "new_uplift_percent", "months_added",
    "new_provider_id", "new_council_share_percent", "contract__reference", "contract__title",
    "contract__service_area", "contract__owner_id",
    *(f"requested_by__{f}" for f in _PEOPLE), *(f"escalated_by__{f}" for f in _PEOPLE),
)  # fmt: skip


def decisions_due(
    audience: Audience, *, today: date | None = None, oldest: int | None = None
) -> dict[str, list]:
    """Every kind's rows, with the deadline of each monitoring row; with
    `oldest`, only that many of each kind, the longest waiting first (the
    counts stay with decisions_due_counts)."""
    today = today or timezone.localdate()
    found = querysets(audience, today=today)
    found["extensions"] = (
        found["extensions"]
        .select_related("contract", "requested_by", "escalated_by")
        .only(*_REQUEST_FIELDS)
    )
    found["changes"] = (
        found["changes"]
        .select_related("contract", "requested_by", "escalated_by")
        .only(*_CHANGE_FIELDS)
    )
    if oldest is not None:
        found = {kind: qs.order_by(*_OLDEST_FIRST[kind])[:oldest] for kind, qs in found.items()}
    rows = {kind: list(qs) for kind, qs in found.items()}
    review_days = dict(ServiceAreaSettings.objects.values_list("service_area", "review_due_days"))
    for row in rows["returns"]:
        row["deadline"] = row["due_date"]
    for row in rows["reviews"]:
        days = review_days.get(row["contract__service_area"], calendar.REVIEW_DUE_DAYS)
        row["deadline"] = calendar.review_due_date(row["due_date"], days)
    for row in rows["returns"] + rows["reviews"]:
        row["is_overdue"] = row["deadline"] < today
    if oldest is None:
        rows["reviews"].sort(key=lambda row: (row["deadline"], row["contract__reference"]))
    return rows


def decisions_due_counts(audience: Audience, *, today: date | None = None) -> dict[str, int]:
    """The same rows counted, one COUNT a kind."""
    today = today or timezone.localdate()
    return {kind: qs.count() for kind, qs in querysets(audience, today=today).items()}
