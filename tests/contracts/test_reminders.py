"""The reminder sweep and sending, in-process (the worker tests are in
test_reminder_worker.py)."""

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import services
from contracts.constants import ReminderKind, ReminderStatus
from contracts.models import ExtensionRequest, Reminder, ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
from tests.factories import ContractFactory


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")


@pytest.fixture
def manager(user_with_role):
    return user_with_role(Role.APPROVING_MANAGER, email="manager@example.gov.uk")


@pytest.fixture
def area(manager):
    settings = ServiceAreaSettings.objects.create(
        service_area="supported_living", team_mailbox="sl-team@example.gov.uk"
    )
    settings.managers.add(manager)
    return settings


@pytest.fixture
def contract(officer, area):
    # Initial end 31 March 2027; decision deadline 31 December 2026.
    return ContractFactory(reference="SL-001", owner=officer, start_date=date(2024, 4, 1))


def sweep_and_send(day: date) -> list[Reminder]:
    sent = []
    reminders.reminders_sweep(today=day, dispatch=lambda ids: sent.extend(ids))
    return [r for r in (reminders.reminder_send(i, today=day) for i in pending(day)) if r]


def pending(day):
    return Reminder.objects.filter(status=ReminderStatus.PENDING, due_date__lte=day).values_list(
        "pk", flat=True
    )


def test_the_ilss_style_contract_gets_its_reminders_on_the_right_days(contract):
    expected = {
        date(2026, 3, 31): [(ReminderKind.EXPIRY, "12 months")],
        date(2026, 6, 30): [(ReminderKind.EXPIRY, "9 months")],
        date(2026, 9, 30): [(ReminderKind.EXPIRY, "6 months")],
        date(2026, 11, 5): [(ReminderKind.DECISION, "8 weeks")],
        date(2026, 12, 3): [(ReminderKind.DECISION, "4 weeks")],
        date(2026, 12, 31): [
            (ReminderKind.EXPIRY, "3 months"),
            (ReminderKind.DECISION, "on the day"),
        ],
    }
    for day, kinds in expected.items():
        written = reminders.reminders_sweep(today=day).written
        assert sorted((r.kind, r.lead) for r in written) == sorted(kinds), day
    # A day with nothing due writes nothing.
    assert reminders.reminders_sweep(today=date(2026, 12, 30)).written == []


def test_a_reminder_goes_to_the_owner_the_area_managers_and_the_team_mailbox(contract):
    [reminder] = sweep_and_send(date(2026, 9, 30))
    [email] = mail.outbox
    assert sorted(email.to) == [
        "manager@example.gov.uk",
        "owner@example.gov.uk",
        "sl-team@example.gov.uk",
    ]
    assert email.subject == "SL-001 ends on 31 March 2027"
    assert "http://127.0.0.1:8000/contracts/" in email.body
    assert "31 December 2026" in email.body  # the decision deadline
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000{contract.get_absolute_url()}"' in html
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.sent_at is not None
    assert not reminder.is_late
    assert sorted(r.reason for r in reminder.recipients.all()) == [
        "Approving manager",
        "Contract owner",
        "Team mailbox",
    ]


def test_sweeping_and_sending_again_sends_nothing_twice(contract):
    day = date(2026, 12, 31)
    assert len(sweep_and_send(day)) == 2
    assert sweep_and_send(day) == []
    assert reminders.reminder_send(Reminder.objects.first().pk, today=day) is None
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_days_missed_in_an_outage_are_caught_up_and_marked_late(contract):
    reminders.reminders_sweep(today=date(2026, 12, 1))
    # Nothing ran on 2 and 3 December (Redis was down); 4 December catches up.
    result = reminders.reminders_sweep(today=date(2026, 12, 4))
    assert (result.swept_from, result.swept_to) == (date(2026, 12, 2), date(2026, 12, 4))
    [reminder] = result.written
    assert (reminder.kind, reminder.due_date) == (ReminderKind.DECISION, date(2026, 12, 3))
    sent = reminders.reminder_send(reminder.pk, today=date(2026, 12, 4))
    assert sent.is_late
    assert mail.outbox[0].subject.startswith("Late reminder: ")
    assert "This reminder is late. It was due on 3 December 2026" in mail.outbox[0].body


def test_a_reminder_due_on_christmas_day_goes_on_christmas_eve(officer, area):
    # Ends 25 March 2027, so its 3-month reminder falls on Friday 25 December 2026.
    ContractFactory(reference="XMAS", owner=officer, start_date=date(2024, 3, 26), term="3")
    for day in (date(2026, 12, 25), date(2026, 12, 28)):
        assert reminders.reminders_sweep(today=day).written == []
    ReminderSweep.objects.all().delete()
    [reminder] = reminders.reminders_sweep(today=date(2026, 12, 24)).written
    assert (reminder.due_date, reminder.event_date) == (date(2026, 12, 24), date(2027, 3, 25))


def test_a_request_made_late_in_the_evening_in_bst_counts_from_the_london_day(contract, officer):
    request = services.extension_request_raise(
        contract=contract, by=officer, options_requested=1, justification="Good service"
    )
    # 23:30 UTC on Monday 30 March 2026 is 00:30 BST on Tuesday 31 March.
    ExtensionRequest.objects.filter(pk=request.pk).update(
        requested_at=datetime(2026, 3, 30, 23, 30, tzinfo=UTC)
    )
    # Six working days from Tuesday 31 March, skipping Good Friday and Easter
    # Monday, is Friday 10 April (from the UTC date it would be 9 April).
    assert reminders.reminders_sweep(today=date(2026, 4, 9)).written == []
    [reminder] = reminders.reminders_sweep(today=date(2026, 4, 10)).written
    assert reminder.kind == ReminderKind.WAITING
    assert reminder.event_date == date(2026, 3, 31)
    sent = reminders.reminder_send(reminder.pk, today=date(2026, 4, 10))
    assert sent is not None
    assert "has waited more than 5 working days" in mail.outbox[0].body


def test_a_reminder_that_no_longer_applies_is_not_sent(contract, officer):
    [reminder] = reminders.reminders_sweep(today=date(2026, 9, 30)).written
    services.contract_terminate(
        contract=contract, by=officer, terminated_on=date(2026, 10, 31), reason="Provider exit"
    )
    assert reminders.reminder_send(reminder.pk, today=date(2026, 9, 30)) is None
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.NOT_NEEDED
    assert reminder.outcome == "The contract was terminated."
    assert mail.outbox == []


def test_a_contract_nobody_can_be_told_about_is_recorded_not_lost(db):
    contract = ContractFactory(reference="ORPHAN", service_area="advocacy")
    [reminder] = reminders.reminders_sweep(today=date(2026, 9, 30)).written
    assert reminder.contract == contract
    assert reminders.reminder_send(reminder.pk, today=date(2026, 9, 30)) is None
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.NO_RECIPIENTS
    assert mail.outbox == []


def test_a_service_area_sets_its_own_lead_times(contract, area):
    area.expiry_lead_times = "2m, 10d"
    area.full_clean()
    area.save()
    # 31 March 2027 less 2 months is Sunday 31 January: sent Friday 29 January.
    assert reminders.reminders_sweep(today=date(2026, 9, 30)).written == []
    written = reminders.reminders_sweep(today=date(2027, 1, 29)).written
    expiry = [(r.due_date, r.lead) for r in written if r.kind == ReminderKind.EXPIRY]
    assert expiry == [(date(2027, 1, 29), "2 months")]


def test_bad_lead_times_are_refused_with_a_clear_message(area):
    from django.core.exceptions import ValidationError

    area.expiry_lead_times = "6 fortnights"
    with pytest.raises(ValidationError, match="not a lead time"):
        area.full_clean()


def test_the_sweep_takes_the_same_number_of_queries_for_1_or_40_contracts(officer, area):
    def queries_for(count, day):
        for _ in range(count):
            ContractFactory(owner=officer, start_date=date(2024, 4, 1))
        ReminderSweep.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            written = reminders.reminders_sweep(today=day, dispatch=lambda ids: None).written
        return len(queries), len(written)

    few = queries_for(1, date(2026, 9, 30))
    many = queries_for(40, date(2026, 6, 30))
    assert few[1] == 1 and many[1] == 41
    assert few[0] == many[0]


def test_send_reminders_prints_each_reminder_sent_once(contract, capsys):
    call_command("send_reminders", "--date", "2026-12-31")
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(
        f"SL-001, {kind}, 2026-12-31, {email}"
        for kind in ("Contract ending", "Extension decision due")
        for email in ("owner@example.gov.uk", "manager@example.gov.uk", "sl-team@example.gov.uk")
    )
    call_command("send_reminders", "--date", "2026-12-31")
    assert capsys.readouterr().out == ""
    assert len(mail.outbox) == 2


def test_send_reminders_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "31/12/2026")
    assert not ReminderSweep.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_each_reminder_once(officer, area):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locking; SQLite serialises writers")
    for n in range(30):
        ContractFactory(owner=officer, start_date=date(2024, 4, 1), annual_value=Decimal(1000 + n))
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        from django.db import connections

        try:
            barrier.wait()
            reminders.reminders_sweep(today=date(2026, 12, 31))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Reminder.objects.count() == 60
    assert Reminder.objects.filter(recipients__isnull=True).count() == 0


def test_the_daily_sweep_is_scheduled_at_six_in_the_morning_london_time(db):
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="contracts.tasks.reminders_sweep")
    assert (job.crontab.hour, job.crontab.minute) == ("6", "0")
    assert str(job.crontab.timezone) == "Europe/London"


def test_the_sweep_task_queues_each_send_after_commit(
    contract, django_capture_on_commit_callbacks
):
    from contracts.tasks import reminders_sweep

    # No broker configured in the tests: Celery runs the tasks in-process.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep.delay("2026-12-31").get() == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Extension decision due by 31 December 2026: SL-001",
        "SL-001 ends on 31 March 2027",
    ]
