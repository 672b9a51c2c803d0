"""Expiry and extension-decision reminders: the daily sweep that writes them,
and the sending of each one exactly once.

The sweep never sends. It writes one row per reminder under a unique
(contract, kind, due date) key, then asks a worker to send each pending row.
Sending locks the row, sends only if it is still pending, and records the
outcome in the same transaction (docs/decisions/0007-reminders-exactly-once.md).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from contracts import reminder_dates
from contracts.constants import (
    MONITORING_REMINDER_KINDS,
    OPEN_EXTENSION_STATUSES,
    ExtensionStatus,
    ReminderKind,
    ReminderStatus,
    ServiceArea,
)
from contracts.models import (
    Contract,
    ExtensionRequest,
    Reminder,
    ReminderRecipient,
    ReminderSweep,
    ServiceAreaSettings,
)
from core.roles import Role
from performance import schedule

log = logging.getLogger(__name__)

# After a long outage the sweep catches up at most this far back; anything
# older is for an administrator to look at, not for a flood of email.
MAX_CATCH_UP_DAYS = 366
# A request is chased if it was made at most this many calendar days before
# its reminder day (six working days can span Christmas and two weekends).
WAITING_LOOKBACK_DAYS = 21
# Sending gives up after this many failed attempts (a task's own retries
# and each later sweep's) and marks the reminder failed.
MAX_ATTEMPTS = 30


@dataclass(frozen=True)
class Recipient:
    email: str
    reason: str
    user_id: int | None = None


@dataclass
class SweepResult:
    swept_from: date
    swept_to: date
    written: list[Reminder]


def sweep_window(today: date) -> tuple[date, date]:
    """From the day after the last day swept (so days missed while Redis or
    the workers were down are caught up) to `today`. A sweep run ahead of
    time (send_reminders --date in the future) does not count as having
    covered the days before it."""
    swept = ReminderSweep.objects.filter(swept_to__lte=today)
    last = swept.aggregate(last=Max("swept_to"))["last"]
    if last is None or last >= today:
        return today, today
    start = last + timedelta(days=1)
    earliest = today - timedelta(days=MAX_CATCH_UP_DAYS)
    if start < earliest:
        log.warning(
            "Reminder sweep: the last sweep covered %s; catching up from %s only", last, earliest
        )
        return earliest, today
    return start, today


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _area_settings() -> dict[str, ServiceAreaSettings]:
    rows = ServiceAreaSettings.objects.prefetch_related("managers__groups")
    return {row.service_area: row for row in rows}


def _recipients(
    contract: Contract, area: ServiceAreaSettings | None, *, managers: bool = True
) -> list[Recipient]:
    found: dict[str, Recipient] = {}

    def add(email, reason, user_id=None):
        if email and email.lower() not in found:
            found[email.lower()] = Recipient(email, reason, user_id)

    owner = contract.owner
    if owner is not None and owner.is_active:
        add(owner.email, "Contract owner", owner.pk)
    if area is not None:
        # Monitoring is the owner's job: approving managers hear only about
        # extensions and endings.
        for manager in area.managers.all() if managers else ():
            # Someone who has since lost the role no longer hears.
            roles = {group.name for group in manager.groups.all()}
            if manager.is_active and Role.APPROVING_MANAGER.label in roles:
                add(manager.email, "Approving manager", manager.pk)
        add(area.team_mailbox, "Team mailbox")
    return list(found.values())


@dataclass(frozen=True)
class _Due:
    contract: Contract
    kind: str
    due_date: date
    event_date: date
    lead: str
    extension_request: ExtensionRequest | None = None
    monitoring_return: object | None = None  # performance.models.MonitoringReturn

    @property
    def key(self) -> tuple:
        # A return's reminders are keyed by the return: two returns of one
        # contract can fall due on the same day.
        if self.monitoring_return is not None:
            return ("return", self.monitoring_return.pk, str(self.kind))
        return ("contract", self.contract.pk, str(self.kind), self.due_date)


def _dues(start: date, end: date, areas: dict[str, ServiceAreaSettings]) -> list[_Due]:
    """Every reminder whose due date is in the window, in two queries
    whatever the number of contracts: the date rules are inverted in Python
    into the exact end dates and deadlines due, and the database is asked
    for those."""
    days = _days(start, end)
    expiry: dict[str, dict[date, list]] = {}
    wanted = Q()
    for area in ServiceArea.values:
        leads = areas[area].lead_times if area in areas else reminder_dates.EXPIRY_LEAD_TIMES
        by_event: dict[date, list] = {}
        for due in reminder_dates.events_due(days, leads):
            by_event.setdefault(due.event, []).append(due)
        if by_event:
            expiry[area] = by_event
            wanted |= Q(service_area=area, current_end_date__in=list(by_event))
    decisions: dict[date, list] = {}
    for due in reminder_dates.events_due(days, reminder_dates.DECISION_WARNINGS):
        decisions.setdefault(due.event, []).append(due)
    if decisions:
        wanted |= Q(decision_deadline__in=list(decisions))

    found: list[_Due] = []
    contracts = (
        Contract.objects.filter(wanted, is_draft=False, terminated_on=None)
        .select_related("owner")
        .only(
            "reference",
            "title",
            "service_area",
            "current_end_date",
            "decision_deadline",
            "owner__email",
            "owner__is_active",
        )
    )
    for contract in contracts if wanted else ():
        for due in expiry.get(contract.service_area, {}).get(contract.current_end_date, ()):
            found.append(
                _Due(contract, ReminderKind.EXPIRY, due.send_day, due.event, due.lead.label)
            )
        for due in decisions.get(contract.decision_deadline, ()):
            found.append(
                _Due(contract, ReminderKind.DECISION, due.send_day, due.event, due.lead.label)
            )

    waiting = (
        ExtensionRequest.objects.filter(
            status__in=OPEN_EXTENSION_STATUSES,
            requested_at__date__gte=start - timedelta(days=WAITING_LOOKBACK_DAYS),
            requested_at__date__lt=end,
        )
        .select_related("contract__owner")
        .only(
            "requested_at",
            "contract__reference",
            "contract__title",
            "contract__service_area",
            "contract__owner__email",
            "contract__owner__is_active",
        )
    )
    lead = f"{reminder_dates.EXTENSION_WAITING_WORKING_DAYS} working days"
    for request in waiting:
        requested_on = timezone.localdate(request.requested_at)
        due_day = reminder_dates.waiting_reminder_day(requested_on)
        if start <= due_day <= end:
            found.append(
                _Due(request.contract, ReminderKind.WAITING, due_day, requested_on, lead, request)
            )
    for due in schedule.reminders_due(days, areas):
        monitoring_return = due.monitoring_return
        label = schedule.period_label(monitoring_return)
        found.append(
            _Due(monitoring_return.contract, due.kind, due.send_day, due.deadline, label,
                 monitoring_return=monitoring_return)
        )  # fmt: skip
    return found


def reminders_sweep(
    *, today: date, dispatch: Callable[[Iterable[int]], None] | None = None
) -> SweepResult:
    """Write every reminder due from the day after the last sweep to `today`.
    Running it again, or twice at once, writes nothing twice. `dispatch` is
    given the ids of every reminder still waiting to be sent (new ones and
    any a lost worker left behind) once the rows are committed."""
    start, end = sweep_window(today)
    areas = _area_settings()
    # Returns first: a period that ended in the window can have a reminder
    # due in it too (a catch-up, or a service area's short deadline).
    schedule.returns_create_due(start=start, end=end, areas=areas)
    dues = _dues(start, end, areas)
    for attempt in range(3):
        try:
            with transaction.atomic():
                written = _write(dues, start, end, areas)
                ReminderSweep.objects.create(
                    swept_from=start, swept_to=end, reminders_written=len(written)
                )
            break
        except IntegrityError:
            # Another sweep wrote some of the same reminders between our read
            # and our insert; read again and write only what is left.
            if attempt == 2:
                raise
    if dispatch is not None:
        pending = Reminder.objects.filter(status=ReminderStatus.PENDING, due_date__lte=today)
        ids = list(pending.order_by("due_date", "pk").values_list("pk", flat=True))
        if ids:
            transaction.on_commit(lambda: dispatch(ids))
    return SweepResult(start, end, written)


def _write(dues: list[_Due], start, end, areas) -> list[Reminder]:
    returns = [due.monitoring_return.pk for due in dues if due.monitoring_return is not None]
    rows = Reminder.objects.filter(
        Q(due_date__range=(start, end), monitoring_return=None) | Q(monitoring_return__in=returns)
    ).values_list("contract_id", "kind", "due_date", "monitoring_return_id")
    existing = {
        ("return", returned, kind) if returned else ("contract", contract_id, kind, due_date)
        for contract_id, kind, due_date, returned in rows
    }
    new: dict[tuple, _Due] = {}
    for due in dues:
        # Two lead times can land on the same working day: one reminder.
        if due.key not in existing and due.key not in new:
            new[due.key] = due
    reminders = Reminder.objects.bulk_create(
        Reminder(
            contract=due.contract,
            kind=due.kind,
            due_date=due.due_date,
            event_date=due.event_date,
            lead=due.lead,
            extension_request=due.extension_request,
            monitoring_return=due.monitoring_return,
        )
        for due in new.values()
    )
    ReminderRecipient.objects.bulk_create(
        ReminderRecipient(reminder=reminder, email=r.email, reason=r.reason, user_id=r.user_id)
        for reminder, due in zip(reminders, new.values(), strict=True)
        for r in _recipients(
            due.contract,
            areas.get(due.contract.service_area),
            managers=due.monitoring_return is None,
        )
    )
    return reminders


def _still_applies(reminder: Reminder, today: date) -> str | None:
    """Why the reminder no longer applies, or None if it still does: a
    decision or termination after the sweep makes it wrong to send, as does
    an end or deadline that passed while the reminder waited (an outage), or
    a later reminder about the same date that is due too."""
    contract = reminder.contract
    if reminder.kind in MONITORING_REMINDER_KINDS:
        return schedule.reminder_still_applies(reminder, today)
    if reminder.kind != ReminderKind.WAITING and reminder.event_date < today:
        return f"{reminder.event_date:%-d %B %Y} had passed before it could be sent."
    later = (
        Reminder.objects.filter(
            contract=contract,
            kind=reminder.kind,
            event_date=reminder.event_date,
            due_date__gt=reminder.due_date,
            due_date__lte=today,
        )
        .order_by("-due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    if later:
        return f"Replaced by the reminder due on {later:%-d %B %Y}, sent in its place."
    if reminder.kind == ReminderKind.EXPIRY:
        if contract.terminated_on is not None:
            return "The contract was terminated."
        if contract.current_end_date != reminder.event_date:
            return f"The contract now ends on {contract.current_end_date:%-d %B %Y}."
    elif reminder.kind == ReminderKind.DECISION:
        if contract.decision_deadline != reminder.event_date:
            return "The extension decision was made or the deadline changed."
    elif reminder.extension_request.status not in OPEN_EXTENSION_STATUSES:
        return f"The request was {reminder.extension_request.get_status_display().lower()}."
    return None


def reminder_send(reminder_id: int, *, today: date) -> Reminder | None:
    """Send one reminder if it is still pending. The row stays locked while
    the email goes, so a duplicate task skips it (and finds it sent if it
    looks again); if the worker dies mid-send the transaction rolls back and
    the row is pending again for the re-delivered task or the next sweep.

    On PostgreSQL, that is. SQLite (a laptop, with tasks run one at a time in
    the same process) has no row locks.

    Returns the reminder if this call sent it, else None."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related(
                "contract", "contract__provider", "extension_request", "monitoring_return"
            )
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status != ReminderStatus.PENDING:
            return None
        reminder.attempts += 1
        reason = _still_applies(reminder, today)
        recipients = list(reminder.recipients.all())
        if reason:
            reminder.status, reminder.outcome = ReminderStatus.NOT_NEEDED, reason
        elif not recipients:
            reminder.status = ReminderStatus.NO_RECIPIENTS
            reminder.outcome = (
                "The contract has no owner and its service area has no approving managers "
                "or team mailbox."
            )
        else:
            reminder.is_late = today > reminder.due_date
            _email(reminder, recipients, today).send()
            reminder.status, reminder.sent_at = ReminderStatus.SENT, timezone.now()
            reminder.outcome = f"Sent to {len(recipients)} recipient(s)."
        reminder.save(update_fields=["status", "sent_at", "is_late", "attempts", "outcome"])
        return reminder if reminder.status == ReminderStatus.SENT else None


def reminder_send_failed(reminder_id: int, *, error: Exception) -> None:
    """Keep the row pending, so a retry or the next sweep sends it, and show
    the failure on the contract; after MAX_ATTEMPTS it is marked failed, for
    someone to look at, rather than retried for ever."""
    pending = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING)
    outcome = f"Last attempt failed: {error}"[:500]
    pending.update(attempts=F("attempts") + 1, outcome=outcome)
    pending.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ReminderStatus.FAILED, outcome=f"Gave up after {MAX_ATTEMPTS} attempts. {outcome}"
    )


def _extension_context(reminder: Reminder, today: date) -> dict:
    """What the approver will be asked to explain (a request waiting), or
    what the last approval was explained with (the contract's dates): the
    reasons recorded under contracts.extension_rules travel with the email."""
    from contracts.extension_evidence import extension_evidence

    if reminder.kind == ReminderKind.WAITING:
        evidence = extension_evidence(
            reminder.contract,
            options_requested=reminder.extension_request.options_requested,
            today=today,
        )
        return {"explain": [reason.sentence for reason in evidence.reasons]}
    approved = (
        reminder.contract.extensions.filter(status=ExtensionStatus.APPROVED)
        .exclude(approved_despite="")
        .order_by("-decided_at")
        .first()
    )
    return {"approved_despite": approved}


def _email(
    reminder: Reminder, recipients: list[ReminderRecipient], today: date | None = None
) -> EmailMultiAlternatives:
    page = reminder.contract.get_absolute_url()
    extension = {}
    if reminder.monitoring_return_id:
        page = schedule.return_url(reminder.monitoring_return)
    else:
        extension = _extension_context(reminder, today or timezone.localdate())
    context = {
        **extension,
        "reminder": reminder,
        "contract": reminder.contract,
        "url": settings.SITE_URL.rstrip("/") + page,
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("contracts/email/reminder_subject.txt", context)
    context["subject"] = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("contracts/email/reminder.txt", context),
        to=[recipient.email for recipient in recipients],
    )
    message.attach_alternative(
        render_to_string("contracts/email/reminder.html", context), "text/html"
    )
    return message
