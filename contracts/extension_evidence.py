"""What an extension decision is made on: the contract's latest performance
and the budget for every financial year the extension adds.

Reads only (a selector); the arithmetic is in finance.headroom and the rules
in contracts.extension_rules. The same few queries whatever the number of
years, KPIs, failures or contracts in the service area.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Sum

from contracts import extension_rules
from contracts.models import Contract
from finance import headroom
from finance.commitments import INPUTS, commitments_refresh, contract_by_year
from finance.models import BudgetLine, CommitmentYear
from finance.years import FinancialYear
from performance.models import KpiActual, PerformanceFailure, Review
from performance.selectors_failures import failures_in_term


@dataclass
class KpiLine:
    name: str
    unit: str
    target: Decimal
    actual: Decimal | None
    rating: str


@dataclass
class Evidence:
    options_requested: int
    latest_review: Review | None
    kpis: list[KpiLine]
    failures: list[PerformanceFailure]
    years: list[headroom.YearHeadroom]
    reasons: list[extension_rules.Reason] = field(default_factory=list)

    @property
    def ongoing_failures(self) -> int:
        return sum(1 for failure in self.failures if failure.is_ongoing)

    @property
    def needs_explanation(self) -> bool:
        return bool(self.reasons)

    @property
    def explanation_needed(self) -> str:
        return extension_rules.explanation_needed(self.reasons) if self.reasons else ""


def _as_extended(contract: Contract, options_requested: int) -> SimpleNamespace:
    inputs = {name: getattr(contract, name) for name in INPUTS}
    inputs["options_taken"] = contract.options_taken + options_requested
    return SimpleNamespace(**inputs)


def extension_years(contract: Contract, options_requested: int) -> dict[FinancialYear, Decimal]:
    """What taking the options adds to each financial year, by the same
    rules as the budget page (decision 9): the contract's commitment with
    them less its commitment without. No query."""
    before = contract_by_year(_as_extended(contract, 0))
    after = contract_by_year(_as_extended(contract, options_requested))
    return headroom.extension_by_year(before, after)


def _budgets(area: str, years: list[int]) -> dict[FinancialYear, Decimal]:
    rows = (
        BudgetLine.objects.filter(service_area=area, financial_year__in=years)
        .values("financial_year")
        .order_by()
        .annotate(total=Sum("amount"))
    )
    return {FinancialYear(row["financial_year"]): row["total"] for row in rows}


def _committed(area: str, years: list[int]) -> dict[FinancialYear, Decimal]:
    """The service area's stored commitments (finance.commitments), to each
    contract's current end: options taken, not options still open."""
    contracts = Contract.objects.filter(service_area=area, is_draft=False)
    # One query when nothing has changed since the budget page last looked.
    commitments_refresh(contracts)
    rows = (
        CommitmentYear.objects.filter(
            contract__service_area=area, contract__is_draft=False, financial_year__in=years
        )
        .values("financial_year")
        .order_by()
        .annotate(total=Sum("committed"))
    )
    return {FinancialYear(row["financial_year"]): row["total"] for row in rows}


def latest_review(contract: Contract) -> Review | None:
    return (
        Review.objects.filter(contract=contract)
        .select_related("monitoring_return")
        .order_by("-reviewed_on", "-pk")
        .first()
    )


def extension_evidence(contract: Contract, *, options_requested: int, today: date) -> Evidence:
    review = latest_review(contract)
    kpis = []
    if review is not None:
        actuals = (
            KpiActual.objects.filter(monitoring_return_id=review.monitoring_return_id)
            .select_related("kpi")
            .order_by("kpi__order", "kpi_id")
        )
        kpis = [KpiLine(a.kpi.name, a.kpi.unit, a.kpi.target, a.actual, a.rating) for a in actuals]
    failures = list(failures_in_term(contract))

    added = extension_years(contract, options_requested)
    starts = [year.start_year for year in added]
    budgets = _budgets(contract.service_area, starts) if starts else {}
    committed = _committed(contract.service_area, starts) if starts else {}
    years = headroom.years_headroom(added, budgets=budgets, committed=committed)
    reasons = extension_rules.reasons_to_explain(
        latest_review_on=review.reviewed_on if review else None,
        latest_rating=review.overall_rating if review else None,
        over_committed_years=[y.label for y in headroom.over_committed_years(years)],
        unbudgeted_years=[y.label for y in headroom.unbudgeted_years(years)],
        today=today,
    )
    return Evidence(options_requested, review, kpis, failures, years, reasons)
