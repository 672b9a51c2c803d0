"""Demo procurement from the council papers: a Sefton-style supported living
purchasing system (lots, selection questions, admission, reopened from time
to time), a mini-competition weighted 95% quality and 5% social value ready
for the demo evaluators to score, and an Islington-style care package.

The purchasing system is the one Sefton's Cabinet set up on 7 November
2019, "open for a period of 5 years", its dates moved with the papers'
contracts (contracts.demo_calendar, decision 33). The mini-competition and
the care package are dated from the day the demo is loaded so the journeys
are live: bids are in, and the evaluator has declared no conflict and has
scores to enter. Each step is recorded on its own day (core.demo.recorded_on).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from contracts import terms
from contracts.demo_calendar import DemoCalendar
from core.demo import recorded_on
from core.models import User
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind, PackageKind
from procurement.models import PurchasingSystem
from procurement.services import call_offs, evaluation, packages, systems
from providers.models import Provider

REFERENCE = "SEFTON-SL-PS"
LOTS = [
    "Supported living",
    "Community and floating support",
    "Complex and challenging behaviour",
    "Complex health needs",
]
QUESTIONS = [
    ("Registered with the Care Quality Commission for personal care", "Check the CQC register."),
    ("Safeguarding adults policy, reviewed in the last 12 months", ""),
    ("Employer's and public liability insurance of at least £5m", ""),
    (
        "Able to hold and manage individual service funds for the people supported",
        "Islington: providers unable to manage an ISF are not accepted.",
    ),
]
# The papers' dates: the first opening, in time for "new contracts from
# September 2020", and when applications came in.
OPENS = date(2020, 6, 1)
FIRST_CLOSES = date(2020, 7, 31)
APPLIED = date(2020, 6, 22)
LATE_APPLICATION = date(2020, 7, 27)
DECIDED_AFTER = timedelta(days=10)
PDPS_MONTHS = 60  # "open for a period of 5 years"

ADMITTED = [
    "Independent Care Group",
    "Bleep 360 Care Ltd",
    "Arch Futures Ltd",
    "Caring For Care Limited",
]


def load(stdout) -> None:
    if PurchasingSystem.objects.filter(reference=REFERENCE).exists():
        stdout.write("  procurement demo already loaded")
        return
    officer = User.objects.filter(username="procurement.officer").first()
    today = timezone.localdate()
    calendar = DemoCalendar.as_of_day(today)
    opens = calendar.moved(OPENS)
    with recorded_on(opens):
        system, lots, questions = _system(officer, opens, calendar.moved(FIRST_CLOSES))
    reopens = today - timedelta(days=14)
    if calendar.moved(FIRST_CLOSES) < reopens < system.ends_on:
        with recorded_on(reopens):
            systems.window_open(
                system=system,
                by=officer,
                opens_on=reopens,
                closes_on=min(today + timedelta(days=30), system.ends_on),
                note="Re-opened",
            )
    _applications(system, lots, questions, officer, calendar)
    _mini_competition(lots[0], officer, today)
    _care_package(lots[0], officer, today)
    stdout.write(f"  {REFERENCE} with {len(LOTS)} lots, a mini-competition and a care package")


def _system(officer, opens: date, closes: date):
    system = systems.system_create(
        by=officer,
        reference=REFERENCE,
        name="Supported living purchasing system",
        kind="pdps",
        service_area="supported_living",
        starts_on=opens,
        ends_on=terms.period_end(opens, PDPS_MONTHS),
        description="Open for 5 years (Cabinet, 7 November 2019) and re-opened from time to "
        "time under the Cabinet's delegation (3 April 2025).",
    )
    systems.window_open(
        system=system, by=officer, opens_on=opens, closes_on=closes, note="First opening"
    )
    lots = [systems.lot_add(system=system, by=officer, name=name) for name in LOTS]
    questions = [
        systems.question_add(system=system, by=officer, text=text, guidance=guidance)
        for text, guidance in QUESTIONS
    ]
    return system, lots, questions


def _applications(system, lots, questions, officer, calendar: DemoCalendar) -> None:
    received = calendar.moved(APPLIED)
    for name in ADMITTED:
        provider = Provider.objects.filter(legal_name=name).first()
        if provider is None:
            continue
        with recorded_on(received):
            application = systems.application_record(
                system=system,
                by=officer,
                provider=provider,
                lots=lots[:2],
                received_on=received,
                answers=dict.fromkeys(questions, (True, "Seen")),
            )
        with recorded_on(received + DECIDED_AFTER):
            for admission in application.admissions.all():
                systems.admission_decide(
                    admission=admission, by=officer, status=AdmissionStatus.ADMITTED
                )
    late = Provider.objects.filter(legal_name="Like Care Limited").first()
    if late is None:
        return
    received = calendar.moved(LATE_APPLICATION)
    with recorded_on(received):
        application = systems.application_record(
            system=system,
            by=officer,
            provider=late,
            lots=lots[:1],
            received_on=received,
            answers={
                q: (q != questions[3], "" if q != questions[3] else "No ISF experience")
                for q in questions
            },
        )
    with recorded_on(received + DECIDED_AFTER):
        systems.admission_decide(
            admission=application.admissions.get(),
            by=officer,
            status=AdmissionStatus.REJECTED,
            reason="Failed question 4: cannot manage individual service funds.",
        )


def _mini_competition(lot, officer, today):
    now = timezone.now()
    with recorded_on(today - timedelta(days=28)):
        call_off = _call_off_prepare(lot, officer, today, now)
    with recorded_on(today - timedelta(days=21)):
        invitations = call_offs.call_off_open(
            call_off=call_off, by=officer, now=now - timedelta(days=21)
        )
    with recorded_on(today - timedelta(days=3)):
        for invitation in invitations[:3]:
            call_offs.bid_submit(
                invitation=invitation,
                now=now - timedelta(days=3),
                answers={
                    c.pk: f"{invitation.provider.legal_name} would support the tenants by ..."
                    for c in call_off.criteria.all()
                },
            )
    call_offs.evaluation_start(call_off=call_off, by=officer)
    for username in ("evaluator", "commissioning.officer"):
        user = User.objects.filter(username=username).first()
        if user:
            assignment = evaluation.evaluator_assign(call_off=call_off, by=officer, evaluator=user)
            # The evaluator has declared and has scores to enter; the
            # officer's declaration is still to make.
            if username == "evaluator":
                evaluation.conflict_declare(assignment=assignment, by=user, has_conflict=False)


def _call_off_prepare(lot, officer, today, now):
    call_off = call_offs.call_off_create(
        lot=lot,
        by=officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SEFTON-SL-CO-01",
        title="Supported living, Bootle (6 tenancies)",
        start_date=today + timedelta(days=120),
        annual_value=Decimal("312000.00"),
        term="3+1+1",
        bid_deadline=now - timedelta(days=1),
        description="Price set by the council: evaluated on quality (95%) and social value (5%).",
    )
    for name, weight, kind, descriptors in (
        ("Outcomes and person-centred support", 50, CriterionKind.QUALITY, "0 none – 5 excellent"),
        ("Workforce, training and safeguarding", 45, CriterionKind.QUALITY, "0 none – 5 excellent"),
        ("Social value", 5, CriterionKind.SOCIAL_VALUE, "0 none – 5 excellent"),
    ):
        call_offs.criterion_add(
            call_off=call_off,
            by=officer,
            name=name,
            weight=Decimal(weight),
            kind=kind,
            descriptors=descriptors,
        )
    return call_off


def _care_package(lot, officer, today):
    now = timezone.now()
    with recorded_on(today - timedelta(days=7)):
        package = packages.package_advertise(
            lot=lot,
            by=officer,
            reference="ISL-LD-0042",
            kind=PackageKind.INDIVIDUAL,
            outcomes="Live in my own flat near my family; paid work two days a week; "
            "travel on my own by bus.",
            weekly_budget=Decimal("500.00"),
            start_date=today + timedelta(days=60),
            bid_deadline=now + timedelta(days=7),
        )
    provider = Provider.objects.filter(legal_name=ADMITTED[2]).first()
    if provider:
        with recorded_on(today - timedelta(days=1)) as received_at:
            packages.package_bid_record(
                package=package,
                by=officer,
                provider=provider,
                weekly_price=Decimal("480.00"),
                proposal="A small team of three who know the area; job coach for the work outcome.",
                received_at=received_at,
            )
