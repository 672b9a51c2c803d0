"""One record of each kind the search finds, each with its own reference,
a name word and a text word found nowhere else, and sealed bids whose
words no search may find."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.roles import Role
from procurement.services import call_offs, evaluation, packages, systems
from tests.factories import ContractFactory, ProviderFactory

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)

# kind: (reference, a word of its name, a word of its text)
WORDS = {
    "contract": ("ILSS-2021-001", "Marigold", "lighthouse"),
    "provider": ("01234567", "Heronsgate", "Ormskirk"),
    "system": ("PDPS-2026-SL", "Bluebell", "juniper"),
    "call_off": ("CO-2026-007", "Foxglove", "quayside"),
    # A package has a reference, never a name (the person stays anonymous).
    "package": ("ISL-LD-0042", None, "swimming"),
}
# Only in the sealed bids: no search may find them.
BID_WORDS = ("zanzibar", "kumquat")


@pytest.fixture
def records(db, time_machine):
    time_machine.move_to(NOW)
    provider = ProviderFactory(
        legal_name="Heronsgate Care Ltd", companies_house_number="01234567", town="Ormskirk"
    )
    contract = ContractFactory(
        reference="ILSS-2021-001",
        title="Marigold independent living",
        description="Includes a lighthouse befriending scheme.",
        provider=provider,
    )
    system = systems.system_create(
        by=None,
        reference="PDPS-2026-SL",
        name="Bluebell supported living PDPS",
        description="Covers the juniper lots.",
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 12, 31),
    )
    systems.window_open(
        system=system, by=None, opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31)
    )
    question = systems.question_add(system=system, by=None, text="CQC registration")
    lot = systems.lot_add(system=system, by=None, name="Supported living")
    application = systems.application_record(
        system=system,
        by=None,
        provider=provider,
        lots=[lot],
        received_on=date(2026, 2, 1),
        answers={question: (True, "Registered")},
    )
    systems.admission_decide(admission=application.admissions.get(), by=None, status="admitted")
    call_off = call_offs.call_off_create(
        lot=lot,
        by=None,
        route="mini_competition",
        reference="CO-2026-007",
        title="Foxglove tenancies",
        description="Six flats near the quayside.",
        start_date=date(2026, 10, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=DEADLINE,
    )
    call_offs.criterion_add(
        call_off=call_off, by=None, name="Quality", weight=Decimal(100), kind="quality"
    )
    [invitation] = call_offs.call_off_open(call_off=call_off, by=None, now=NOW)
    call_offs.bid_submit(
        invitation=invitation,
        answers={c.pk: "We would start at zanzibar house." for c in call_off.criteria.all()},
        now=NOW,
    )
    package = packages.package_advertise(
        lot=lot,
        by=None,
        reference="ISL-LD-0042",
        kind="individual",
        outcomes="To go swimming at the lido every week.",
        weekly_budget=Decimal("900.00"),
        start_date=date(2026, 9, 1),
        bid_deadline=DEADLINE,
        now=NOW,
    )
    packages.package_bid_record(
        package=package,
        by=None,
        provider=provider,
        proposal="A support worker from the kumquat team.",
        weekly_price=Decimal("850.00"),
        received_at=NOW,
        now=NOW,
    )
    return {
        "contract": contract,
        "provider": provider,
        "system": system,
        "lot": lot,
        "call_off": call_off,
        "package": package,
    }


@pytest.fixture
def assigned_evaluator(records, user_with_role):
    """An evaluator on the fixture's call-off."""
    evaluator = user_with_role(Role.EVALUATOR)
    evaluation.evaluator_assign(call_off=records["call_off"], by=None, evaluator=evaluator)
    return evaluator
