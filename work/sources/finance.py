"""Queue items from finance: budget over-commitments in the service areas
someone answers for, and cabinet reports ready for the officer who asked."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from finance.models import CabinetReport, ReportStatus
from finance.selectors import over_committed_areas
from finance.years import FinancialYear
from work.items import QueueItem, Source, register
from work.sources._names import area_label, money, url

KINDS = {
    "over_commitments": "Budgets over-committed",
    "reports": "Cabinet reports ready",
}

# A report has no "read" state: it is listed for a week after it was asked
# for, then left to the reports the officer already knows about (decision 27).
REPORT_READY_DAYS = 7


def _applies(user) -> bool:
    return user.has_perm("finance.view_budgetline")


def _areas(audience, user) -> list[str] | None:
    """The areas whose over-commitment is this person's: a finance officer
    watches every area's budget; an approving manager, the areas they are
    named for. None: every area."""
    if audience.team:
        return list(audience.areas)
    if user is None or user.has_role(Role.FINANCE_OFFICER):
        return None
    if user.has_role(Role.APPROVING_MANAGER):
        return list(audience.areas)
    return []


def _over_committed(audience, today: date):
    year = FinancialYear.of(today)
    areas = _areas(audience, audience.user)
    if areas == []:
        return year, []
    key = ("over_committed", year.start_year)
    if key not in audience.memo:
        audience.memo[key] = over_committed_areas(year, areas=areas)
    return year, audience.memo[key]


def _reports(audience, today: date):
    since = timezone.now() - timedelta(days=REPORT_READY_DAYS)
    if audience.user is None:
        return CabinetReport.objects.none()
    return CabinetReport.objects.filter(
        requested_by=audience.user, status=ReportStatus.DONE, created_at__gte=since
    )


def _counts(audience, today: date) -> dict:
    return {
        "over_commitments": len(_over_committed(audience, today)[1]),
        "reports": _reports(audience, today),
    }


def _items(audience, today: date, oldest: int | None = None) -> list[QueueItem]:
    user = audience.user
    year, rows = _over_committed(audience, today)
    items = []
    for row in rows:
        if user is not None and user.has_role(Role.FINANCE_OFFICER):
            reason = "You are a finance officer"
        else:
            reason = f"You are an approving manager for {area_label(row.service_area)}"
        items.append(
            QueueItem(
                kind="over_commitments",
                title=f"{row.label}: {year} committed {money(row.committed - row.budget)} "
                "more than its budget",
                href=reverse("finance:overview") + f"?year={year.label}",
                since=year.starts,
                deadline=year.ends,
                reason=reason,
                waiting_for="Approving managers and finance officers",
            )
        )
    for report in _reports(audience, today).order_by("created_at", "pk")[:oldest]:
        items.append(
            QueueItem(
                kind="reports",
                title=f"{report.title}: ready to download",
                href=url("finance:report", report.pk),
                since=timezone.localdate(report.created_at),
                deadline=None,
                reason="You asked for this report",
            )
        )
    return items


register(
    Source(
        name="finance",
        kinds=KINDS,
        applies=_applies,
        items=_items,
        counts=_counts,
        order=30,
    )
)
