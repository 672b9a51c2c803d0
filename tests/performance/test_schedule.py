"""The daily sweep creates each contract's monitoring returns as its
periods end: once, whatever runs twice, and catching up after an outage."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import ReminderSweep, ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
from performance.constants import ReturnStatus
from performance.models import MonitoringReturn
from tests.factories import ContractFactory
from tests.performance.monitoring import kpi_set


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")


@pytest.fixture
def contract(officer):
    # Starts mid-quarter on 15 May 2025; 3 years, so it ends 14 May 2028.
    contract = ContractFactory(reference="SL-001", owner=officer, start_date=date(2025, 5, 15))
    kpi_set(contract)
    return contract


def sweep(day):
    return reminders.reminders_sweep(today=day, dispatch=lambda ids: None)


def periods(contract=None):
    rows = MonitoringReturn.objects.order_by("period_start")
    if contract is not None:
        rows = rows.filter(contract=contract)
    return [(r.period_start, r.period_end, r.due_date, r.status) for r in rows]


def test_a_quarters_return_is_created_the_day_after_it_ends_and_due_30_days_later(contract):
    sweep(date(2025, 6, 30))
    assert periods() == []
    sweep(date(2025, 7, 1))
    # The contract started mid-quarter: a short first period.
    assert periods() == [(date(2025, 5, 15), date(2025, 6, 30), date(2025, 7, 30), "due")]
    [created] = MonitoringReturn.objects.all()
    assert created.history.get().history_change_reason == "Monitoring period ended: return due"


def test_sweeping_again_creates_nothing_twice(contract):
    for _ in range(3):
        sweep(date(2025, 7, 1))
        ReminderSweep.objects.all().delete()
    assert len(periods()) == 1


def test_the_days_missed_in_an_outage_are_caught_up(contract):
    sweep(date(2025, 6, 1))
    # Nothing ran from 2 June to 14 October: both quarters that ended meanwhile.
    sweep(date(2025, 10, 15))
    assert [p[:2] for p in periods()] == [
        (date(2025, 5, 15), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
    ]


def test_periods_that_ended_before_the_contract_had_kpis_are_not_asked_for(officer):
    contract = ContractFactory(reference="SL-OLD", owner=officer, start_date=date(2024, 4, 1))
    sweep(date(2025, 11, 20))
    kpi_set(contract)
    sweep(date(2026, 1, 2))
    assert [p[:2] for p in periods()] == [(date(2025, 10, 1), date(2025, 12, 31))]


def test_a_period_an_officer_already_recorded_a_return_for_is_not_asked_for_again(contract):
    MonitoringReturn.objects.create(
        contract=contract, period_start=date(2025, 6, 1), period_end=date(2025, 6, 30),
        due_date=date(2025, 7, 30), status=ReturnStatus.SUBMITTED,
    )  # fmt: skip
    sweep(date(2025, 7, 1))
    assert [p[:2] for p in periods()] == [(date(2025, 6, 1), date(2025, 6, 30))]


def test_a_contract_reports_at_its_most_frequent_kpis_frequency(officer):
    contract = ContractFactory(reference="SL-HALF", owner=officer, start_date=date(2025, 4, 1))
    kpi_set(contract, "yearly", name="Outcomes star")
    kpi_set(contract, "half_yearly", name="Tenancies sustained")
    sweep(date(2025, 7, 1))
    assert periods() == []
    sweep(date(2025, 10, 1))
    assert [p[:2] for p in periods()] == [(date(2025, 4, 1), date(2025, 9, 30))]


def test_no_kpis_no_draft_and_no_retired_kpis_mean_no_returns(officer):
    ContractFactory(reference="NO-KPIS", owner=officer, start_date=date(2025, 4, 1))
    draft = ContractFactory(reference="DRAFT", start_date=date(2025, 4, 1), is_draft=True)
    kpi_set(draft)
    retired = ContractFactory(reference="RETIRED", start_date=date(2025, 4, 1))
    kpi_set(retired, retired_on=date(2025, 6, 1))
    sweep(date(2025, 7, 1))
    assert periods() == []


def test_a_service_area_sets_when_its_returns_are_due(contract):
    ServiceAreaSettings.objects.create(service_area="supported_living", return_due_days=14)
    sweep(date(2025, 7, 1))
    assert periods()[0][2] == date(2025, 7, 14)


def test_the_last_period_stops_at_the_contracts_end_or_its_termination(contract, officer):
    ended = ContractFactory(reference="ENDS", start_date=date(2025, 5, 15), term="1")
    kpi_set(ended)
    sweep(date(2026, 4, 1))
    # Ends 14 May 2026: its last, short period is created the next day.
    sweep(date(2026, 5, 15))
    assert periods(ended)[-1][:2] == (date(2026, 4, 1), date(2026, 5, 14))

    services.contract_terminate(
        contract=contract, by=officer, terminated_on=date(2026, 8, 15), reason="Provider exit"
    )
    sweep(date(2026, 8, 16))
    assert periods(contract)[-1][:2] == (date(2026, 7, 1), date(2026, 8, 15))
    sweep(date(2026, 10, 1))
    assert periods(contract)[-1][:2] == (date(2026, 7, 1), date(2026, 8, 15))


def test_creating_the_returns_takes_the_same_queries_for_1_or_30_contracts(officer):
    def queries_for(count, day):
        for _ in range(count):
            kpi_set(ContractFactory(owner=officer, start_date=date(2025, 4, 1)))
        ReminderSweep.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            sweep(day)
        return len(queries)

    few = queries_for(1, date(2025, 7, 1))
    many = queries_for(30, date(2025, 10, 1))
    assert MonitoringReturn.objects.count() == 1 + 31
    assert few == many


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_create_each_return_once(postgresql, officer):
    for _ in range(20):
        kpi_set(ContractFactory(owner=officer, start_date=date(2025, 4, 1)))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            reminders.reminders_sweep(today=date(2025, 7, 1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert MonitoringReturn.objects.filter(status=ReturnStatus.DUE).count() == 20


def test_an_administrator_sets_an_areas_return_and_review_days_in_the_admin(client_as):
    admin = client_as(Role.ADMINISTRATOR)
    url = reverse("admin:contracts_serviceareasettings_add")
    form = admin.get(url).context["adminform"].form
    assert {"return_due_days", "review_due_days"} <= set(form.fields)
    data = {"service_area": "home_care", "expiry_lead_times": "12m, 6m", "review_due_days": "30"}
    refused = admin.post(url, {**data, "return_due_days": "0"})
    assert refused.status_code == 200
    assert "return_due_days" in refused.context["adminform"].form.errors
    assert admin.post(url, {**data, "return_due_days": "45"}).status_code == 302
    area = ServiceAreaSettings.objects.get(service_area="home_care")
    assert (area.return_due_days, area.review_due_days) == (45, 30)
    listing = admin.get(reverse("admin:contracts_serviceareasettings_changelist"))
    assert "Monitoring return due after (days)" in listing.text
