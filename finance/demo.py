"""Demo finance from the council papers: the ILSS recommissioning (slug
ilss-2019) with its 2018/19 baselines, budget lines including Sefton's joint
commissioning of supported living (council £33.3m gross, the ICB by
package), and an Islington-style scheme with individual service funds.

The figures are the papers'; the years move with the ILSS contracts
(contracts.demo_calendar, decision 33): the baseline is the financial year
before the one the contracts start in, as 2018/19 was before 1 July 2019."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from contracts.demo_calendar import ILSS_TERM, DemoCalendar
from contracts.models import Contract
from finance.models import (
    BaselineService,
    BudgetLine,
    Funder,
    NewService,
    Recommissioning,
    Resident,
    Scheme,
)
from finance.years import FinancialYear
from providers.models import Provider

MENTAL_HEALTH_REVIEW = "To be considered as part of the wider Mental Health review"
BASELINES = [
    ("Sixty Plus ILSS", "357148", ""),
    ("PSI HIV ILSS", "189301", ""),
    ("LD ILSS", "404039", ""),
    ("Mental Health ILSS", "397829", MENTAL_HEALTH_REVIEW),
    ("Forensic Mental Health ILSS", "45274", MENTAL_HEALTH_REVIEW),
]
NEW = [
    ("Mainstream ASC ILSS", "491804", "ILSS-2019-01", ("Sixty Plus ILSS", "PSI HIV ILSS")),
    ("Whole Life disability (LD) ILSS", "363635", "ILSS-2019-02", ("LD ILSS",)),
]


# Sefton, Cabinet 3 April 2025: the supported living budget it gives.
SUPPORTED_LIVING_CABINET = date(2025, 4, 3)


def load(stdout) -> None:
    calendar = DemoCalendar.as_of_day(timezone.localdate())
    _ilss(stdout, calendar)
    _budgets(stdout, calendar)
    _scheme(stdout)


def _ilss(stdout, calendar: DemoCalendar):
    first_year = FinancialYear.of(calendar.ilss_start)
    recommissioning, created = Recommissioning.objects.get_or_create(
        slug="ilss-2019",
        defaults={
            "title": "Independent Living Support Services (ILSS) – Adult Social Care",
            "decision": "Cabinet approval of £5,988,073 over the whole life of the contracts",
            "baseline_year": FinancialYear(first_year.start_year - 1).label,
            "start_date": calendar.ilss_start,
            "term": ILSS_TERM,
        },
    )
    if not created:
        return
    baselines = {}
    for order, (name, annual, excluded) in enumerate(BASELINES):
        baselines[name] = BaselineService.objects.create(
            recommissioning=recommissioning,
            name=name,
            annual=Decimal(annual),
            excluded_reason=excluded,
            order=order,
        )
    for order, (name, annual, reference, replaces) in enumerate(NEW):
        service = NewService.objects.create(
            recommissioning=recommissioning,
            name=name,
            annual=Decimal(annual),
            order=order,
            contract=Contract.objects.filter(reference=reference).first(),
        )
        service.replaces.set([baselines[n] for n in replaces])
    stdout.write("  ilss-2019 recommissioning (saving £95,049 a year)")


def _budgets(stdout, calendar: DemoCalendar):
    current = FinancialYear.of(calendar.as_of)
    ilss_year = FinancialYear.of(calendar.ilss_start).start_year
    cabinet_year = FinancialYear.of(calendar.moved(SUPPORTED_LIVING_CABINET)).start_year
    lines = [
        (ilss_year, "ilss", Funder.COUNCIL, "ILSS budget provision", "950488.00"),
        # Sefton, Cabinet 3 April 2025: gross council budget for supported
        # living £33.3m; the ICB's contribution follows the packages it funds.
        (cabinet_year, "supported_living", Funder.COUNCIL, "Gross council budget", "33300000.00"),
        (cabinet_year, "supported_living", Funder.ICB, "ICB-funded packages", "4150000.00"),
    ]
    for year in range(current.start_year - 1, current.start_year + 2):
        if year != ilss_year:
            lines.append((year, "ilss", Funder.COUNCIL, "ILSS budget provision", "900000.00"))
        if year != cabinet_year:
            lines.append(
                (year, "supported_living", Funder.COUNCIL, "Gross council budget", "33300000.00")
            )
    added = 0
    for year, area, funder, description, amount in lines:
        _, created = BudgetLine.objects.get_or_create(
            financial_year=year,
            service_area=area,
            funder=funder,
            description=description,
            defaults={"amount": Decimal(amount)},
        )
        added += created
    stdout.write(f"  {added} budget lines")


def _scheme(stdout):
    provider = Provider.objects.filter(legal_name="Arch Futures Ltd").first()
    if provider is None or Scheme.objects.filter(reference="ISL-SCHEME-01").exists():
        return
    scheme = Scheme.objects.create(
        reference="ISL-SCHEME-01",
        name="Supported living scheme (10 tenancies)",
        provider=provider,
        core_support_weekly=Decimal("1000.00"),
    )
    for n in range(1, 11):
        Resident.objects.create(
            scheme=scheme,
            reference=f"ISL-SCHEME-01-R{n:02d}",
            weekly_budget=Decimal("500.00"),
            contribution=Decimal("35.00") if n == 1 else Decimal(0),
        )
    stdout.write("  ISL-SCHEME-01 with 10 residents' individual service funds")
