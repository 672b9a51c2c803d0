"""Writes for finance: budget lines, renegotiating an individual budget, and
rendering a cabinet report for a set of contracts (run by a worker)."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from core import concurrency
from core.errors import ServiceError
from finance import isf
from finance.models import BudgetLine, BudgetReview, CabinetReport, ReportStatus, Resident

log = logging.getLogger(__name__)

FAILED = "Something went wrong while preparing the report. It has been logged."
# A report still being prepared this long after it started has been lost
# (a worker died). One waiting to start is never lost: it starts when a
# worker is free and Redis is there.
STALE_AFTER = timedelta(minutes=15)


class FinanceError(ServiceError):
    pass


@transaction.atomic
def resident_budget_renegotiate(
    *,
    resident: Resident,
    by,
    new_budget: Decimal,
    review_reference: str,
    reviewed_on: date,
    reason: str,
    version: int | None = None,
) -> BudgetReview:
    """A new weekly individual budget, justified by a care management
    review; the old one stays in the record. `version` is the one the page
    showed: a budget changed since by somebody else is not overwritten."""
    resident = concurrency.lock(
        Resident.objects.select_related("scheme"), pk=resident.pk, version=version
    )
    if not review_reference.strip() or not reason.strip():
        raise FinanceError(
            "Record the review that justifies the change and why.", field="review_reference"
        )
    from django.utils import timezone

    if reviewed_on > timezone.localdate():
        raise FinanceError("The review date cannot be in the future.", field="reviewed_on")
    if new_budget == resident.weekly_budget:
        raise FinanceError("The new budget is the same as the current one.", field="new_budget")
    others = [
        isf.Resident(r.reference, new_budget if r.pk == resident.pk else r.weekly_budget)
        for r in resident.scheme.residents.all()
    ]
    try:
        isf.scheme_split(resident.scheme.core_support_weekly, others)
    except isf.ISFError as exc:
        raise FinanceError(str(exc), field="new_budget") from exc
    review = BudgetReview.objects.create(
        resident=resident,
        previous_budget=resident.weekly_budget,
        new_budget=new_budget,
        review_reference=review_reference.strip(),
        reviewed_on=reviewed_on,
        reason=reason.strip(),
        recorded_by=by,
    )
    resident.weekly_budget = new_budget
    resident._history_user = by
    resident._change_reason = f"Renegotiated after review {review_reference}"[:100]
    concurrency.save_next_version(resident)
    return review


REASON_MAX = 500
DUPLICATE_LINE = (
    "That budget line is already recorded for this year, service area and funder: "
    "change that line, or describe this one differently."
)


def _reason(reason: str, *, doing: str) -> str:
    reason = reason.strip()
    if not reason:
        raise FinanceError(f"Enter why you are {doing} the budget line", field="reason")
    if len(reason) > REASON_MAX:
        raise FinanceError(
            f"Why you are {doing} the budget line must be {REASON_MAX} characters or fewer",
            field="reason",
        )
    return reason


def _save_line(line: BudgetLine, *, by, reason: str) -> BudgetLine:
    from django.db import IntegrityError

    line._history_user = by
    line._change_reason = reason
    try:
        # A savepoint, so the refusal leaves the caller's transaction usable.
        with transaction.atomic():
            concurrency.save_next_version(line)
    except IntegrityError as exc:
        raise FinanceError(DUPLICATE_LINE, field="description") from exc
    return line


@transaction.atomic
def budget_line_add(
    *, by, financial_year: int, service_area: str, funder: str, description: str, amount: Decimal
) -> BudgetLine:
    line = BudgetLine(
        financial_year=financial_year,
        service_area=service_area,
        funder=funder,
        description=description.strip(),
        amount=amount,
    )
    return _save_line(line, by=by, reason="Budget line added")


@transaction.atomic
def budget_line_update(
    *,
    line: BudgetLine,
    by,
    reason: str,
    version: int | None = None,
    financial_year: int,
    service_area: str,
    funder: str,
    description: str,
    amount: Decimal,
) -> BudgetLine:
    """Correct a budget line. The reason is kept with the change in the
    line's history, as is what it read before. `version` is the one the
    page showed: a line changed since by somebody else is not overwritten."""
    line = concurrency.lock(BudgetLine.objects, pk=line.pk, version=version)
    reason = _reason(reason, doing="changing")
    fields = {
        "financial_year": financial_year,
        "service_area": service_area,
        "funder": funder,
        "description": description.strip(),
        "amount": amount,
    }
    if all(getattr(line, name) == value for name, value in fields.items()):
        raise FinanceError("Change at least one of the budget line's details", field="amount")
    for name, value in fields.items():
        setattr(line, name, value)
    return _save_line(line, by=by, reason=reason)


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, by, reason: str, version: int | None = None) -> None:
    """Take a budget line out of the budgets. Its history, ending with the
    removal and its reason, stays in the audit trail."""
    line = concurrency.lock(BudgetLine.objects, pk=line.pk, version=version)
    line._history_user = by
    line._change_reason = _reason(reason, doing="removing")
    line.delete()


def report_request(*, by, title: str, contract_ids: list[int]) -> CabinetReport:
    """Ask for a report. It waits as queued, even through an outage of Redis,
    until a worker starts it (decision 0014)."""
    from core import outbox

    if not contract_ids:
        raise FinanceError("No contracts match: choose another service area.")
    with transaction.atomic():
        report = CabinetReport.objects.create(
            requested_by=by, title=title, contract_ids=contract_ids
        )
        outbox.enqueue("cabinet_report", report_id=report.pk)
    return report


def report_start(*, report_id: int):
    """Claim a queued report for this worker, once; the rendering runs after
    the claim commits, so the report page sees its progress."""
    from django.utils import timezone

    claimed = CabinetReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=1, started_at=timezone.now()
    )
    if not claimed:
        return None
    return lambda: report_render(report_id)


def report_render(report_id: int) -> CabinetReport:
    from contracts.models import Contract
    from finance import reports

    report = CabinetReport.objects.get(pk=report_id)

    def progress(percent):
        CabinetReport.objects.filter(pk=report.pk).update(progress=percent)

    try:
        contracts = (
            Contract.objects.filter(pk__in=report.contract_ids)
            .select_related("provider")
            .order_by("reference")
        )
        pdf = reports.contracts_pdf(reports.contracts_rows(contracts), report.title, progress)
        report.file.save(f"cabinet-report-{report.pk}.pdf", ContentFile(pdf), save=False)
    except Exception:
        log.exception("Cabinet report %s failed", report.pk)
        CabinetReport.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=FAILED)
        raise
    report.status, report.progress = ReportStatus.DONE, 100
    report.save(update_fields=["file", "status", "progress"])
    return report
