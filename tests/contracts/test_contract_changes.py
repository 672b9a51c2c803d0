"""Contract changes under delegated authority, and what an approved change
moves: the register's values and dates and finance's commitments by year."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import services
from contracts.models import Contract
from contracts.models_changes import ChangeReason, ChangeStatus
from contracts.selectors_changes import contract_changes_summary
from contracts.services import changes as change_services
from core.roles import Role
from finance.commitments import commitments_by_area
from finance.years import FinancialYear
from tests.factories import ContractFactory, ProviderFactory

Y2026 = FinancialYear(2026)


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER)


@pytest.fixture
def manager(user_with_role):
    # £250,000 delegated authority (see conftest).
    return user_with_role(Role.APPROVING_MANAGER)


@pytest.fixture
def contract(db, time_machine):
    time_machine.move_to("2026-09-15 09:00 +00:00")
    return ContractFactory(
        reference="ILSS-2025",
        service_area="ilss",
        start_date=date(2025, 4, 1),
        term="5",
        annual_value=Decimal("491804.00"),
        uplift_percent=Decimal(0),
    )


def committed(contract, year):
    rows = commitments_by_area(Contract.objects.filter(pk=contract.pk), year)
    return rows[0]["committed"]


def raise_change(contract, officer, **figures):
    figures.setdefault("reason", ChangeReason.PRICE_REVIEW)
    figures.setdefault("explanation", "Annual price review")
    figures.setdefault("effective_from", date(2026, 10, 1))
    return change_services.change_raise(contract=contract, by=officer, **figures)


def test_a_12_per_cent_rise_from_1_october_2026_moves_that_years_commitment(
    contract, officer, manager
):
    """The issue's must-show test."""
    assert contract.whole_life_value == Decimal("2459020.00")
    assert committed(contract, Y2026) == Decimal("491804.00")

    new_value = (Decimal("491804") * Decimal("1.12")).quantize(Decimal("0.01"))
    change = raise_change(contract, officer, new_annual_value=new_value)
    change_services.change_approve(change=change, by=manager, reason="Within the budget")

    # 491,804 x 12% x 182/365 = 29,427.3955..., to the penny half up: 29,427.40.
    assert committed(contract, Y2026) - Decimal("491804.00") == Decimal("29427.40")
    assert committed(contract, FinancialYear(2025)) == Decimal("491804.00")
    assert committed(contract, FinancialYear(2027)) == Decimal("550820.48")
    contract.refresh_from_db()
    # 29,427.3955... + 3 x 59,016.48 = 206,476.8355..., so £206,476.84 more.
    assert contract.whole_life_value == Decimal("2459020.00") + Decimal("206476.84")
    change.refresh_from_db()
    assert change.value_effect == Decimal("206476.84")
    summary = contract_changes_summary(contract)
    assert summary.over_threshold
    assert summary.annual.percent == Decimal("12.00")
    assert summary.whole_life.amount == Decimal("206476.84")


def test_a_rise_taken_back_later_still_moves_the_stored_commitment(contract, officer, manager):
    """The second change leaves every figure finance compares as it was at
    award except the value schedule: its version tells the budget page that
    the stored commitment is out of date."""
    raised = (Decimal("491804") * Decimal("1.12")).quantize(Decimal("0.01"))
    rise = raise_change(contract, officer, new_annual_value=raised)
    change_services.change_approve(change=rise, by=manager, reason="Within the budget")
    assert committed(contract, Y2026) == Decimal("491804.00") + Decimal("29427.40")

    back = raise_change(
        Contract.objects.get(pk=contract.pk),
        officer,
        new_annual_value=Decimal("491804.00"),
        effective_from=date(2027, 1, 1),
    )
    change_services.change_approve(change=back, by=manager, reason="The extra hours ended")
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("491804.00")
    assert contract.schedule_version == 2
    # The rise now lasts the 92 days from 1 October to 31 December 2026:
    # 59,016.48 x 92/365 = 14,875.387..., so £14,875.39.
    assert committed(contract, Y2026) == Decimal("491804.00") + Decimal("14875.39")


def test_no_change_keeps_the_contracts_figures(contract):
    summary = contract_changes_summary(contract)
    assert summary.whole_life.amount == 0
    assert not summary.over_threshold
    assert contract.change_schedule == ""


def test_nobody_decides_a_change_they_raised(contract, manager):
    change = raise_change(contract, manager, new_annual_value=Decimal("500000"))
    for decide in (
        lambda: change_services.change_approve(change=change, by=manager, reason="ok"),
        lambda: change_services.change_reject(change=change, by=manager, reason="no"),
        lambda: change_services.change_escalate(change=change, by=manager, authority="Cabinet"),
    ):
        with pytest.raises(services.ContractError, match="raised yourself"):
            decide()
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_over_the_limit_the_manager_escalates_and_the_authority_decides(
    contract, officer, manager, user_with_role
):
    # +£100,000 a year from October 2026: £350,000 more over the term.
    change = raise_change(contract, officer, new_annual_value=Decimal("591804"))
    assert change.value_effect > manager.delegated_authority_limit
    with pytest.raises(services.ContractError, match="more than your delegated authority"):
        change_services.change_approve(change=change, by=manager, reason="ok")
    change_services.change_escalate(change=change, by=manager, authority="Cabinet")
    change.refresh_from_db()
    assert change.status == ChangeStatus.ESCALATED
    with pytest.raises(services.ContractError, match="not waiting for this decision"):
        change_services.change_approve(change=change, by=manager, reason="ok")
    with pytest.raises(services.ContractError, match="raised yourself"):
        change_services.change_record_authority_decision(
            change=change, by=officer, approved=True, reference="Cabinet 1", reason="ok"
        )
    change_services.change_record_authority_decision(
        change=change, by=manager, approved=True, reference="Cabinet 12 Nov 2026", reason="Need"
    )
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("591804.00")
    change.refresh_from_db()
    assert (change.status, change.authority_reference) == (
        ChangeStatus.APPROVED,
        "Cabinet 12 Nov 2026",
    )


def test_within_the_limit_a_manager_cannot_escalate(contract, officer, manager):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    with pytest.raises(services.ContractError, match="within your delegated authority"):
        change_services.change_escalate(change=change, by=manager, authority="Cabinet")


def test_only_an_approving_manager_decides(contract, officer, user_with_role):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    other = user_with_role(Role.COMMISSIONING_OFFICER)
    with pytest.raises(services.ContractError, match="Only an approving manager"):
        change_services.change_approve(change=change, by=other, reason="ok")
    with pytest.raises(services.ContractError, match="Only an approving manager"):
        change_services.change_reject(change=change, by=other, reason="no")


def test_a_decided_change_cannot_be_decided_again(contract, officer, manager):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    change_services.change_reject(change=change, by=manager, reason="Not affordable")
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("491804.00")
    for decide in (
        lambda: change_services.change_approve(change=change, by=manager, reason="ok"),
        lambda: change_services.change_withdraw(change=change, by=officer, reason="x"),
    ):
        with pytest.raises(services.ContractError):
            decide()


def test_withdrawn_by_the_officer_changes_nothing(contract, officer):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    change_services.change_withdraw(change=change, by=officer, reason="Raised in error")
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("491804.00")


def test_one_open_change_at_a_time_and_in_date_order(contract, officer, manager):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    with pytest.raises(services.ContractError, match="already a change"):
        raise_change(contract, officer, new_annual_value=Decimal("510000"))
    change_services.change_approve(change=change, by=manager, reason="ok")
    with pytest.raises(services.ContractError, match="date order"):
        raise_change(
            contract, officer, new_annual_value=Decimal("1"), effective_from=date(2026, 4, 1)
        )


def test_a_change_must_change_something_within_the_contract(contract, officer):
    with pytest.raises(services.ContractError, match="at least one figure"):
        raise_change(contract, officer, new_annual_value=Decimal("491804.00"))
    with pytest.raises(services.ContractError, match="take effect between"):
        raise_change(
            contract, officer, new_annual_value=Decimal("1"), effective_from=date(2030, 4, 1)
        )
    with pytest.raises(services.ContractError, match="add up to 100%"):
        raise_change(
            contract,
            officer,
            new_council_share_percent=Decimal(60),
            new_icb_share_percent=Decimal(30),
            new_other_share_percent=Decimal(0),
        )


def test_a_draft_is_edited_not_changed(db, officer):
    draft = ContractFactory(is_draft=True)
    with pytest.raises(services.ContractError, match="draft"):
        raise_change(draft, officer, new_annual_value=Decimal("1"), effective_from=draft.start_date)


def test_the_change_is_refused_if_the_contract_moved_since(contract, officer, manager):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    # Somebody changed the figures underneath, for example in the admin.
    Contract.objects.filter(pk=contract.pk).update(annual_value=Decimal("400000"))
    with pytest.raises(services.ContractError, match="changed since this change was raised"):
        change_services.change_approve(change=change, by=manager, reason="ok")


def test_novation_and_funding_split_and_months_beyond_the_options(contract, officer, manager):
    new_provider = ProviderFactory()
    change = raise_change(
        contract,
        officer,
        reason=ChangeReason.NOVATION,
        new_provider=new_provider,
        new_council_share_percent=Decimal(60),
        new_icb_share_percent=Decimal(40),
        new_other_share_percent=Decimal(0),
    )
    assert change.value_effect == 0
    change_services.change_approve(change=change, by=manager, reason="Provider sold")
    contract.refresh_from_db()
    assert contract.provider == new_provider
    assert contract.icb_share_percent == Decimal(40)
    rows = commitments_by_area(Contract.objects.filter(pk=contract.pk), Y2026)
    # The ICB pays 40% of the 182 days from 1 October: 491,804 x 182/365 x 40%.
    assert rows[0]["icb"] == Decimal("98091.32")
    assert rows[0]["committed"] == Decimal("491804.00")

    longer = raise_change(
        contract,
        officer,
        reason=ChangeReason.EXTENSION,
        months_added=6,
        effective_from=date(2029, 4, 1),
    )
    assert longer.new_end_date == date(2030, 9, 30)
    change_services.change_approve(change=longer, by=manager, reason="Recommissioning late")
    contract.refresh_from_db()
    assert contract.current_end_date == date(2030, 9, 30)
    assert committed(contract, FinancialYear(2030)) == Decimal("245902.00")


def test_months_beyond_the_options_wait_for_the_options(db, officer, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    with_options = ContractFactory(start_date=date(2024, 4, 1), term="3+1")
    with pytest.raises(services.ContractError, match="still has extension options"):
        raise_change(
            with_options,
            officer,
            reason=ChangeReason.EXTENSION,
            months_added=6,
            effective_from=date(2026, 4, 1),
        )


def test_a_live_contracts_figures_are_not_edited(contract, officer):
    with pytest.raises(services.ContractError, match="only change through a contract change"):
        services.contract_update(contract=contract, by=officer, annual_value=Decimal("1"))
    with pytest.raises(services.ContractError, match="provider"):
        services.contract_update(contract=contract, by=officer, provider=ProviderFactory())
    contract.refresh_from_db()
    assert contract.annual_value == Decimal("491804.00")
    # Descriptive fields stay editable.
    services.contract_update(contract=contract, by=officer, title="Independent living support")
    contract.refresh_from_db()
    assert contract.title == "Independent living support"


def test_a_drafts_figures_are_edited(db, officer):
    draft = ContractFactory(is_draft=True, annual_value=Decimal("1000"))
    services.contract_update(contract=draft, by=officer, annual_value=Decimal("2000"))
    draft.refresh_from_db()
    assert draft.annual_value == Decimal("2000.00")


def test_a_change_waits_for_an_open_extension_request(db, officer, manager, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    with_options = ContractFactory(start_date=date(2024, 4, 1), term="3+1")
    change = raise_change(
        with_options, officer, new_annual_value=Decimal("110000"), effective_from=date(2026, 4, 1)
    )
    services.extension_request_raise(
        contract=with_options, by=officer, options_requested=1, justification="Good KPIs"
    )
    with pytest.raises(services.ContractError, match="extension request is waiting"):
        change_services.change_approve(change=change, by=manager, reason="ok")


def test_terminating_the_contract_withdraws_an_open_change(contract, officer):
    change = raise_change(contract, officer, new_annual_value=Decimal("500000"))
    services.contract_terminate(
        contract=contract, by=officer, terminated_on=date(2026, 12, 31), reason="Provider exit"
    )
    change.refresh_from_db()
    assert (change.status, change.decision_reason) == (
        ChangeStatus.WITHDRAWN,
        "Contract terminated",
    )
