"""Demo contracts from the council papers in ../shared/seeds.

The papers do not name the providers who won, so these contracts have none.
The ILSS extensions are illustrative: they show the escalation path, since
each option is worth more than the demo approving manager's authority.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from contracts import services, terms
from contracts.constants import ClientGroup, ProcurementRoute, ServiceArea
from contracts.models import Contract, Reminder, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.models import User
from performance import demo_failures

ILSS_NOTE = (
    "Adult Social Care Independent Living Support Services, recommissioned from 1 July 2019 "
    "for 3 years with a +2 +2 year option to extend (maximum 7 years, 01/07/2019 - 30/06/2026)."
)

CONTRACTS = [
    {
        "reference": "ILSS-2019-01",
        "title": "Mainstream ASC ILSS",
        "description": ILSS_NOTE + " Replaces Sixty Plus ILSS and PSI HIV ILSS.",
        "service_area": ServiceArea.ILSS,
        "client_group": ClientGroup.MIXED,
        "start_date": date(2019, 7, 1),
        "term": "3+2+2",
        "annual_value": Decimal("491804.00"),
        "procurement_route": ProcurementRoute.OPEN_TENDER,
    },
    {
        "reference": "ILSS-2019-02",
        "title": "Whole Life disability (LD) ILSS",
        "description": ILSS_NOTE + " Replaces LD ILSS.",
        "service_area": ServiceArea.ILSS,
        "client_group": ClientGroup.LEARNING_DISABILITY,
        "start_date": date(2019, 7, 1),
        "term": "3+2+2",
        "annual_value": Decimal("363635.00"),
        "procurement_route": ProcurementRoute.OPEN_TENDER,
    },
    {
        "reference": "SEFTON-SL-2020-01",
        "title": "Supported living call-off",
        "description": (
            "Call-off from the supported living PDPS (Cabinet, 7 November 2019): an initial "
            "three-year period with an option to extend for up to two periods of twelve months, "
            "either as a whole or as two separate twelve-month extension periods. Evaluated on "
            "quality and social value; the council sets the hourly rate, so the value depends "
            "on the packages called off."
        ),
        "service_area": ServiceArea.SUPPORTED_LIVING,
        "client_group": ClientGroup.LEARNING_DISABILITY,
        "start_date": date(2020, 9, 1),
        "term": "3+1+1",
        "options_may_be_taken_together": True,
        "annual_value": Decimal("0.00"),
        "procurement_route": ProcurementRoute.PDPS_CALL_OFF,
        "lot": "Supported living",
    },
]


def _illustrate_extensions(contract: Contract, *, officer, manager) -> None:
    """Both ILSS options, each escalated beyond the demo manager's limit and
    approved under the Cabinet's delegation."""
    for _ in range(2):
        contract.refresh_from_db()
        raised_on = contract.decision_deadline
        request = services.extension_request_raise(
            contract=contract,
            by=officer,
            options_requested=1,
            justification="Performance and budget availability confirmed at contract review.",
            today=raised_on,
        )
        services.extension_escalate(
            request=request,
            by=manager,
            authority="Provider Performance and Development Manager",
            reason="Beyond my delegated authority.",
            today=raised_on,
        )
        services.extension_record_authority_decision(
            request=request,
            by=manager,
            approved=True,
            reference="Cabinet resolution (4): delegated authority to agree extensions",
            reason="Extension agreed on the basis of performance and budget availability.",
            # Decided before the register held reviews or budget lines, so the
            # rules of contracts.extension_rules ask for the basis on record.
            approved_despite=(
                "Performance was reviewed at the contract review meeting before the "
                "register held reviews; budget confirmed in the Cabinet report."
            ),
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
        "title": "Supported living call-off (illustrative)",
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
    added = 0
    for fields in [*CONTRACTS, _current_call_off(today)]:
        if Contract.objects.filter(reference=fields["reference"]).exists():
            continue
        contract = services.contract_create(by=officer, owner=officer, **fields)
        added += 1
        if contract.service_area == ServiceArea.ILSS and officer and manager:
            _illustrate_extensions(contract, officer=officer, manager=manager)
    stdout.write(f"  {len(CONTRACTS) + 1} contracts from the council papers ({added} new)")
    _load_contracts_finder(stdout)
    _reminders(stdout, manager=manager, today=today)
    demo_failures.load(stdout)


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
        return
    sent = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for days_ago in range(REMINDER_HISTORY_DAYS, -1, -1):
            day = today - timedelta(days=days_ago)
            for reminder in reminders.reminders_sweep(today=day).written:
                if reminders.reminder_send(reminder.pk, today=day):
                    # As if sent by the 06:00 job on its day.
                    morning = datetime.combine(day, time(6), tzinfo=timezone.get_current_timezone())
                    Reminder.objects.filter(pk=reminder.pk).update(sent_at=morning)
                    sent += 1
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
