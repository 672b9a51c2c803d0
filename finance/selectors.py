"""Reads for finance: budget overview with commitments by financial year,
recommissioning summaries, and scheme ISF splits. The arithmetic lives in
finance.years, finance.savings and finance.isf."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract
from finance import isf, savings
from finance.commitments import (
    FUNDER_GROUPS,
    commitments_by_area,
    contract_by_year,  # noqa: F401 (read through selectors)
)
from finance.models import BudgetLine, NewService, Recommissioning, Scheme
from finance.years import FinancialYear


@dataclass
class FunderLine:
    label: str
    budget: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)

    @property
    def headroom(self) -> Decimal:
        return self.budget - self.committed

    @property
    def over_committed(self) -> bool:
        return self.committed > self.budget


@dataclass
class AreaRow:
    service_area: str
    label: str
    budget: Decimal = Decimal(0)
    by_funder: dict = field(default_factory=dict)
    committed: Decimal = Decimal(0)
    forecast: Decimal = Decimal(0)
    funders: list = field(
        default_factory=lambda: [FunderLine(label) for label, _, _ in FUNDER_GROUPS]
    )

    @property
    def headroom(self) -> Decimal:
        return self.budget - self.committed

    @property
    def forecast_headroom(self) -> Decimal:
        return self.budget - self.forecast

    @property
    def over_committed(self) -> bool:
        return self.committed > self.budget


def budget_overview(year: FinancialYear, *, areas: list[str] | None = None) -> list[AreaRow]:
    """Per service area (those in `areas`, if given): budget by funder, what
    contracts commit in the year (pro rata by days, with uplifts and options
    taken) and the forecast if every remaining option is taken."""
    rows = {area: AreaRow(area, label) for area, label in ServiceArea.choices}
    lines = BudgetLine.objects.filter(financial_year=year.start_year)
    in_year = Contract.objects.filter(
        Q(max_end_date__gte=year.starts) | Q(current_end_date__gte=year.starts),
        start_date__lte=year.ends,
        is_draft=False,
    )
    if areas is not None:
        lines = lines.filter(service_area__in=areas)
        in_year = in_year.filter(service_area__in=areas)
    for line in lines:
        row = rows[line.service_area]
        row.budget += line.amount
        group = next(n for n, (_, funders, _) in enumerate(FUNDER_GROUPS) if line.funder in funders)
        row.funders[group].budget += line.amount
        label = line.get_funder_display()
        row.by_funder[label] = row.by_funder.get(label, Decimal(0)) + line.amount
    for area in commitments_by_area(in_year, year):
        row = rows[area["service_area"]]
        row.committed += area["committed"]
        row.forecast += area["forecast"]
        for funder, column in zip(row.funders, ("council", "icb", "other"), strict=True):
            funder.committed += area[column]
    return [row for row in rows.values() if row.budget or row.committed or row.forecast]


def over_committed_areas(year: FinancialYear, *, areas: list[str] | None = None) -> list[AreaRow]:
    """The service areas (of `areas`, if given) whose contracts commit more
    in `year` than the budget recorded for it: the budget page's warning, for
    the queue. An area with no budget recorded is not counted: that is a
    budget still to set, which the budget page shows (decision 27)."""
    rows = budget_overview(year, areas=areas)
    return [row for row in rows if row.budget > 0 and row.over_committed]


def period_of_award(start: date, term_notation: str) -> str:
    """'3 years with a +2 +2 year option to extend (maximum 7 years
    01/07/2019 - 30/06/2026)', as the cabinet appendix puts it (with an en dash)."""
    term = terms.Term.parse(term_notation)

    def span(months):
        if months % 12 == 0:
            years = months // 12
            return f"{years} year" + ("s" if years != 1 else "")
        return f"{months} month" + ("s" if months != 1 else "")

    end = term.max_end(start)
    if not term.option_months:
        return f"{span(term.initial_months)} ({start:%d/%m/%Y} – {end:%d/%m/%Y})"
    options = " ".join(f"+{m // 12}" if m % 12 == 0 else f"+{m}m" for m in term.option_months)
    unit = "year" if all(m % 12 == 0 for m in term.option_months) else "month"
    return (
        f"{span(term.initial_months)} with a {options} {unit} option to extend "
        f"(maximum {span(term.total_months)} {start:%d/%m/%Y} – {end:%d/%m/%Y})"
    )


@dataclass
class RecommissioningSummary:
    recommissioning: Recommissioning
    summary: savings.Summary
    whole_life: dict  # new service name -> whole-life value
    period: str


SUMMARY_PREFETCH = (
    "baselines",
    Prefetch("new_services", queryset=NewService.objects.select_related("contract")),
    "new_services__replaces",
)


def recommissionings() -> QuerySet[Recommissioning]:
    """Recommissionings with everything their summaries read, so a list of
    them costs the same few queries however long it is."""
    return Recommissioning.objects.prefetch_related(*SUMMARY_PREFETCH)


def recommissioning_summary(recommissioning: Recommissioning) -> RecommissioningSummary:
    # Skipped for whatever recommissionings() has already fetched.
    prefetch_related_objects([recommissioning], *SUMMARY_PREFETCH)
    baselines = list(recommissioning.baselines.all())
    services = list(recommissioning.new_services.all())
    term = terms.Term.parse(recommissioning.term)
    whole_life = {}
    plain_services = []
    for service in services:
        value = (
            service.contract.whole_life_value
            if service.contract
            else terms.whole_life_value(term, service.annual)
        )
        whole_life[service.name] = value
        plain_services.append(
            savings.NewService(
                service.name, service.annual, value, tuple(b.name for b in service.replaces.all())
            )
        )
    summary = savings.summarise(
        [
            savings.Baseline(b.name, b.annual, recommissioning.baseline_year, b.excluded_reason)
            for b in baselines
        ],
        plain_services,
    )
    return RecommissioningSummary(
        recommissioning,
        summary,
        whole_life,
        period_of_award(recommissioning.start_date, recommissioning.term),
    )


def scheme_split(scheme: Scheme) -> list[isf.Split]:
    residents = [
        isf.Resident(r.reference, r.weekly_budget, r.contribution) for r in scheme.residents.all()
    ]
    return isf.scheme_split(scheme.core_support_weekly, residents) if residents else []


def financial_years_around(today: date, before: int = 3, after: int = 3) -> list[FinancialYear]:
    return FinancialYear.around(today, before=before, after=after)


def budget_lines(year: FinancialYear) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(financial_year=year.start_year).order_by(
        "service_area", "funder", "description"
    )


def budget_line_changes(year: FinancialYear, *, limit: int = 50) -> list:
    """The latest changes to the year's budget lines, removals included,
    each with who made it and why. Authors' names are kept on the records
    (core.audit), so no user is read."""
    # Every record of a line that was ever in the year, so a line moved to
    # another year shows the change that moved it.
    lines = BudgetLine.history.filter(financial_year=year.start_year).values("id")
    records = BudgetLine.history.filter(id__in=lines).order_by("-history_date", "-history_id")[
        :limit
    ]
    actions = {"+": "Added", "~": "Changed", "-": "Removed"}
    return [
        BudgetLineChange(
            when=r.history_date,
            who=r.history_user_name or "the system",
            action=actions[r.history_type],
            year=FinancialYear(r.financial_year),
            line=f"{r.get_service_area_display()}, {r.get_funder_display()}"
            + (f": {r.description}" if r.description else ""),
            amount=r.amount,
            reason=r.history_change_reason or "",
        )
        for r in records
    ]


@dataclass(frozen=True)
class BudgetLineChange:
    when: object
    who: str
    action: str
    year: FinancialYear
    line: str
    amount: Decimal
    reason: str
