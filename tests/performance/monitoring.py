"""Setting KPIs and moving returns along, for the schedule and reminder
tests (perf-core's pages do this for real)."""

from decimal import Decimal

from performance.constants import ReturnStatus
from performance.models import Kpi, MonitoringReturn


def kpi_set(contract, frequency="quarterly", **fields) -> Kpi:
    fields = {
        "name": "People supported to move on",
        "measure": "People who moved to more independent living",
        "unit": "people",
        "target": Decimal("4"),
        **fields,
    }
    return Kpi.objects.create(contract=contract, frequency=frequency, **fields)


def return_mark(monitoring_return: MonitoringReturn, status: str) -> MonitoringReturn:
    MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(status=status)
    monitoring_return.refresh_from_db()
    return monitoring_return


SUBMITTED, REVIEWED = ReturnStatus.SUBMITTED, ReturnStatus.REVIEWED
