"""Queue items from the register: extension requests and contract changes
to decide, extension decisions due, contracts ending, monitoring returns and
reviews. Read through contracts.selectors_due, the same read as the
Decisions due page, so the two always agree."""

from datetime import date, datetime

from django.utils import timezone

from contracts import selectors_due
from contracts.models import ServiceAreaSettings
from work.items import QueueItem, Source, register
from work.sources._names import area_label, money, person, url

KINDS = {
    "extensions": "Extension requests to decide",
    "changes": "Contract changes to decide",
    "decisions": "Extension decisions due",
    "returns": "Monitoring returns due",
    "reviews": "Monitoring reviews due",
    "endings": "Contracts ending",
}


def _applies(user) -> bool:
    return user.has_perm("contracts.view_contract")


def _counts(audience, today: date):
    return selectors_due.querysets(audience, today=today)


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _area_managers(audience) -> dict[str, str]:
    """Each area's named approving managers, for the team view's "waiting for"."""
    if not audience.team:
        return {}
    names: dict[str, list[str]] = {}
    rows = ServiceAreaSettings.objects.filter(managers__isnull=False).values_list(
        "service_area", "managers__first_name", "managers__last_name", "managers__username"
    )
    for area, first, last, username in rows:
        names.setdefault(area, []).append(person(first, last, username))
    return {area: ", ".join(sorted(people)) for area, people in names.items()}


def _decider_reason(audience, record, what: str) -> tuple[str, str]:
    """Why a request or change is this manager's, and what they do with it."""
    area = record.contract.service_area
    if record.status == "escalated":
        return (
            f"You escalated it to {record.higher_authority}: record their decision",
            person(
                record.escalated_by.first_name,
                record.escalated_by.last_name,
                record.escalated_by.username,
            )
            if record.escalated_by
            else "",
        )
    if area in audience.areas:
        reason = f"You are an approving manager for {area_label(area)}"
    else:
        reason = f"You are an approving manager and nobody is named for {area_label(area)}"
    user = audience.user
    if user is not None:
        limit = user.delegated_authority_limit
        value = record.value if what == "extension" else abs(record.value_effect or 0)
        if limit is not None and value <= limit:
            reason += f"; within your delegated authority ({money(limit)})"
        else:
            reason += "; over your delegated authority: escalate it"
    return reason, ""


def _items(audience, today: date, oldest: int | None = None) -> list[QueueItem]:
    rows = selectors_due.decisions_due(audience, today=today, oldest=oldest)
    managers = _area_managers(audience)
    items = []
    for request in rows["extensions"]:
        contract = request.contract
        reason, waiting = _decider_reason(audience, request, "extension")
        items.append(
            QueueItem(
                kind="extensions",
                title=f"{contract.reference} {contract.title}: {request.option_label}",
                href=url(
                    "contracts:extension_authority"
                    if request.status == "escalated"
                    else "contracts:extension_decide",
                    request.contract_id,
                    request.pk,
                ),
                since=_day(request.requested_at),
                deadline=contract.decision_deadline,
                reason=reason,
                waiting_for=waiting or managers.get(contract.service_area, "Approving managers"),
                is_overdue=bool(contract.decision_deadline and contract.decision_deadline < today),
            )
        )
    for change in rows["changes"]:
        contract = change.contract
        reason, waiting = _decider_reason(audience, change, "change")
        items.append(
            QueueItem(
                kind="changes",
                title=f"{contract.reference} {contract.title}: {change.summary}",
                href=url(
                    "contracts:change_authority"
                    if change.status == "escalated"
                    else "contracts:change_decide",
                    change.contract_id,
                    change.pk,
                ),
                since=_day(change.requested_at),
                deadline=None,
                reason=reason,
                waiting_for=waiting or managers.get(contract.service_area, "Approving managers"),
            )
        )
    for kind in ("decisions", "endings"):
        for row in rows[kind]:
            items.append(_reminded(kind, row, audience, today))
    for kind in ("returns", "reviews"):
        for row in rows[kind]:
            items.append(_monitoring(kind, row))
    return items


def _owner(row) -> str:
    return person(
        row["contract__owner__first_name"],
        row["contract__owner__last_name"],
        row["contract__owner__username"],
    )


def _why_reminded(row, audience) -> str:
    if audience.user is not None and row["contract__owner_id"] == audience.user.pk:
        return "You own this contract"
    area = area_label(row["contract__service_area"])
    return f"The reminders go to you: approving manager for {area}"


def _reminded(kind: str, row, audience, today: date) -> QueueItem:
    if kind == "decisions":
        title = f"{row['contract__reference']} {row['contract__title']}: decide whether to extend"
    else:
        title = f"{row['contract__reference']} {row['contract__title']}: ends"
    return QueueItem(
        kind=kind,
        title=title,
        href=url("contracts:detail", row["contract_id"]),
        since=row["first_reminded"],
        deadline=row["event_date"],
        reason=_why_reminded(row, audience),
        waiting_for=_owner(row),
    )


def _monitoring(kind: str, row) -> QueueItem:
    period = f"{row['period_start']:%-d %b %Y} to {row['period_end']:%-d %b %Y}"
    what = "monitoring return" if kind == "returns" else "review of the monitoring return"
    action = "return_record" if kind == "returns" else "return_review"
    return QueueItem(
        kind=kind,
        title=f"{row['contract__reference']} {row['contract__title']}: {what} for {period}",
        href=url(f"performance:{action}", row["contract_id"], row["pk"]),
        since=row["period_end"],
        deadline=row["deadline"],
        reason="You own this contract",
        waiting_for=_owner(row),
        is_overdue=row["is_overdue"],
    )


register(
    Source(
        name="contracts",
        kinds=KINDS,
        applies=_applies,
        items=_items,
        counts=_counts,
        order=10,
    )
)
