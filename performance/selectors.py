"""Reads of a contract's KPIs, returns and reviews, each a fixed number of
queries however many KPIs and returns the contract has."""

from django.db.models import Count, Prefetch

from performance.models import Kpi, KpiActual, KpiTemplate, MonitoringReturn


def contract_kpis(contract):
    """Every KPI on the contract, current first, each with how many returns
    have reported against it (which decides retire versus delete)."""
    return list(
        Kpi.objects.filter(contract=contract)
        .annotate(return_count=Count("actuals"))
        .order_by("retired_on", "order", "pk")
    )


def contract_returns(contract):
    """The contract's returns, latest period first, with their reviews."""
    return list(
        MonitoringReturn.objects.filter(contract=contract)
        .select_related("review", "submitted_by")
        .order_by("-period_start")
    )


def return_detail(contract, pk) -> MonitoringReturn:
    """One return with its actuals, their KPIs and its review (raises
    MonitoringReturn.DoesNotExist)."""
    actuals = KpiActual.objects.select_related("kpi").order_by("kpi__order", "kpi__pk")
    return (
        MonitoringReturn.objects.select_related(
            "contract", "submitted_by", "review", "review__reviewed_by"
        )
        .prefetch_related(Prefetch("actuals", queryset=actuals))
        .get(contract=contract, pk=pk)
    )


def templates_for(service_area):
    return list(KpiTemplate.objects.filter(service_area=service_area).order_by("order", "name"))
