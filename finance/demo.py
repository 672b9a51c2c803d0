"""Demo finance from the council papers: the ILSS recommissioning (slug
ilss-2019) with its 2018/19 baselines, budget lines including Sefton's joint
commissioning of supported living (council £33.3m gross, the ICB by
package), and an Islington-style scheme with individual service funds."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

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


def load(stdout) -> None:
    _ilss(stdout)
    _budgets(stdout)
    _scheme(stdout)


def _ilss(stdout):
    recommissioning, created = Recommissioning.objects.get_or_create(
        slug="ilss-2019",
        defaults={
            "title": "Independent Living Support Services (ILSS) – Adult Social Care",
            "decision": "Cabinet approval of £5,988,073 over the whole life of the contracts",
            "baseline_year": "2018/19",
            "start_date": date(2019, 7, 1),
            "term": "3+2+2",
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


def _budgets(stdout):
    current = FinancialYear.of(timezone.localdate())
    lines = [
        (2019, "ilss", Funder.COUNCIL, "ILSS budget provision", "950488.00"),
        # Sefton, Cabinet 3 April 2025: gross council budget for supported
        # living £33.3m; the ICB's contribution follows the packages it funds.
        (2025, "supported_living", Funder.COUNCIL, "Gross council budget", "33300000.00"),
        (2025, "supported_living", Funder.ICB, "ICB-funded packages", "4150000.00"),
    ]
    for year in range(current.start_year - 1, current.start_year + 2):
        lines.append((year, "ilss", Funder.COUNCIL, "ILSS budget provision", "900000.00"))
        if year != 2025:
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
