from datetime import date
from decimal import Decimal

import pytest

from core.concurrency import StaleEdit
from performance import services
from performance.models import KpiActual, MonitoringReturn, Review
from performance.services import PerformanceError
from tests.factories import ContractFactory, UserFactory
from tests.performance.helpers import AFTER, Q1, Q2, add_kpi, record, review


@pytest.fixture
def contract(db):
    contract = ContractFactory()
    add_kpi(contract, name="Tenancies sustained", target=Decimal(95), tolerance=Decimal(3))
    add_kpi(
        contract, name="Medication errors", unit="errors", target=Decimal(2),
        direction="lower", tolerance=Decimal(1),
    )  # fmt: skip
    return contract


def kpis(contract):
    return {k.name: k for k in contract.kpis.all()}


def test_a_return_records_each_kpis_actual_and_who_recorded_it(contract):
    officer = UserFactory()
    k = kpis(contract)
    result = record(
        contract, by=officer, values={k["Tenancies sustained"]: Decimal("93.5"),
                                      k["Medication errors"]: None},
    )  # fmt: skip
    assert result.status == "submitted"
    assert result.submitted_by == officer
    assert result.due_date == date(2025, 7, 30)
    actuals = {a.kpi.name: a.actual for a in result.actuals.all()}
    assert actuals == {"Tenancies sustained": Decimal("93.50"), "Medication errors": None}
    assert not any(a.rating for a in result.actuals.all())


def test_a_second_return_for_the_same_period_is_refused(contract):
    record(contract)
    with pytest.raises(PerformanceError, match="A return for 1 April 2025 to 30 June 2025 has"):
        record(contract)
    with pytest.raises(PerformanceError, match="already been recorded"):
        record(contract, period=(date(2025, 6, 1), date(2025, 8, 31)))
    assert MonitoringReturn.objects.count() == 1


def test_a_due_return_from_the_calendar_is_filled_in(contract):
    due = MonitoringReturn.objects.create(
        contract=contract, period_start=Q1[0], period_end=Q1[1], due_date=date(2025, 7, 31)
    )
    actuals = {k.pk: (k.target, "") for k in contract.kpis.all()}
    filled = services.return_record(
        contract=contract, by=None, actuals=actuals, monitoring_return=due, version=due.version,
        today=AFTER,
    )  # fmt: skip
    assert filled.pk == due.pk
    assert filled.due_date == date(2025, 7, 31)
    assert filled.status == "submitted"
    with pytest.raises(PerformanceError, match="already been recorded"):
        services.return_record(
            contract=contract, by=None, actuals=actuals, monitoring_return=due, today=AFTER
        )
    # Recording the same period by dates also finds the calendar's row.
    due2 = MonitoringReturn.objects.create(
        contract=contract, period_start=Q2[0], period_end=Q2[1], due_date=date(2025, 10, 31)
    )
    assert record(contract, period=Q2).pk == due2.pk


def test_a_period_overlapping_a_due_return_points_to_the_calendars_period(contract):
    MonitoringReturn.objects.create(
        contract=contract, period_start=Q1[0], period_end=Q1[1], due_date=date(2025, 7, 31)
    )
    with pytest.raises(PerformanceError, match="calendar has a return due for 1 April 2025"):
        record(contract, period=(date(2025, 5, 1), date(2025, 7, 31)))
    assert MonitoringReturn.objects.get().status == "due"


def test_a_stale_due_return_is_refused(contract):
    due = MonitoringReturn.objects.create(
        contract=contract, period_start=Q1[0], period_end=Q1[1], due_date=date(2025, 7, 31)
    )
    actuals = {k.pk: (k.target, "") for k in contract.kpis.all()}
    with pytest.raises(StaleEdit):
        services.return_record(
            contract=contract, by=None, actuals=actuals, monitoring_return=due, version=0,
            today=AFTER,
        )  # fmt: skip
    assert not KpiActual.objects.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ((date(2025, 6, 30), date(2025, 4, 1)), "must end after it starts"),
        ((date(2025, 10, 1), date(2025, 12, 31)), "has not ended yet"),
        ((date(2023, 1, 1), date(2023, 3, 31)), "within the contract"),
    ],
)
def test_bad_periods_are_refused(contract, period, message):
    with pytest.raises(PerformanceError, match=message):
        record(contract, period=period)
    assert not MonitoringReturn.objects.exists()


def test_a_return_must_cover_exactly_the_current_kpis(contract):
    kpi = contract.kpis.first()
    with pytest.raises(PerformanceError, match="KPIs have changed"):
        services.return_record(
            contract=contract, by=None, period_start=Q1[0], period_end=Q1[1],
            actuals={kpi.pk: (Decimal(1), "")}, today=AFTER,
        )  # fmt: skip
    assert not MonitoringReturn.objects.exists()


def test_a_contract_without_kpis_cannot_record_a_return(db):
    with pytest.raises(PerformanceError, match="Set the contract's KPIs"):
        record(ContractFactory())


def test_the_review_fixes_each_kpis_rating_and_a_later_target_does_not_change_it(contract):
    officer = UserFactory()
    k = kpis(contract)
    result = record(
        contract, values={k["Tenancies sustained"]: Decimal(93), k["Medication errors"]: Decimal(4)}
    )
    given = review(result, officer, "requires_improvement", meeting_notes="Visit on 1 Dec")
    assert given.contract == contract
    assert given.reviewed_by == officer
    result.refresh_from_db()
    assert result.status == "reviewed"
    fixed = {a.kpi.name: a.rating for a in result.actuals.all()}
    assert fixed == {"Tenancies sustained": "amber", "Medication errors": "red"}
    tenancies = k["Tenancies sustained"]
    services.kpi_update(kpi=tenancies, by=None, version=tenancies.version, target=Decimal(90))
    assert result.actuals.get(kpi=tenancies).rating == "amber"


def test_not_reported_is_rated_not_reported(contract):
    k = kpis(contract)
    result = record(contract, values={k["Medication errors"]: None})
    review(result, UserFactory())
    assert result.actuals.get(kpi=k["Medication errors"]).rating == "not_reported"


def test_other_needs_a_reason_and_other_ratings_drop_one(contract):
    result = record(contract)
    with pytest.raises(PerformanceError, match="why the rating is Other"):
        review(result, UserFactory(), "other", other_reason="  ")
    assert not Review.objects.exists()
    given = review(result, UserFactory(), "good", other_reason="not needed")
    assert given.other_reason == ""


def test_other_with_a_reason_is_kept(contract):
    given = review(record(contract), UserFactory(), "other", other_reason="Provider in transition")
    assert given.other_reason == "Provider in transition"


def test_a_return_is_reviewed_once(contract):
    result = record(contract)
    review(result, UserFactory())
    with pytest.raises(PerformanceError, match="already been reviewed"):
        review(result, UserFactory())
    assert Review.objects.count() == 1


def test_a_due_return_cannot_be_reviewed(contract):
    due = MonitoringReturn.objects.create(
        contract=contract, period_start=Q1[0], period_end=Q1[1], due_date=date(2025, 7, 31)
    )
    with pytest.raises(PerformanceError, match="Record the return before"):
        review(due, UserFactory())


@pytest.mark.parametrize(
    ("reviewed_on", "message"),
    [(date(2025, 12, 2), "today or in the past"), (date(2025, 6, 29), "after the period ends")],
)
def test_review_dates_are_checked(contract, reviewed_on, message):
    result = record(contract)
    with pytest.raises(PerformanceError, match=message):
        services.return_review(
            monitoring_return=result, by=UserFactory(), overall_rating="good",
            reviewed_on=reviewed_on, today=AFTER,
        )  # fmt: skip
    result.refresh_from_db()
    assert result.status == "submitted"
    assert not any(a.rating for a in result.actuals.all())


def test_a_review_from_a_stale_page_is_refused(contract):
    result = record(contract)
    with pytest.raises(StaleEdit):
        services.return_review(
            monitoring_return=result, by=UserFactory(), overall_rating="good",
            reviewed_on=AFTER, today=AFTER, version=result.version - 1,
        )  # fmt: skip
    assert not Review.objects.exists()


def test_a_return_recorded_by_hand_is_due_when_the_service_areas_setting_says(contract):
    from contracts.models import ServiceAreaSettings

    ServiceAreaSettings.objects.create(service_area=contract.service_area, return_due_days=45)
    monitoring_return = record(contract, period=Q1)
    assert monitoring_return.due_date == date(2025, 8, 14)  # 30 June + 45 days


def test_without_a_setting_a_return_is_due_30_days_after_its_period(contract):
    assert record(contract, period=Q1).due_date == date(2025, 7, 30)
