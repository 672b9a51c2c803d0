"""Monitoring returns and reviews in the reminder sweep: due and overdue,
on working days, to the owner and the team mailbox, each exactly once, and
not at all once the return is in or reviewed (the worker tests are in
test_return_reminder_worker.py)."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.constants import ReminderKind, ReminderStatus
from contracts.models import Reminder, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
from performance import services as performance
from performance.models import MonitoringReturn
from tests.factories import ContractFactory
from tests.performance.monitoring import REVIEWED, SUBMITTED, kpi_set, return_mark

# The first, short quarter (15 May to 30 June 2025) ends; its return is due
# on Wednesday 30 July and its review on Friday 29 August.
QUARTER_ENDED = date(2025, 7, 1)
RETURN_DUE = date(2025, 7, 30)
REVIEW_DUE = date(2025, 8, 29)


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")


@pytest.fixture
def area(user_with_role):
    manager = user_with_role(Role.APPROVING_MANAGER, email="manager@example.gov.uk")
    settings = ServiceAreaSettings.objects.create(
        service_area="supported_living", team_mailbox="sl-team@example.gov.uk"
    )
    settings.managers.add(manager)
    return settings


@pytest.fixture
def contract(officer, area):
    contract = ContractFactory(reference="SL-001", owner=officer, start_date=date(2025, 5, 15))
    kpi_set(contract)
    reminders.reminders_sweep(today=QUARTER_ENDED)
    return contract


@pytest.fixture
def quarter(contract):
    return MonitoringReturn.objects.get(contract=contract)


def sweep_and_send(day: date) -> list[Reminder]:
    reminders.reminders_sweep(today=day, dispatch=lambda ids: None)
    pending = Reminder.objects.filter(status=ReminderStatus.PENDING, due_date__lte=day)
    sent = (reminders.reminder_send(pk, today=day) for pk in pending.values_list("pk", flat=True))
    return [reminder for reminder in sent if reminder]


def test_the_owner_and_the_team_mailbox_hear_that_a_return_is_due_not_the_managers(contract):
    assert sweep_and_send(RETURN_DUE - date.resolution) == []
    [reminder] = sweep_and_send(RETURN_DUE)
    assert (reminder.kind, reminder.event_date) == (ReminderKind.RETURN_DUE, RETURN_DUE)
    [email] = mail.outbox
    assert email.subject == "Monitoring return due by 30 July 2025: SL-001"
    assert sorted(email.to) == ["owner@example.gov.uk", "sl-team@example.gov.uk"]
    assert "monitoring return for 15 May 2025 to 30 Jun 2025 is due by 30 July 2025" in email.body
    html = email.alternatives[0][0]
    # The link opens the return's page, where it is recorded.
    page = reverse("performance:return_detail", args=[contract.pk, reminder.monitoring_return_id])
    assert f'href="http://127.0.0.1:8000{page}"' in html
    assert sorted(r.reason for r in reminder.recipients.all()) == ["Contract owner", "Team mailbox"]


def test_an_overdue_return_is_chased_once_on_the_next_working_day(contract):
    sweep_and_send(RETURN_DUE)
    [overdue] = sweep_and_send(date(2025, 7, 31))
    assert overdue.kind == ReminderKind.RETURN_OVERDUE
    assert mail.outbox[-1].subject == "Monitoring return overdue: SL-001"
    assert "was due by 30 July 2025 and has not been recorded" in mail.outbox[-1].body
    for _ in range(2):
        ReminderSweep.objects.all().delete()
        assert sweep_and_send(date(2025, 7, 31)) == []
    assert reminders.reminder_send(overdue.pk, today=date(2025, 7, 31)) is None
    assert len(mail.outbox) == 2


def test_a_return_submitted_after_the_sweep_is_not_chased(contract, quarter):
    reminders.reminders_sweep(today=RETURN_DUE)
    [reminder] = reminders.reminders_sweep(today=date(2025, 7, 31)).written
    return_mark(quarter, SUBMITTED)
    assert reminders.reminder_send(reminder.pk, today=date(2025, 7, 31)) is None
    reminder.refresh_from_db()
    assert (reminder.status, reminder.outcome) == (
        ReminderStatus.NOT_NEEDED,
        "The return was submitted.",
    )
    assert mail.outbox == []


def test_a_submitted_return_gets_its_review_reminders_until_it_is_reviewed(contract, quarter):
    return_mark(quarter, SUBMITTED)
    assert sweep_and_send(RETURN_DUE) == []  # nothing to chase the provider for
    [review] = sweep_and_send(REVIEW_DUE)
    assert review.kind == ReminderKind.REVIEW_DUE
    assert mail.outbox[0].subject == "Monitoring review due by 29 August 2025: SL-001"
    assert "has not come in yet" not in mail.outbox[0].body

    # The review overdue reminder goes on Monday 1 September; it was
    # reviewed over the weekend.
    [overdue] = reminders.reminders_sweep(today=date(2025, 9, 1)).written
    assert overdue.kind == ReminderKind.REVIEW_OVERDUE
    return_mark(quarter, REVIEWED)
    assert reminders.reminder_send(overdue.pk, today=date(2025, 9, 1)) is None
    overdue.refresh_from_db()
    assert overdue.outcome == "The return was reviewed."
    assert len(mail.outbox) == 1


def test_a_review_due_while_the_return_is_missing_says_so(contract):
    sweep_and_send(RETURN_DUE)
    sweep_and_send(date(2025, 7, 31))
    [review] = sweep_and_send(REVIEW_DUE)
    assert review.kind == ReminderKind.REVIEW_DUE
    assert "The provider's return has not come in yet." in mail.outbox[-1].body


def test_a_deadline_on_a_weekend_is_reminded_the_friday_before_and_chased_the_monday_after(
    officer, area
):
    area.return_due_days = 33  # 30 June + 33 days is Saturday 2 August 2025
    area.save()
    kpi_set(ContractFactory(reference="SL-WKND", owner=officer, start_date=date(2025, 5, 15)))
    reminders.reminders_sweep(today=QUARTER_ENDED)
    assert MonitoringReturn.objects.get().due_date == date(2025, 8, 2)
    written = {}
    for day in (date(2025, 8, 1), date(2025, 8, 2), date(2025, 8, 3), date(2025, 8, 4)):
        result = reminders.reminders_sweep(today=day)
        written[day] = [(r.kind, r.event_date) for r in result.written]
    assert written == {
        date(2025, 8, 1): [(ReminderKind.RETURN_DUE, date(2025, 8, 2))],
        date(2025, 8, 2): [],
        date(2025, 8, 3): [],
        date(2025, 8, 4): [(ReminderKind.RETURN_OVERDUE, date(2025, 8, 2))],
    }


def test_two_returns_of_one_contract_due_the_same_day_are_each_reminded_once(contract, quarter):
    # A KPI moved from yearly to quarterly mid-year: a year's return and a
    # quarter's, both due on 30 July.
    MonitoringReturn.objects.create(
        contract=contract, period_start=date(2024, 4, 1), period_end=date(2025, 6, 30),
        due_date=RETURN_DUE,
    )  # fmt: skip
    sent = sweep_and_send(RETURN_DUE)
    assert sorted((r.kind, r.monitoring_return.period_start) for r in sent) == [
        (ReminderKind.RETURN_DUE, date(2024, 4, 1)),
        (ReminderKind.RETURN_DUE, date(2025, 5, 15)),
    ]
    ReminderSweep.objects.all().delete()
    assert sweep_and_send(RETURN_DUE) == []
    assert len(mail.outbox) == 2


def test_after_an_outage_the_overdue_reminder_goes_late_and_the_due_one_not_at_all(contract):
    reminders.reminders_sweep(today=date(2025, 7, 29))
    # Nothing ran from 30 July to 4 August.
    [sent] = sweep_and_send(date(2025, 8, 5))
    assert (sent.kind, sent.is_late) == (ReminderKind.RETURN_OVERDUE, True)
    assert mail.outbox[0].subject == "Late reminder: Monitoring return overdue: SL-001"
    missed = Reminder.objects.get(kind=ReminderKind.RETURN_DUE)
    assert missed.status == ReminderStatus.NOT_NEEDED
    assert missed.outcome == "30 July 2025 had passed before it could be sent."


def test_the_contract_page_lists_the_return_reminders(client, contract, officer):
    sweep_and_send(RETURN_DUE)
    client.force_login(officer)
    page = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert "Monitoring return for 15 May 2025 to 30 Jun 2025 due by 30 July 2025" in page.text


def test_return_reminders_take_the_same_queries_for_1_or_30_contracts(officer, area):
    def queries_for(count, start):
        for _ in range(count):
            kpi_set(ContractFactory(owner=officer, start_date=start))
        ReminderSweep.objects.all().delete()
        reminders.reminders_sweep(today=QUARTER_ENDED)
        ReminderSweep.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            written = reminders.reminders_sweep(today=RETURN_DUE, dispatch=lambda ids: None)
        return len(queries), len(written.written)

    few = queries_for(1, date(2025, 5, 15))
    Reminder.objects.all().delete()
    many = queries_for(30, date(2025, 6, 1))
    assert few[1] == 1 and many[1] == 31
    assert few[0] == many[0]


def test_recording_and_reviewing_the_return_on_its_pages_stops_its_reminders(
    contract, quarter, officer
):
    reminders.reminders_sweep(today=RETURN_DUE)
    [overdue] = reminders.reminders_sweep(today=date(2025, 7, 31)).written
    actuals = {kpi.pk: (kpi.target, "Provider's return") for kpi in contract.kpis.all()}
    performance.return_record(
        contract=contract, by=officer, actuals=actuals, monitoring_return=quarter,
        version=quarter.version, today=date(2025, 7, 31),
    )  # fmt: skip
    assert reminders.reminder_send(overdue.pk, today=date(2025, 7, 31)) is None

    [review] = reminders.reminders_sweep(today=REVIEW_DUE).written
    assert review.kind == ReminderKind.REVIEW_DUE
    performance.return_review(
        monitoring_return=MonitoringReturn.objects.get(pk=quarter.pk), by=officer,
        overall_rating="good", reviewed_on=REVIEW_DUE, today=REVIEW_DUE,
    )  # fmt: skip
    assert reminders.reminder_send(review.pk, today=REVIEW_DUE) is None
    assert [r.outcome for r in Reminder.objects.filter(status=ReminderStatus.NOT_NEEDED)] == [
        "The return was reviewed.",
        "The return was submitted.",
    ]
    assert mail.outbox == []
