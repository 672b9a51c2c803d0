"""A Sefton-style supported living PDPS with three admitted providers and a
mini-competition ready to open."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core.roles import Role
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind
from procurement.services import call_offs, systems
from tests.factories import ProviderFactory

DEADLINE = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
BEFORE = DEADLINE - timedelta(days=10)
AFTER = DEADLINE + timedelta(hours=1)


@pytest.fixture
def procurement_officer(user_with_role):
    return user_with_role(Role.PROCUREMENT_OFFICER, username="po", first_name="Priya")


@pytest.fixture
def evaluators(user_with_role):
    return [user_with_role(Role.EVALUATOR, username=f"evaluator{n}") for n in (1, 2, 3)]


@pytest.fixture
def commissioning_officer(user_with_role):
    """Who owns the contract an award creates."""
    return user_with_role(
        Role.COMMISSIONING_OFFICER, username="co", first_name="Chidi", last_name="Okafor"
    )


def award_answers(owner, **answers) -> dict:
    """What the award's questions ask, answered: the contract's owner, the
    planned start date and the standard 8-working-day standstill."""
    return {
        "owner": owner,
        "start_date": date(2027, 4, 1),
        "standstill_applies": True,
        **answers,
    }


@pytest.fixture
def approver(user_with_role):
    return user_with_role(Role.APPROVING_MANAGER, username="approver")


@pytest.fixture
def pdps(procurement_officer):
    system = systems.system_create(
        by=procurement_officer,
        reference="SL-PDPS",
        name="Supported living PDPS",
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2026, 9, 1),
        ends_on=date(2031, 8, 31),
    )
    systems.window_open(
        system=system,
        by=procurement_officer,
        opens_on=date(2026, 9, 1),
        closes_on=date(2026, 10, 31),
    )
    systems.question_add(system=system, by=procurement_officer, text="CQC registration")
    return system


@pytest.fixture
def lot(pdps, procurement_officer):
    return systems.lot_add(system=pdps, by=procurement_officer, name="Supported living")


@pytest.fixture
def admitted(pdps, lot, procurement_officer):
    providers = [ProviderFactory(legal_name=f"Provider {c} Ltd") for c in "ABC"]
    question = pdps.questions.get()
    for provider in providers:
        application = systems.application_record(
            system=pdps,
            by=procurement_officer,
            provider=provider,
            lots=[lot],
            received_on=date(2026, 9, 15),
            answers={question: (True, "Registered")},
        )
        systems.admission_decide(
            admission=application.admissions.get(),
            by=procurement_officer,
            status=AdmissionStatus.ADMITTED,
        )
    return providers


@pytest.fixture
def call_off(lot, admitted, procurement_officer):
    call_off = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SL-2027-01",
        title="Supported living, Bootle scheme",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("250000.00"),
        term="3+1+1",
        bid_deadline=DEADLINE,
    )
    # Sefton: 95% quality, 5% social value; the council sets the price.
    for name, weight, kind in (
        ("Outcomes and person-centred support", 50, CriterionKind.QUALITY),
        ("Workforce and safeguarding", 45, CriterionKind.QUALITY),
        ("Social value", 5, CriterionKind.SOCIAL_VALUE),
    ):
        call_offs.criterion_add(
            call_off=call_off,
            by=procurement_officer,
            name=name,
            weight=Decimal(weight),
            kind=kind,
            max_score=5,
        )
    return call_off
