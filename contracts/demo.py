"""Demo contracts from the council papers in ../shared/seeds.

Their dates move with the day the demo is loaded (contracts.demo_calendar,
decision 33); their values, terms and notice stay the papers'. Each step
of their story is recorded on its own day (core.demo.recorded_on), so the
history shows when each decision was made.

The papers do not name the providers who won, so the contracts go to the
made-up "Demonstration" providers (providers/demo.py). The ILSS extensions
are illustrative: they show the escalation path, since each option is
worth more than the demo approving manager's authority.
"""

import json
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from contracts import services, terms
from contracts.constants import ClientGroup, ProcurementRoute, ServiceArea
from contracts.demo_calendar import ILSS_TERM, DemoCalendar
from contracts.models import Contract, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.demo import recorded_on
from core.models import User
from providers.models import Provider

# Cabinet, 7 November 2019: "new contracts from September 2020".
SEFTON_CALL_OFF_START = date(2020, 9, 1)
CALL_OFF_TITLE = "Supported living call-off (illustrative)"
CALL_OFF_PROVIDER = "Demonstration Supported Living Ltd"
# The register is kept up as contracts are awarded: each is added a month
# before it starts.
ADDED_BEFORE_START = timedelta(days=30)
REVIEWED = (
    "Performance was reviewed at the contract review meeting before the register held "
    "reviews; budget confirmed in the Cabinet report."
)


def _ilss_note(calendar: DemoCalendar) -> str:
    start = calendar.ilss_start
    end = terms.Term.parse(ILSS_TERM).max_end(start)
    return (
        "Adult Social Care Independent Living Support Services, recommissioned from "
        f"{start:%-d %B %Y} for 3 years with a +2 +2 year option to extend (maximum 7 years, "
        f"{start:%d/%m/%Y} - {end:%d/%m/%Y}). Demonstration dates: the Cabinet paper's start, "
        f"1 July 2019, moved by {calendar.months} months so the register looks like today's."
    )


@dataclass(frozen=True)
class Story:
    """What happened to a paper's contract: the options approved by the
    demo's day, and whether a request for the next one waits."""

    approved: int = 0
    by_higher_authority: bool = False
    next_requested: bool = False


def _paper_contracts(calendar: DemoCalendar) -> list[tuple[dict, str, Story]]:
    ilss = _ilss_note(calendar)
    return [
        (
            {
                "reference": "ILSS-2019-01",
                "title": "Mainstream ASC ILSS",
                "description": ilss + " Replaces Sixty Plus ILSS and PSI HIV ILSS.",
                "service_area": ServiceArea.ILSS,
                "client_group": ClientGroup.MIXED,
                "start_date": calendar.ilss_start,
                "term": ILSS_TERM,
                "annual_value": Decimal("491804.00"),
                "procurement_route": ProcurementRoute.OPEN_TENDER,
            },
            "Demonstration Independent Living Ltd",
            # Option 2 is worth £983,608, beyond the demo manager's £500,000.
            Story(approved=1, by_higher_authority=True, next_requested=True),
        ),
        (
            {
                "reference": "ILSS-2019-02",
                "title": "Whole Life disability (LD) ILSS",
                "description": ilss + " Replaces LD ILSS.",
                "service_area": ServiceArea.ILSS,
                "client_group": ClientGroup.LEARNING_DISABILITY,
                "start_date": calendar.ilss_start,
                "term": ILSS_TERM,
                "annual_value": Decimal("363635.00"),
                "procurement_route": ProcurementRoute.OPEN_TENDER,
            },
            "Demonstration Whole Life Support CIC",
            # The second decision is due and nobody has asked yet.
            Story(approved=1, by_higher_authority=True),
        ),
        (
            {
                "reference": "SEFTON-SL-2020-01",
                "title": "Supported living call-off",
                "description": (
                    "Call-off from the supported living PDPS (Cabinet, 7 November 2019): an "
                    "initial three-year period with an option to extend for up to two periods "
                    "of twelve months, either as a whole or as two separate twelve-month "
                    "extension periods. Evaluated on quality and social value; the council sets "
                    "the hourly rate, so the value depends on the packages called off. "
                    "Demonstration dates: the paper's September 2020 start moved by "
                    f"{calendar.months} months."
                ),
                "service_area": ServiceArea.SUPPORTED_LIVING,
                "client_group": ClientGroup.LEARNING_DISABILITY,
                "start_date": calendar.moved(SEFTON_CALL_OFF_START),
                "term": "3+1+1",
                "options_may_be_taken_together": True,
                "annual_value": Decimal("0.00"),
                "procurement_route": ProcurementRoute.PDPS_CALL_OFF,
                "lot": "Supported living",
            },
            "Demonstration Supported Living Ltd",
            Story(approved=1),
        ),
    ]


def _approve_option(contract: Contract, story: Story, *, officer, manager) -> None:
    """One option taken, each step on its day: raised six weeks before the
    decision deadline, escalated a week later if beyond the manager, and
    decided a week before the deadline."""
    contract.refresh_from_db()
    deadline = contract.decision_deadline
    raised_on = deadline - timedelta(weeks=6)
    with recorded_on(raised_on):
        request = services.extension_request_raise(
            contract=contract,
            by=officer,
            options_requested=1,
            justification="Performance and budget availability confirmed at contract review.",
            today=raised_on,
        )
    decided_on = deadline - timedelta(weeks=1)
    if not story.by_higher_authority:
        with recorded_on(decided_on):
            services.extension_approve(
                request=request,
                by=manager,
                reason="Performance and outcomes reviewed; the call-off continues.",
                approved_despite=REVIEWED,
                today=decided_on,
            )
        return
    escalated_on = raised_on + timedelta(weeks=1)
    with recorded_on(escalated_on):
        services.extension_escalate(
            request=request,
            by=manager,
            authority="Provider Performance and Development Manager",
            reason="Beyond my delegated authority.",
            today=escalated_on,
        )
    with recorded_on(decided_on):
        services.extension_record_authority_decision(
            request=request,
            by=manager,
            approved=True,
            reference="Cabinet resolution (4): delegated authority to agree extensions",
            reason="Extension agreed on the basis of performance and budget availability.",
            # Decided before the register held reviews or budget lines, so the
            # rules of contracts.extension_rules ask for the basis on record.
            approved_despite=REVIEWED,
            today=decided_on,
        )


def _tell_story(contract: Contract, story: Story, *, officer, manager, today: date) -> None:
    for _ in range(story.approved):
        _approve_option(contract, story, officer=officer, manager=manager)
    if story.next_requested:
        # A week ago: waiting for the approving manager, and chased once the
        # 5 working days have passed.
        raised_on = today - timedelta(days=7)
        with recorded_on(raised_on):
            services.extension_request_raise(
                contract=contract,
                by=officer,
                options_requested=1,
                justification="Outcomes improved over the first extension; budget for "
                "both years is in the medium-term financial plan.",
                today=raised_on,
            )


def _current_call_off(today: date) -> dict:
    """A Sefton-style call-off whose first extension decision is about a
    month away whenever the demo is loaded, so reminders have something to
    say. Illustrative: the papers describe the call-offs, not this one."""
    first_of_month = today.replace(day=1)
    start = terms.months_before(terms.add_months(first_of_month, 5), 36)
    return {
        "reference": f"SEFTON-SL-{start:%Y}-02",
        "title": CALL_OFF_TITLE,
        "description": (
            "An illustrative call-off from the supported living PDPS, dated so that its first "
            "extension decision is due about a month after the demo data was loaded."
        ),
        "service_area": ServiceArea.SUPPORTED_LIVING,
        "client_group": ClientGroup.LEARNING_DISABILITY,
        "start_date": start,
        "term": "3+1+1",
        "options_may_be_taken_together": True,
        "annual_value": Decimal("250000.00"),
        "procurement_route": ProcurementRoute.PDPS_CALL_OFF,
        "lot": "Supported living",
    }


def load(stdout) -> None:
    officer = User.objects.filter(username="commissioning.officer").first()
    manager = User.objects.filter(username="approving.manager").first()
    today = timezone.localdate()
    calendar = DemoCalendar.as_of_day(today)
    stories = _paper_contracts(calendar)
    added = 0
    for fields, provider_name, story in stories:
        if Contract.objects.filter(reference=fields["reference"]).exists():
            continue
        provider = Provider.objects.filter(legal_name=provider_name).first()
        with recorded_on(fields["start_date"] - ADDED_BEFORE_START):
            contract = services.contract_create(
                by=officer, owner=officer, provider=provider, **fields
            )
        added += 1
        if officer and manager:
            _tell_story(contract, story, officer=officer, manager=manager, today=today)
    # Found by title, not reference: its reference has the year it started,
    # which moves with the day the demo is loaded.
    if not Contract.objects.filter(title=CALL_OFF_TITLE).exists():
        fields = _current_call_off(today)
        with recorded_on(fields["start_date"] - ADDED_BEFORE_START):
            services.contract_create(
                by=officer,
                owner=officer,
                provider=Provider.objects.filter(legal_name=CALL_OFF_PROVIDER).first(),
                **fields,
            )
        added += 1
    stdout.write(f"  {len(stories) + 1} contracts from the council papers ({added} new)")
    loaded = Contract.objects.filter(reference="ILSS-2019-01").values_list("start_date", flat=True)
    if loaded and loaded[0] != calendar.ilss_start:
        # Loaded on another day: its history cannot be re-dated (decision 12).
        stdout.write(
            "  (these were loaded for another day; to move the demo to today, "
            "delete the database and load it again)"
        )
    _load_contracts_finder(stdout)


def load_reminders(stdout) -> None:
    """Last of the demo (core/management/commands/load_demo_data.py), once
    every app's dates are in: the reminders the last two months sent."""
    manager = User.objects.filter(username="approving.manager").first()
    _reminders(stdout, manager=manager, today=timezone.localdate())


REMINDER_HISTORY_DAYS = 60


def _reminders(stdout, *, manager, today: date) -> None:
    """Service area settings, and the reminders the last two months would
    have sent, as if the service had been running. They go to Django's
    in-memory mailbox: the demo addresses are not real."""
    for area, mailbox in (
        (ServiceArea.ILSS, "ilss-commissioning@example.gov.uk"),
        (ServiceArea.SUPPORTED_LIVING, "supported-living-commissioning@example.gov.uk"),
    ):
        area_settings, _ = ServiceAreaSettings.objects.get_or_create(
            service_area=area, defaults={"team_mailbox": mailbox}
        )
        if manager:
            area_settings.managers.add(manager)
    if ReminderSweep.objects.exists():
        stdout.write("  reminders already recorded")
        return
    sent = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for days_ago in range(REMINDER_HISTORY_DAYS, -1, -1):
            day = today - timedelta(days=days_ago)
            # As if swept and sent by the 06:00 job on its day.
            with recorded_on(day, time(6)):
                for reminder in reminders.reminders_sweep(today=day).written:
                    sent += bool(reminders.reminder_send(reminder.pk, today=day))
    stdout.write(f"  {sent} reminders from the last {REMINDER_HISTORY_DAYS} days (not emailed)")


def _load_contracts_finder(stdout) -> None:
    """Real social care awards from Contracts Finder, when the project's
    shared data sits beside the checkout (it does on CI and developers'
    machines; a clone elsewhere simply skips this)."""
    from contracts.imports import ocds_import

    path = Path(settings.BASE_DIR).parent / "shared" / "data" / "cf_ocds_social_care_releases.json"
    if not path.is_file():
        stdout.write("  (no ../shared/data: Contracts Finder examples not loaded)")
        return
    result = ocds_import(data=json.loads(path.read_text(encoding="utf-8")), by=None)
    stdout.write(
        f"  {len(result.created) + len(result.updated) + len(result.unchanged)} "
        f"Contracts Finder social care awards ({len(result.created)} new)"
    )
