"""Writes to a contract's KPIs, monitoring returns and reviews: each change
is one atomic service that checks what is allowed and records who and why."""

from performance.services.kpis import (
    KPI_FIELDS,
    PerformanceError,
    kpi_add,
    kpi_remove,
    kpi_update,
    kpis_set_from_templates,
)
from performance.services.returns import return_record, return_review

__all__ = [
    "KPI_FIELDS",
    "PerformanceError",
    "kpi_add",
    "kpi_remove",
    "kpi_update",
    "kpis_set_from_templates",
    "return_record",
    "return_review",
]
