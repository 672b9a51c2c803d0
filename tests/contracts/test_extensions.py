"""Extensions under delegated authority: the council's approval rules."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import services
from contracts.constants import ExtensionStatus
from contracts.selectors import contract_register
from core.roles import Role
from tests.factories import ContractFactory


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER)


@pytest.fixture
def manager(user_with_role):
    # £250,000 delegated authority (see conftest).
    return user_with_role(Role.APPROVING_MANAGER)


@pytest.fixture
def contract(db, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    # Sefton: 3 years + two 12-month options, taken whole or separately.
    return ContractFactory(
        reference="SL-001",
        start_date=date(2024, 4, 1),
        term="3+1+1",
        annual_value=Decimal("200000.00"),
        options_may_be_taken_together=True,
    )


def raise_request(contract, officer, options=1):
    return services.extension_request_raise(
        contract=contract, by=officer, options_requested=options, justification="Good KPIs"
    )


def test_manager_approves_within_limit_and_the_end_moves(contract, officer, manager):
    request = raise_request(contract, officer)
    assert request.value == Decimal("200000.00")
    services.extension_approve(request=request, by=manager, reason="Performance good")
    contract.refresh_from_db()
    assert contract.options_taken == 1
    assert contract.current_end_date == date(2028, 3, 31)
    request.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED
    assert request.decided_by == manager
    assert request.decision_reason == "Performance good"


def test_nobody_approves_their_own_request(contract, user_with_role):
    # An approving manager who also raises requests still needs a second person.
    manager = user_with_role(Role.APPROVING_MANAGER)
    request = raise_request(contract, manager)
    with pytest.raises(services.ContractError, match="raised yourself"):
        services.extension_approve(request=request, by=manager, reason="Performing well")
    with pytest.raises(services.ContractError, match="raised yourself"):
        services.extension_reject(request=request, by=manager, reason="No")
    request.refresh_from_db()
    contract.refresh_from_db()
    assert request.status == ExtensionStatus.PENDING
    assert contract.options_taken == 0


def test_over_limit_must_escalate_and_the_authority_decides(contract, officer, manager):
    request = raise_request(contract, officer, options=2)  # £400,000 > £250,000
    with pytest.raises(services.ContractError, match="more than your delegated authority"):
        services.extension_approve(request=request, by=manager, reason="Performing well")
    contract.refresh_from_db()
    assert contract.options_taken == 0

    services.extension_escalate(request=request, by=manager, authority="Cabinet")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.ESCALATED
    services.extension_record_authority_decision(
        request=request,
        by=manager,
        approved=True,
        reference="Cabinet 3 April 2025, item 123",
        reason="Continuity of care while recommissioning",
    )
    contract.refresh_from_db()
    request.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED
    assert request.authority_reference == "Cabinet 3 April 2025, item 123"
    assert contract.options_taken == 2
    assert contract.current_end_date == contract.max_end_date == date(2029, 3, 31)


def test_options_taken_separately_reach_the_same_maximum(contract, officer, manager):
    services.extension_approve(
        request=raise_request(contract, officer), by=manager, reason="Performing well"
    )
    contract.refresh_from_db()
    services.extension_approve(
        request=raise_request(contract, officer), by=manager, reason="Performing well"
    )
    contract.refresh_from_db()
    assert contract.current_end_date == contract.max_end_date == date(2029, 3, 31)
    assert contract.decision_deadline is None


def test_rejection_records_the_option_was_not_taken(contract, officer, manager):
    request = raise_request(contract, officer)
    services.extension_reject(request=request, by=manager, reason="Recommissioning instead")
    contract.refresh_from_db()
    assert contract.options_closed
    assert contract.current_end_date == date(2027, 3, 31)
    with pytest.raises(services.ContractError, match="will not be taken"):
        raise_request(contract, officer)


def test_deadline_passed_lapses_the_option(contract, officer, time_machine):
    request = raise_request(contract, officer)
    # Initial end 31 March 2027; three months' notice: decide by 31 December 2026.
    assert contract.decision_deadline == date(2026, 12, 31)
    assert services.extensions_lapse_overdue(today=date(2026, 12, 31)) == []
    lapsed = services.extensions_lapse_overdue(today=date(2027, 1, 1))
    assert [c.pk for c in lapsed] == [contract.pk]
    contract.refresh_from_db()
    request.refresh_from_db()
    assert contract.options_closed
    assert request.status == ExtensionStatus.LAPSED
    assert "deadline" in contract.history.first().history_change_reason
    time_machine.move_to("2027-01-02 09:00 +00:00")
    with pytest.raises(services.ContractError):
        raise_request(contract, officer)


def test_request_after_the_deadline_is_refused(contract, officer):
    with pytest.raises(services.ContractError, match="lapsed"):
        services.extension_request_raise(
            contract=contract,
            by=officer,
            options_requested=1,
            justification="Late",
            today=date(2027, 1, 1),
        )


def test_options_cannot_be_combined_when_the_contract_says_so(db, officer, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    contract = ContractFactory(term="3+1+1", options_may_be_taken_together=False)
    with pytest.raises(services.ContractError):
        raise_request(contract, officer, options=2)


def test_only_one_open_request_at_a_time(contract, officer):
    raise_request(contract, officer)
    with pytest.raises(services.ContractError, match="already an extension request"):
        raise_request(contract, officer)


def test_decided_request_cannot_be_decided_again(contract, officer, manager):
    request = raise_request(contract, officer)
    services.extension_approve(request=request, by=manager, reason="Performing well")
    with pytest.raises(services.ContractError, match="not waiting for this decision"):
        services.extension_reject(request=request, by=manager, reason="Changed my mind")


def test_officer_cannot_approve(contract, officer, user_with_role):
    other_officer = user_with_role(Role.COMMISSIONING_OFFICER)
    request = raise_request(contract, officer)
    with pytest.raises(services.ContractError, match="Only an approving manager"):
        services.extension_approve(request=request, by=other_officer, reason="Fine")


def test_termination_withdraws_open_requests_and_ends_the_contract(contract, officer):
    request = raise_request(contract, officer)
    services.contract_terminate(
        contract=contract, by=officer, terminated_on=date(2026, 6, 30), reason="Provider exit"
    )
    contract.refresh_from_db()
    request.refresh_from_db()
    assert contract.current_end_date == date(2026, 6, 30)
    assert request.status == ExtensionStatus.WITHDRAWN
    assert contract_register().get(pk=contract.pk).status == "ending"


def test_termination_date_must_fall_within_the_contract(contract, officer):
    with pytest.raises(services.ContractError, match="between the start"):
        services.contract_terminate(
            contract=contract, by=officer, terminated_on=date(2030, 1, 1), reason="x"
        )
    contract.refresh_from_db()
    assert contract.terminated_on is None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2024-05-01", "live"),
        ("2026-12-01", "live"),  # options remain, so not "ending"
        ("2027-04-01", "expired"),
    ],
)
def test_status_is_derived_from_dates(contract, today, expected):
    assert contract_register(today=date.fromisoformat(today)).get(pk=contract.pk).status == expected


def test_status_in_extension_then_ending(contract, officer, manager):
    services.extension_approve(
        request=raise_request(contract, officer), by=manager, reason="Performing well"
    )
    services.extension_reject(request=raise_request(contract, officer), by=manager, reason="No")
    register = contract_register
    assert register(today=date(2027, 6, 1)).get(pk=contract.pk).status == "in_extension"
    # Last six months with no options left.
    assert register(today=date(2027, 10, 1)).get(pk=contract.pk).status == "ending"


def test_funding_shares_must_add_up_to_100(db, officer):
    with pytest.raises(services.ContractError, match="add up to 100%"):
        ContractFactory(council_share_percent=Decimal(60), icb_share_percent=Decimal(30))


def test_status_filter_agrees_with_the_status_shown(db, officer, manager, time_machine):
    """The register filters by a plain condition and displays a CASE; both
    come from the same rules and must never disagree."""
    from contracts.constants import ContractStatus
    from contracts.selectors import status_filter

    time_machine.move_to("2026-01-15 09:00 +00:00")
    ContractFactory(is_draft=True)
    ContractFactory(start_date=date(2020, 1, 1), term="3")  # expired
    ContractFactory(start_date=date(2023, 4, 1), term="3")  # ending
    ContractFactory()  # live
    ended = ContractFactory()
    services.contract_terminate(
        contract=ended, by=officer, terminated_on=date(2026, 1, 1), reason="x"
    )
    extended = ContractFactory(start_date=date(2022, 4, 1), term="3+1+1")
    services.extension_approve(
        request=services.extension_request_raise(
            contract=extended,
            by=officer,
            options_requested=1,
            justification="ok",
            today=date(2024, 12, 1),
        ),
        by=manager,
        reason="Performing well",
        today=date(2024, 12, 1),
    )
    today = date(2026, 1, 15)
    shown = {c.pk: c.status for c in contract_register(today=today)}
    assert set(shown.values()) == set(ContractStatus.values)
    for status in ContractStatus.values:
        filtered = set(
            contract_register(today=today)
            .filter(status_filter(status, today))
            .values_list("pk", flat=True)
        )
        assert filtered == {pk for pk, s in shown.items() if s == status}, status


def test_daily_job_is_scheduled_and_lapses_overdue_options(contract, officer, time_machine):
    from django_celery_beat.models import PeriodicTask

    from contracts.tasks import extensions_lapse_overdue

    job = PeriodicTask.objects.get(task="contracts.tasks.extensions_lapse_overdue")
    assert job.enabled
    assert (job.crontab.hour, job.crontab.minute) == ("1", "30")
    time_machine.move_to("2027-01-01 09:00 +00:00")
    assert extensions_lapse_overdue.delay().get() == ["SL-001"]
    contract.refresh_from_db()
    assert contract.options_closed


def test_schedule_edits_by_administrators_survive_migrate(db):
    from django_celery_beat.models import PeriodicTask

    from core.schedules import schedules_sync

    job = PeriodicTask.objects.get(task="contracts.tasks.extensions_lapse_overdue")
    job.crontab.hour = "3"
    job.crontab.save()
    schedules_sync()
    job.refresh_from_db()
    assert job.crontab.hour == "3"
    assert PeriodicTask.objects.filter(task=job.task).count() == 1


def test_approval_after_the_deadline_is_refused(contract, officer, manager):
    request = raise_request(contract, officer)
    with pytest.raises(services.ContractError, match="lapsed"):
        services.extension_approve(
            request=request, by=manager, reason="Late", today=date(2027, 1, 1)
        )
    contract.refresh_from_db()
    assert contract.options_taken == 0


def test_approval_needs_a_reason(contract, officer, manager):
    with pytest.raises(services.ContractError, match="reason"):
        services.extension_approve(request=raise_request(contract, officer), by=manager, reason=" ")


def test_within_limit_cannot_be_escalated(contract, officer, manager):
    request = raise_request(contract, officer)  # £200,000 <= £250,000
    with pytest.raises(services.ContractError, match="decide it yourself"):
        services.extension_escalate(request=request, by=manager, authority="Cabinet")


def test_requester_cannot_record_the_authority_decision(contract, user_with_role, manager):
    requester = user_with_role(Role.APPROVING_MANAGER)
    request = raise_request(contract, requester, options=2)
    with pytest.raises(services.ContractError, match="raised yourself"):
        services.extension_escalate(request=request, by=requester, authority="Cabinet")
    services.extension_escalate(request=request, by=manager, authority="Cabinet")
    with pytest.raises(services.ContractError, match="raised yourself"):
        services.extension_record_authority_decision(
            request=request, by=requester, approved=True, reference="Cabinet 1", reason=""
        )
    request.refresh_from_db()
    assert request.escalated_by == manager
    assert request.status == ExtensionStatus.ESCALATED


def test_figures_cannot_change_under_an_open_request(contract, officer):
    raise_request(contract, officer)
    # A live contract's figures move only through a contract change (decision
    # 19), and a change is not approved while the request is open.
    with pytest.raises(services.ContractError, match="only change through a contract change"):
        services.contract_update(contract=contract, by=officer, annual_value=Decimal("5000000.00"))
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("200000.00")
    # Other details may still change.
    services.contract_update(contract=contract, by=officer, title="Renamed")


def test_withdrawn_request_leaves_the_option_open(contract, officer, manager):
    request = raise_request(contract, officer)
    services.extension_withdraw(request=request, by=officer, reason="Raised in error")
    contract.refresh_from_db()
    assert not contract.options_closed
    request.refresh_from_db()
    assert request.status == ExtensionStatus.WITHDRAWN
    services.extension_approve(request=raise_request(contract, officer), by=manager, reason="Ok")


def test_termination_closes_the_options(contract, officer):
    services.contract_terminate(
        contract=contract, by=officer, terminated_on=date(2026, 6, 30), reason="Provider exit"
    )
    contract.refresh_from_db()
    assert contract.options_closed
    assert contract.decision_deadline is None


def test_notice_longer_than_the_initial_period_is_refused(db, officer):
    with pytest.raises(services.ContractError, match="notice period"):
        ContractFactory(term="1+1", notice_months=13)


def test_deadlines_passed_before_the_contract_was_registered_do_not_lapse(
    db, officer, time_machine
):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    # Imported in 2026 with a 2021 deadline: the options may well have been taken.
    old = ContractFactory(start_date=date(2019, 7, 1), term="3+2+2")
    assert services.extensions_lapse_overdue(today=date(2026, 1, 15)) == []
    old.refresh_from_db()
    assert not old.options_closed


def test_escalated_request_cannot_be_rejected_by_a_manager(
    contract, officer, manager, user_with_role
):
    request = raise_request(contract, officer, options=2)
    services.extension_escalate(request=request, by=manager, authority="Cabinet", reason="Over")
    small = user_with_role(Role.APPROVING_MANAGER, delegated_authority_limit=Decimal("1000"))
    with pytest.raises(services.ContractError, match="not waiting for this decision"):
        services.extension_reject(request=request, by=small, reason="No")
    contract.refresh_from_db()
    assert not contract.options_closed


def test_only_managers_reject_and_escalate(contract, officer, user_with_role):
    request = raise_request(contract, officer, options=2)
    other = user_with_role(Role.COMMISSIONING_OFFICER)
    with pytest.raises(services.ContractError, match="approving manager"):
        services.extension_reject(request=request, by=other, reason="No")
    with pytest.raises(services.ContractError, match="approving manager"):
        services.extension_escalate(request=request, by=other, authority="Cabinet")


def test_reasons_are_required_for_every_decision(contract, officer, manager):
    request = raise_request(contract, officer, options=2)
    with pytest.raises(services.ContractError, match="reason"):
        services.extension_reject(request=request, by=manager, reason="")
    services.extension_escalate(request=request, by=manager, authority="Cabinet", reason="Over")
    with pytest.raises(services.ContractError, match="reason"):
        services.extension_record_authority_decision(
            request=request, by=manager, approved=True, reference="Cabinet 1", reason=" "
        )
    with pytest.raises(services.ContractError, match="reason"):
        services.extension_withdraw(request=request, by=officer, reason="")


def test_only_requester_owner_or_manager_withdraws(contract, officer, manager, user_with_role):
    request = raise_request(contract, officer)
    stranger = user_with_role(Role.COMMISSIONING_OFFICER)
    with pytest.raises(services.ContractError, match="Only the officer who raised"):
        services.extension_withdraw(request=request, by=stranger, reason="Tidy up")
    services.extension_withdraw(request=request, by=manager, reason="Raised in error")


def test_stale_request_cannot_be_approved(contract, officer, manager):
    request = raise_request(contract, officer)
    # Figures cannot change through the service while it is open; simulate a
    # change made some other way (e.g. a data fix) to prove the check.
    from contracts.models import Contract

    Contract.objects.filter(pk=contract.pk).update(annual_value=Decimal("5000000.00"))
    with pytest.raises(services.ContractError, match="changed since this request"):
        services.extension_approve(request=request, by=manager, reason="Fine")


def test_escalation_is_only_by_a_manager_and_records_why(contract, officer, manager):
    request = raise_request(contract, officer, options=2)
    services.extension_escalate(
        request=request, by=manager, authority="Cabinet", reason="Beyond my limit"
    )
    request.refresh_from_db()
    assert request.escalation_reason == "Beyond my limit"
    assert request.escalated_at is not None


def test_whole_life_value_beyond_the_register_is_refused(db):
    with pytest.raises(services.ContractError, match="more than the register can hold"):
        ContractFactory(term="3+2+2", annual_value=Decimal("900000000000.00"))
