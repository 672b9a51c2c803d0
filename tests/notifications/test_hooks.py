"""Each action that puts work in someone's queue, or decides it, tells
exactly the right people and nobody else."""

from datetime import date
from decimal import Decimal

import pytest

from contracts import services
from contracts.models import ServiceAreaSettings
from contracts.models_changes import ChangeReason
from contracts.services import changes as change_services
from core.roles import Role
from notifications.kinds import Kind
from notifications.models import AuthorityContact, Notification
from tests.factories import ContractFactory

DESPITE = "Approved for the test, whatever the evidence"


def told(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("email", flat=True))


@pytest.fixture
def people(user_with_role):
    """Two managers for supported living, one for home care, and everyone else."""

    def make(role, name, **kwargs):
        return user_with_role(role, username=name, email=f"{name}@council.example", **kwargs)

    found = {
        "officer": make(Role.COMMISSIONING_OFFICER, "officer"),
        "owner": make(Role.COMMISSIONING_OFFICER, "owner"),
        "sl1": make(Role.APPROVING_MANAGER, "sl1"),
        "sl2": make(Role.APPROVING_MANAGER, "sl2"),
        "hc": make(Role.APPROVING_MANAGER, "hc"),
        "admin": make(Role.ADMINISTRATOR, "admin"),
        "finance": make(Role.FINANCE_OFFICER, "finance"),
        "auditor": make(Role.AUDITOR, "auditor"),
        "procurement": make(Role.PROCUREMENT_OFFICER, "procurement"),
    }
    found["former"] = make(Role.APPROVING_MANAGER, "former", is_active=False)
    # Named for the area but no longer an approving manager.
    found["moved"] = make(Role.FINANCE_OFFICER, "moved")
    sl = ServiceAreaSettings.objects.create(service_area="supported_living")
    sl.managers.set([found[n] for n in ("sl1", "sl2", "former", "moved")])
    ServiceAreaSettings.objects.create(service_area="home_care").managers.set([found["hc"]])
    return found


def emails(people, *names):
    return {f"{name}@council.example" for name in names}


@pytest.fixture
def contract(db, time_machine, people):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    return ContractFactory(
        reference="SL-001",
        start_date=date(2024, 4, 1),
        term="3+1+1",
        annual_value=Decimal("200000.00"),
        owner=people["owner"],
    )


def raise_request(contract, by):
    return services.extension_request_raise(
        contract=contract, by=by, options_requested=1, justification="Good KPIs"
    )


def test_a_raised_extension_goes_to_the_areas_approving_managers_only(contract, people, settings):
    settings.SITE_URL = "https://care.council.example/"
    request = raise_request(contract, people["officer"])
    assert told(Kind.EXTENSION_RAISED) == emails(people, "sl1", "sl2")
    [notification] = Notification.objects.filter(email="sl1@council.example")
    assert notification.url == (
        f"https://care.council.example/contracts/{contract.pk}/extensions/{request.pk}/decide/"
    )
    assert "Good KPIs" in notification.body


def test_an_area_with_no_approving_managers_tells_every_approving_manager(people, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    contract = ContractFactory(service_area="ilss", start_date=date(2024, 4, 1), term="3+1+1")
    raise_request(contract, people["officer"])
    assert told(Kind.EXTENSION_RAISED) == emails(people, "sl1", "sl2", "hc")


def test_the_manager_who_raised_a_request_is_not_asked_to_decide_it(contract, people):
    raise_request(contract, people["sl1"])
    assert told(Kind.EXTENSION_RAISED) == emails(people, "sl2")


def test_an_area_whose_only_manager_raised_it_falls_back_to_the_others(people, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    contract = ContractFactory(service_area="home_care", start_date=date(2024, 4, 1), term="3+1+1")
    raise_request(contract, people["hc"])
    assert told(Kind.EXTENSION_RAISED) == emails(people, "sl1", "sl2")


def test_a_decision_goes_to_the_requester_and_owner_not_the_decider(contract, people):
    request = raise_request(contract, people["officer"])
    services.extension_approve(
        request=request, by=people["sl1"], reason="Performing well", approved_despite=DESPITE
    )
    assert told(Kind.DECISION_MADE) == emails(people, "officer", "owner")
    notification = Notification.objects.filter(kind=Kind.DECISION_MADE).first()
    assert notification.subject == "Extension approved: SL-001 option 1"
    assert "Reason: Performing well" in notification.body


def test_a_refusal_is_a_decision_too(contract, people):
    request = raise_request(contract, people["owner"])
    services.extension_reject(request=request, by=people["sl2"], reason="Re-procure")
    assert told(Kind.DECISION_MADE) == emails(people, "owner")
    assert Notification.objects.get(kind=Kind.DECISION_MADE).event == "rejected"


def escalate(contract, people, authority="Cabinet"):
    request = raise_request(contract, people["officer"])
    manager = people["sl1"]
    manager.delegated_authority_limit = Decimal("1000.00")
    manager.save()
    return services.extension_escalate(
        request=request, by=manager, authority=authority, reason="Over my limit"
    )


def test_an_escalation_goes_to_the_recorded_contact_of_that_authority(contract, people):
    AuthorityContact.objects.create(name="Cabinet", email="Democratic.Services@council.example")
    AuthorityContact.objects.create(name="Executive Director", user=people["finance"])
    escalate(contract, people, authority="cabinet ")
    assert told(Kind.ESCALATED) == {"democratic.services@council.example"}
    [notification] = Notification.objects.filter(kind=Kind.ESCALATED)
    assert notification.user is None and "Over my limit" in notification.body


def test_an_escalation_to_a_contact_with_an_account_goes_to_that_user(contract, people):
    AuthorityContact.objects.create(name="Executive Director", user=people["finance"])
    escalate(contract, people, authority="Executive Director")
    assert told(Kind.ESCALATED) == emails(people, "finance")
    assert Notification.objects.get(kind=Kind.ESCALATED).user == people["finance"]


def test_an_escalation_to_an_authority_with_no_contact_asks_the_administrators(contract, people):
    escalate(contract, people, authority="Health and Wellbeing Board")
    assert told(Kind.ESCALATED) == emails(people, "admin")
    body = Notification.objects.get(kind=Kind.ESCALATED).body
    assert "No contact is recorded for Health and Wellbeing Board" in body


def test_the_authoritys_decision_is_told_to_the_requester_and_owner(contract, people):
    request = escalate(contract, people)
    services.extension_record_authority_decision(
        request=request,
        by=people["sl2"],
        approved=False,
        reference="Cabinet minute 42",
        reason="Re-procure instead",
    )
    assert told(Kind.DECISION_MADE) == emails(people, "officer", "owner")
    assert "Cabinet minute 42" in Notification.objects.filter(kind=Kind.DECISION_MADE)[0].body


@pytest.fixture
def live_contract(db, time_machine, people):
    time_machine.move_to("2026-09-15 09:00 +00:00")
    return ContractFactory(
        reference="ILSS-2025",
        service_area="supported_living",
        start_date=date(2025, 4, 1),
        term="5",
        annual_value=Decimal("491804.00"),
        uplift_percent=Decimal(0),
        owner=people["owner"],
    )


def raise_change(contract, by):
    return change_services.change_raise(
        contract=contract,
        by=by,
        reason=ChangeReason.PRICE_REVIEW,
        explanation="Annual price review",
        effective_from=date(2026, 10, 1),
        new_annual_value=Decimal("500000.00"),
    )


def test_a_raised_change_goes_to_the_areas_deciders_and_its_decision_back(live_contract, people):
    change = raise_change(live_contract, people["officer"])
    assert told(Kind.CHANGE_RAISED) == emails(people, "sl1", "sl2")
    assert told(Kind.DECISION_MADE) == set()
    change_services.change_approve(change=change, by=people["sl2"], reason="Price review agreed")
    assert told(Kind.DECISION_MADE) == emails(people, "officer", "owner")
    assert Notification.objects.filter(kind=Kind.DECISION_MADE)[0].subject == (
        "Contract change approved: ILSS-2025"
    )


def test_a_changes_escalation_and_authority_decision_are_told(live_contract, people):
    AuthorityContact.objects.create(name="Cabinet", email="cabinet@council.example")
    change = raise_change(live_contract, people["officer"])
    manager = people["sl1"]
    manager.delegated_authority_limit = Decimal("100.00")
    manager.save()
    change = change_services.change_escalate(change=change, by=manager, authority="Cabinet")
    assert told(Kind.ESCALATED) == {"cabinet@council.example"}
    change_services.change_record_authority_decision(
        change=change, by=people["sl2"], approved=False, reference="Min 7", reason="No"
    )
    assert told(Kind.DECISION_MADE) == emails(people, "officer", "owner")


def test_nobody_is_told_of_a_raise_refused(contract, people):
    raise_request(contract, people["officer"])
    with pytest.raises(services.ContractError):
        raise_request(contract, people["officer"])
    assert Notification.objects.filter(kind=Kind.EXTENSION_RAISED).count() == 2
