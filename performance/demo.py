"""Demo KPI templates, KPIs, monitoring returns and reviews.

The templates use the council papers' words (../shared/seeds): Sefton's
supported living recommissioning is for "clearer expectations of Key
Performance Indicators (KPI's) and outcomes to be achieved" and services that
"encourage greater independence ... supporting people to gain new skills"
(Cabinet, 3 April 2025 and 7 November 2019); the ILSS "support vulnerable
citizens to maintain accommodation, avoid eviction/homelessness, maximise
income, reduce/avoid debt, manage physical and mental health, and access
appropriate services" (Cabinet paper, ILSS). The targets and the figures
are illustrative, and deterministic: the same every time the demo loads.

Each return is recorded, and each review made, on its own day (core.demo.
recorded_on), counted back from the day the demo is loaded. One contract's
latest return has not come in, and is overdue.
"""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract
from core.demo import recorded_on
from core.models import User
from performance import ratings, schedule, selectors, services
from performance.constants import Direction, Frequency
from performance.models import KpiTemplate
from performance.services.returns import derived_ratings

D = Decimal
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
Q, H = Frequency.QUARTERLY, Frequency.HALF_YEARLY

# (name, what is measured, unit, target, direction, tolerance, frequency, most material)
TEMPLATES = {
    ServiceArea.SUPPORTED_LIVING: [
        ("Outcomes achieved", "People whose support plan outcomes were achieved or partly "
         "achieved at their last review, as a percentage of people supported", "%",
         D(85), HIGHER, D(5), Q, True),
        ("New skills gained", "People supported to gain a new skill towards greater "
         "independence in the quarter, as a percentage of people supported", "%",
         D(60), HIGHER, D(10), Q, True),
        ("Support hours delivered", "Commissioned support hours delivered, as a percentage "
         "of hours commissioned", "%", D(98), HIGHER, D(3), Q, True),
        ("Tenancies sustained", "Tenancies sustained in the quarter, as a percentage of "
         "tenancies at its start", "%", D(95), HIGHER, D(3), Q, False),
        ("Safeguarding concerns responded to", "Safeguarding concerns raised with the council "
         "within one working day, as a percentage of concerns", "%", D(100), HIGHER, D(0), Q,
         False),
        ("Medication errors", "Medication errors reported in the quarter", "errors", D(2),
         LOWER, D(1), Q, False),
        ("Staff turnover", "Support staff who left in the half-year, as a percentage of support "
         "staff", "%", D(15), LOWER, D(5), H, False),
    ],
    ServiceArea.ILSS: [
        ("Accommodation maintained", "Citizens supported who maintained their accommodation, "
         "as a percentage of citizens supported", "%", D(90), HIGHER, D(5), Q, True),
        ("Evictions and homelessness avoided", "Citizens at risk of eviction or homelessness "
         "at referral who avoided it, as a percentage of those at risk", "%", D(85), HIGHER,
         D(5), Q, True),
        ("Income maximised", "Citizens supported to claim benefits or other income they were "
         "entitled to, as a percentage of those eligible", "%", D(80), HIGHER, D(10), Q, True),
        ("Debt reduced or avoided", "Citizens with debt at referral whose debt was reduced or "
         "managed, as a percentage of those with debt", "%", D(70), HIGHER, D(10), Q, False),
        ("Physical and mental health managed", "Citizens supported to register with a GP and "
         "manage their physical and mental health, as a percentage of citizens supported",
         "%", D(80), HIGHER, D(10), Q, False),
        ("Triage within 5 working days", "Referrals to the single referral point triaged "
         "within 5 working days, as a percentage of referrals", "%", D(95), HIGHER, D(5), Q,
         False),
    ],
}  # fmt: skip

# How far each quarter's actual is from target, as a fraction of the
# tolerance, by (KPI order, quarter): a fixed pattern rather than random
# figures, so the demo shows green, amber and red and is the same each time.
PATTERN = (
    (D("0.5"), D("-0.5"), D("1"), D("0"), D("-1.5"), D("0.5"), D("1"), D("-0.5")),
    (D("1"), D("0.5"), D("-2"), D("-0.5"), D("0"), D("1"), D("0.5"), D("1")),
    (D("-0.5"), D("0.5"), D("0.5"), D("-1"), D("1"), D("-3"), D("0"), D("0.5")),
)
QUARTERS = 6
RECORDED_AFTER_DAYS = 20
REVIEW_AFTER_DAYS = 35
# Whose provider has not sent its latest return: overdue on any day, as the
# latest quarter asked for ended at least REVIEW_AFTER_DAYS ago, more than
# the 30 days a return is due in.
OVERDUE_RETURN_FROM = "ILSS-2019-02"


def _templates(stdout) -> None:
    added = 0
    for area, rows in TEMPLATES.items():
        for order, row in enumerate(rows, start=1):
            name, measure, unit, target, direction, tolerance, frequency, material = row
            _, created = KpiTemplate.objects.get_or_create(
                service_area=area,
                name=name,
                defaults={
                    "measure": measure,
                    "unit": unit,
                    "target": target,
                    "direction": direction,
                    "tolerance": tolerance,
                    "frequency": frequency,
                    "most_material": material,
                    "order": order,
                },
            )
            added += created
    total = sum(len(rows) for rows in TEMPLATES.values())
    stdout.write(f"  {total} KPI templates for supported living and ILSS ({added} new)")


def _quarters(contract, today: date) -> list[tuple[date, date]]:
    """The contract's last whole financial quarters (April, July, October,
    January) that it ran for and that could have been reviewed by `today`."""
    last_day = min(contract.current_end_date, today - timedelta(days=REVIEW_AFTER_DAYS))
    start = date(last_day.year, (last_day.month - 1) // 3 * 3 + 1, 1)
    quarters = []
    while len(quarters) < QUARTERS and start >= contract.start_date:
        end = terms.period_end(start, 3)
        if end <= last_day:
            quarters.append((start, end))
        start = terms.months_before(start, 3)
    return list(reversed(quarters))


def _actual(kpi, step: int) -> Decimal:
    shift = PATTERN[kpi.order % len(PATTERN)][step % len(PATTERN[0])]
    # Never a zero tolerance step: a 0-tolerance KPI is either met or 1 short.
    width = kpi.tolerance or D(1)
    better = 1 if kpi.direction == HIGHER else -1
    actual = kpi.target + better * shift * width
    if kpi.unit == "%":
        actual = min(actual, D(100))
    return max(actual, D(0)).quantize(D("0.01"))


def _returns(contract, *, officer, today: date) -> int:
    if contract.monitoring_returns.filter(status__in=["submitted", "reviewed"]).exists():
        return 0
    kpis = list(contract.kpis.filter(retired_on__isnull=True).order_by("order"))
    quarters = _quarters(contract, today)
    made = 0
    if contract.reference == OVERDUE_RETURN_FROM and quarters:
        *quarters, (_, overdue_end) = quarters
        # Asked for by the monitoring calendar the day after the quarter ended.
        with recorded_on(overdue_end + timedelta(days=1), time(6)):
            schedule.returns_create_due(
                start=overdue_end + timedelta(days=1),
                end=overdue_end + timedelta(days=2),
                areas={},
            )
    for step, (start, finish) in enumerate(quarters):
        actuals = {}
        for kpi in kpis:
            # One KPI not reported once, so the page shows what that looks like.
            missing = kpi.order == len(kpis) and step == 1
            evidence = "" if missing else "Provider's quarterly monitoring return."
            actuals[kpi.pk] = (None if missing else _actual(kpi, step), evidence)
        recorded_on_day = finish + timedelta(days=RECORDED_AFTER_DAYS)
        with recorded_on(recorded_on_day):
            recorded = services.return_record(
                contract=contract,
                by=officer,
                period_start=start,
                period_end=finish,
                actuals=actuals,
                today=recorded_on_day,
            )
        made += 1
        # The latest quarter waits for its review, as it would in practice.
        if step == len(quarters) - 1:
            continue
        kpi_ratings = derived_ratings(selectors.return_detail(contract, recorded.pk))
        overall = ratings.suggested_overall_rating(kpi_ratings.values()) or ratings.GOOD
        reviewed_on = finish + timedelta(days=REVIEW_AFTER_DAYS)
        with recorded_on(reviewed_on):
            services.return_review(
                monitoring_return=recorded,
                by=officer,
                overall_rating=overall,
                reviewed_on=reviewed_on,
                meeting_notes="Quarterly monitoring meeting with the provider's service manager.",
                care_manager_reviews="Care managers' reviews of service users in the quarter "
                "found support plans up to date.",
                today=reviewed_on,
            )
    return made


def load(stdout) -> None:
    _templates(stdout)
    officer = User.objects.filter(username="commissioning.officer").first()
    if officer is None:
        return
    today = timezone.localdate()
    contracts = Contract.objects.filter(
        service_area__in=list(TEMPLATES), is_draft=False, reference__regex=r"^(ILSS|SEFTON)-"
    ).order_by("reference")
    kpis = returns = 0
    for contract in contracts:
        if not contract.kpis.exists():
            templates = KpiTemplate.objects.filter(
                service_area=contract.service_area, frequency=Q
            ).order_by("order")
            # Agreed with the provider when the contract was awarded.
            with recorded_on(contract.created_at.date()):
                kpis += len(
                    services.kpis_set_from_templates(
                        contract=contract, by=officer, templates=templates
                    )
                )
        returns += _returns(contract, officer=officer, today=today)
    stdout.write(f"  {kpis} KPIs on the demo contracts, {returns} monitoring returns")
