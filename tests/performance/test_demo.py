from io import StringIO

from django.core.management import call_command

from contracts.models import Contract
from performance.models import KpiActual, KpiTemplate, Review


def _demo_ratings():
    order = ("monitoring_return__contract__reference", "monitoring_return__period_start", "kpi")
    fields = ("monitoring_return__contract__reference", "kpi__name", "actual", "rating")
    return list(KpiActual.objects.order_by(*order).values_list(*fields))


def test_demo_contracts_have_kpis_from_the_papers_and_quarters_of_reviews(db, time_machine):
    time_machine.move_to("2026-12-02 09:00 +00:00")
    call_command("load_demo_data", allow_production=True, stdout=StringIO())
    assert KpiTemplate.objects.filter(service_area="supported_living").count() == 7
    ilss = Contract.objects.get(reference="ILSS-2019-01")
    assert "Accommodation maintained" in ilss.kpis.values_list("name", flat=True)
    sefton = Contract.objects.get(reference="SEFTON-SL-2020-01")
    assert "Outcomes achieved" in sefton.kpis.values_list("name", flat=True)
    assert sefton.kpis.filter(most_material=True).count() == 3
    for contract in (ilss, sefton):
        returns = contract.monitoring_returns.all()
        assert returns.count() == 6
        assert returns.filter(status="reviewed").count() == 5
        assert returns.filter(status="submitted").count() == 1
    shown = set(KpiActual.objects.values_list("rating", flat=True))
    assert {"green", "amber", "red", "not_reported"} <= shown
    assert Review.objects.filter(overall_rating="requires_improvement").exists()
    first = _demo_ratings()
    call_command("load_demo_data", allow_production=True, stdout=StringIO())
    assert _demo_ratings() == first
