from decimal import Decimal

import pytest

from core.concurrency import StaleEdit
from performance import services
from performance.models import Kpi, KpiTemplate
from performance.services import PerformanceError
from tests.factories import ContractFactory, UserFactory
from tests.performance.helpers import add_kpi, kpi_fields, record


@pytest.fixture
def contract(db):
    return ContractFactory(service_area="supported_living")


def template(area="supported_living", name="Outcomes achieved", **extra):
    return KpiTemplate.objects.create(
        service_area=area, **{**kpi_fields(name=name), "order": 1, **extra}
    )


def test_templates_are_copied_onto_the_contract_and_remember_where_they_came_from(contract):
    officer = UserFactory()
    first, second = template(), template(name="Medication errors", direction="lower", order=2)
    kpis = services.kpis_set_from_templates(
        contract=contract, by=officer, templates=[second, first]
    )
    assert [k.name for k in kpis] == ["Outcomes achieved", "Medication errors"]
    assert [k.template for k in kpis] == [first, second]
    assert kpis[1].direction == "lower"
    # A copy, not a link: changing the KPI leaves the template alone.
    services.kpi_update(kpi=kpis[0], by=officer, version=kpis[0].version, target=Decimal(50))
    first.refresh_from_db()
    assert first.target == Decimal(95)
    assert kpis[0].history.first().history_user == officer


def test_another_service_areas_template_is_refused(contract):
    ilss = template(area="ilss")
    with pytest.raises(PerformanceError, match="not a template for Supported living"):
        services.kpis_set_from_templates(contract=contract, by=None, templates=[ilss])
    assert not contract.kpis.exists()


def test_a_template_already_on_the_contract_is_refused_and_nothing_is_copied(contract):
    first, second = template(), template(name="Staff turnover", order=2)
    services.kpis_set_from_templates(contract=contract, by=None, templates=[first])
    with pytest.raises(PerformanceError, match="already has a KPI called"):
        services.kpis_set_from_templates(contract=contract, by=None, templates=[second, first])
    assert list(contract.kpis.values_list("name", flat=True)) == ["Outcomes achieved"]


def test_no_template_chosen_is_refused(contract):
    with pytest.raises(PerformanceError, match="Select at least one"):
        services.kpis_set_from_templates(contract=contract, by=None, templates=[])


def test_only_three_kpis_may_be_the_most_material(contract):
    for n in range(3):
        add_kpi(contract, name=f"KPI {n}", most_material=True)
    with pytest.raises(PerformanceError, match="Only 3 KPIs"):
        add_kpi(contract, name="Fourth", most_material=True)
    fourth = add_kpi(contract, name="Fourth")
    with pytest.raises(PerformanceError, match="Only 3 KPIs"):
        services.kpi_update(kpi=fourth, by=None, version=fourth.version, most_material=True)


def test_a_negative_tolerance_is_refused(contract):
    with pytest.raises(PerformanceError, match="negative"):
        add_kpi(contract, tolerance=Decimal("-1"))
    assert not contract.kpis.exists()


def test_an_edit_from_a_stale_page_is_refused(contract):
    kpi = add_kpi(contract)
    services.kpi_update(kpi=kpi, by=None, version=1, target=Decimal(90))
    with pytest.raises(StaleEdit):
        services.kpi_update(kpi=kpi, by=None, version=1, target=Decimal(80))
    kpi.refresh_from_db()
    assert (kpi.target, kpi.version) == (Decimal(90), 2)


def test_a_kpi_without_returns_is_deleted(contract):
    kpi = add_kpi(contract)
    assert services.kpi_remove(kpi=kpi, by=None, version=kpi.version) is True
    assert not Kpi.objects.filter(pk=kpi.pk).exists()


def test_a_kpi_with_returns_is_retired_and_left_out_of_new_returns(contract, time_machine):
    time_machine.move_to("2025-12-01")
    kept, retired = add_kpi(contract, name="Kept"), add_kpi(contract, name="Retired")
    record(contract)
    assert services.kpi_remove(kpi=retired, by=None, version=retired.version) is False
    retired.refresh_from_db()
    assert retired.retired_on is not None
    assert retired.actuals.count() == 1
    with pytest.raises(PerformanceError, match="retired"):
        services.kpi_update(kpi=retired, by=None, version=retired.version, target=Decimal(1))
    with pytest.raises(PerformanceError, match="already been retired"):
        services.kpi_remove(kpi=retired, by=None, version=retired.version)
    from tests.performance.helpers import Q2

    second = record(contract, period=Q2)
    assert [a.kpi for a in second.actuals.all()] == [kept]
