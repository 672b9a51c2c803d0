"""The reminder sweep and sending, in-process (the worker tests are in
test_reminder_worker.py)."""

import io
import socket
import threading
import time
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

# These contracts have no reviews or budgets: the performance and budget rules
# apply, and are tested in tests/contracts/test_extension_gate.py.
DESPITE = "Approved for the test, whatever the evidence"


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
def test_two_sweeps_at_once_write_each_reminder_once(postgresql, officer, area):
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


def test_the_sweep_task_queues_each_send_after_commit(contract, django_capture_on_commit_callbacks):
    from contracts.tasks import reminders_sweep

    # No broker configured in the tests: Celery runs the tasks in-process.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep.delay("2026-12-31").get() == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Extension decision due by 31 December 2026: SL-001",
        "SL-001 ends on 31 March 2027",
    ]


def test_a_decision_made_after_the_sweep_stops_its_warning(contract, officer, manager):
    [warning] = reminders.reminders_sweep(today=date(2026, 12, 3)).written
    request = services.extension_request_raise(
        contract=contract, by=officer, options_requested=1, justification="Good service"
    )
    services.extension_approve(
        approved_despite=DESPITE,
        request=request,
        by=manager,
        reason="Value for money",
        today=date(2026, 12, 3),
    )
    assert reminders.reminder_send(warning.pk, today=date(2026, 12, 3)) is None
    warning.refresh_from_db()
    assert warning.status == ReminderStatus.NOT_NEEDED
    assert mail.outbox == []


def waiting_request(contract, officer, requested_at):
    request = services.extension_request_raise(
        contract=contract, by=officer, options_requested=1, justification="Good service"
    )
    ExtensionRequest.objects.filter(pk=request.pk).update(requested_at=requested_at)
    request.refresh_from_db()
    return request


def test_an_escalated_request_is_still_chased_and_the_email_says_where_it_is(
    contract, officer, manager
):
    # Raised on Monday 2 November 2026, escalated to Cabinet the next day.
    request = waiting_request(contract, officer, datetime(2026, 11, 2, 10, tzinfo=UTC))
    ExtensionRequest.objects.filter(pk=request.pk).update(
        status="escalated",
        higher_authority="Cabinet",
        escalated_by=manager,
        escalated_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
    )
    [reminder] = reminders.reminders_sweep(today=date(2026, 11, 10)).written
    assert reminder.kind == ReminderKind.WAITING
    assert reminders.reminder_send(reminder.pk, today=date(2026, 11, 10)) is not None
    assert "It was escalated to Cabinet on 3 November 2026" in mail.outbox[0].body


def test_a_request_withdrawn_after_the_sweep_is_not_chased(contract, officer):
    request = waiting_request(contract, officer, datetime(2026, 11, 2, 10, tzinfo=UTC))
    [reminder] = reminders.reminders_sweep(today=date(2026, 11, 10)).written
    services.extension_withdraw(request=request, by=officer, reason="Retendering instead")
    assert reminders.reminder_send(reminder.pk, today=date(2026, 11, 10)) is None
    reminder.refresh_from_db()
    assert (reminder.status, reminder.outcome) == (
        ReminderStatus.NOT_NEEDED,
        "The request was withdrawn.",
    )


def test_after_a_long_outage_only_what_still_matters_is_sent(contract):
    reminders.reminders_sweep(today=date(2026, 9, 1))
    # Nothing ran from 2 September to 3 December. Due meanwhile: the 6-month
    # expiry reminder (30 September) and the 8- and 4-week decision warnings.
    sent = sweep_and_send(date(2026, 12, 3))
    assert sorted((r.kind, r.lead, r.is_late) for r in sent) == [
        (ReminderKind.DECISION, "4 weeks", False),
        (ReminderKind.EXPIRY, "6 months", True),
    ]
    superseded = Reminder.objects.get(lead="8 weeks")
    assert superseded.status == ReminderStatus.NOT_NEEDED
    assert (
        superseded.outcome == "Replaced by the reminder due on 3 December 2026, sent in its place."
    )


def test_reminders_about_dates_already_past_are_recorded_not_sent(contract):
    reminders.reminders_sweep(today=date(2026, 9, 1))
    assert sweep_and_send(date(2027, 4, 6)) == []
    outcomes = set(Reminder.objects.values_list("status", flat=True))
    assert outcomes == {ReminderStatus.NOT_NEEDED}
    assert mail.outbox == []


def test_a_sweep_run_ahead_of_time_does_not_stop_the_catch_up(contract):
    reminders.reminders_sweep(today=date(2026, 12, 1))
    call_command("send_reminders", "--date", "2027-01-10", stdout=io.StringIO())
    result = reminders.reminders_sweep(today=date(2026, 12, 4))
    assert (result.swept_from, result.swept_to) == (date(2026, 12, 2), date(2026, 12, 4))


def test_send_reminders_carries_on_when_the_mail_server_is_down(contract, capsys, settings):
    from django.core.management.base import CommandError

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    with pytest.raises(CommandError, match="2 reminder\\(s\\) could not be sent"):
        call_command("send_reminders", "--date", "2026-12-31")
    assert capsys.readouterr().err.count("not sent") == 2
    assert set(Reminder.objects.values_list("status", "attempts")) == {(ReminderStatus.PENDING, 1)}
    assert all(r.outcome.startswith("Last attempt failed") for r in Reminder.objects.all())

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--date", "2026-12-31")
    assert len(capsys.readouterr().out.splitlines()) == 6
    assert len(mail.outbox) == 2


def test_a_reminder_that_keeps_failing_is_marked_failed_for_someone_to_look_at(contract):
    [reminder, _] = reminders.reminders_sweep(today=date(2026, 12, 31)).written
    Reminder.objects.filter(pk=reminder.pk).update(attempts=reminders.MAX_ATTEMPTS - 1)
    reminders.reminder_send_failed(reminder.pk, error=OSError("Connection refused"))
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert "Gave up after 30 attempts" in reminder.outcome


def test_a_manager_who_lost_the_role_no_longer_hears(contract, manager):
    from django.contrib.auth.models import Group

    manager.groups.remove(Group.objects.get(name=Role.APPROVING_MANAGER.label))
    [reminder] = reminders.reminders_sweep(today=date(2026, 9, 30)).written
    assert "manager@example.gov.uk" not in {r.email for r in reminder.recipients.all()}


def test_the_email_escapes_what_officers_typed(officer, area):
    ContractFactory(
        reference="<b>SL</b>", title="Care & support <script>", owner=officer,
        start_date=date(2024, 4, 1),
    )  # fmt: skip
    sweep_and_send(date(2026, 9, 30))
    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert "<b>SL</b>" not in html and "<script>" not in html
    assert "&lt;b&gt;SL&lt;/b&gt;" in html
    assert email.subject == "<b>SL</b> ends on 31 March 2027"  # plain text: as typed


@pytest.mark.django_db(transaction=True)
def test_a_sweep_that_meets_another_sweeps_rows_writes_only_the_rest(postgresql, officer, area):
    """Deterministic version of two sweeps at once: another transaction
    writes one of the same reminders, uncommitted, so our insert waits on the
    unique index, fails when the other commits, and the sweep retries."""
    contract = ContractFactory(owner=officer, start_date=date(2024, 4, 1))
    other = ContractFactory(owner=officer, start_date=date(2024, 4, 1), reference="SL-002")
    inserted = threading.Event()

    def other_sweep():
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                Reminder.objects.create(
                    contract=contract, kind=ReminderKind.EXPIRY, due_date=date(2026, 9, 30),
                    event_date=date(2027, 3, 31), lead="6 months",
                )  # fmt: skip
                inserted.set()
                time.sleep(1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sweep)
    thread.start()
    assert inserted.wait(10)
    result = reminders.reminders_sweep(today=date(2026, 9, 30))
    thread.join()
    assert [r.contract for r in result.written] == [other]
    assert Reminder.objects.count() == 2


@pytest.mark.parametrize(
    ("utc_instant", "london_day"),
    [
        # Clocks went forward at 01:00 GMT on Sunday 29 March 2026: 23:30 UTC
        # that night is 00:30 BST on Monday 30 March.
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
        # Clocks went back at 01:00 UTC on Sunday 25 October 2026: 23:30 UTC
        # on the 25th is 23:30 GMT, still Sunday in London.
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        # An ordinary summer morning: 05:00 UTC is the 06:00 BST run.
        (datetime(2026, 6, 30, 5, 0, tzinfo=UTC), date(2026, 6, 30)),
    ],
)
def test_the_daily_task_sweeps_the_london_day_across_the_clock_changes(
    officer, area, utc_instant, london_day, django_capture_on_commit_callbacks
):
    import time_machine

    from contracts.tasks import reminders_sweep

    with (
        time_machine.travel(utc_instant, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_sweep.delay()
    sweep = ReminderSweep.objects.get()
    assert (sweep.swept_from, sweep.swept_to) == (london_day, london_day)


def test_a_reminder_due_on_the_monday_after_the_clocks_go_forward(officer, area):
    # Ends 30 June 2026: its 3-month reminder is due on Monday 30 March 2026,
    # the first working day of BST.
    ContractFactory(reference="BST", owner=officer, start_date=date(2023, 7, 1), term="3")
    assert reminders.reminders_sweep(today=date(2026, 3, 27)).written == []
    ReminderSweep.objects.all().delete()
    [reminder] = reminders.reminders_sweep(today=date(2026, 3, 30)).written
    assert (reminder.lead, reminder.event_date) == ("3 months", date(2026, 6, 30))
