"""The queue-item permission matrix: every kind of item appears for exactly
the people it waits for (by role, service area, ownership and assignment)
and for nobody else, across all seven roles; the navigation's count agrees
with the list for every one of them."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.constants import ExtensionStatus, ReminderKind
from contracts.models import ExtensionRequest, Reminder, ReminderRecipient
from contracts.services import changes, extensions
from finance.models import BudgetLine, CabinetReport, ReportStatus
from performance.models import MonitoringReturn
from procurement.constants import AdmissionStatus, CallOffStatus
from procurement.models import (
    Admission,
    Application,
    ApplicationWindow,
    CallOff,
    EvaluatorAssignment,
    Lot,
    PurchasingSystem,
)
from tests.factories import ContractFactory, ProviderFactory
from tests.work.conftest import TODAY
from work.items import labels
from work.selectors import queue_counts, queue_for

EVERY_KIND = set(labels())


def who_has(people, kind) -> set[str]:
    found = set()
    for key, user in people.items():
        queue = queue_for(user, today=TODAY)
        listed = Counter(item.kind for item in queue.items)
        # The navigation counts what the page lists, kind by kind.
        assert queue_counts(user, today=TODAY).get(kind, 0) == listed[kind], (key, kind)
        assert queue.counts.get(kind, 0) == listed[kind], (key, kind)
        assert set(listed) <= EVERY_KIND
        if listed[kind]:
            found.add(key)
    return found


def extension_raised(people, **contract_fields):
    contract = ContractFactory(owner=people["owner"], **contract_fields)
    return extensions.extension_request_raise(
        contract=contract, by=people["owner"], options_requested=1, justification="Good service"
    )


def kind_extensions_pending(people):
    extension_raised(people)
    return "extensions", {"area_manager"}


def kind_extensions_in_an_area_naming_nobody(people):
    extension_raised(people, service_area="home_care")
    return "extensions", {"area_manager", "approving_manager"}


def kind_extensions_raised_by_a_manager(people):
    contract = ContractFactory(owner=people["owner"], service_area="home_care")
    extensions.extension_request_raise(
        contract=contract,
        by=people["approving_manager"],
        options_requested=1,
        justification="Good service",
    )
    # Nobody decides their own request.
    return "extensions", {"area_manager"}


def kind_extensions_escalated(people):
    request = extension_raised(people)
    ExtensionRequest.objects.filter(pk=request.pk).update(
        status=ExtensionStatus.ESCALATED,
        escalated_by=people["area_manager"],
        higher_authority="Cabinet",
    )
    return "extensions", {"area_manager"}


def kind_changes_pending(people):
    contract = ContractFactory(owner=people["owner"])
    changes.change_raise(
        contract=contract,
        by=people["owner"],
        reason="price_review",
        explanation="Price review",
        effective_from=date(2027, 1, 1),
        new_annual_value=Decimal("110000.00"),
    )
    return "changes", {"area_manager"}


def _reminder(people, kind, event_date_of):
    contract = ContractFactory(owner=people["owner"])
    reminder = Reminder.objects.create(
        contract=contract,
        kind=kind,
        due_date=TODAY,
        event_date=event_date_of(contract),
        lead="4 weeks",
        status="sent",
    )
    for key, reason in (("owner", "Owner"), ("area_manager", "Approving manager")):
        ReminderRecipient.objects.create(
            reminder=reminder, user=people[key], email=people[key].email, reason=reason
        )


def kind_decisions(people):
    _reminder(people, ReminderKind.DECISION, lambda c: c.decision_deadline)
    return "decisions", {"owner", "area_manager"}


def kind_endings(people):
    _reminder(people, ReminderKind.EXPIRY, lambda c: c.current_end_date)
    return "endings", {"owner", "area_manager"}


def _return(people, status):
    contract = ContractFactory(owner=people["owner"], start_date=date(2025, 4, 1))
    MonitoringReturn.objects.create(
        contract=contract,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        due_date=date(2026, 10, 30),
        status=status,
    )


def kind_returns(people):
    _return(people, "due")
    return "returns", {"owner"}


def kind_reviews(people):
    _return(people, "submitted")
    return "reviews", {"owner"}


def _system():
    system = PurchasingSystem.objects.create(
        reference=f"SL-PDPS-{PurchasingSystem.objects.count()}",
        name="Supported living PDPS",
        service_area="supported_living",
        starts_on=date(2026, 9, 1),
        ends_on=date(2031, 8, 31),
    )
    return system, Lot.objects.create(system=system, name="Supported living")


def _call_off(people, status):
    _, lot = _system()
    return CallOff.objects.create(
        lot=lot,
        reference=f"SL-2027-{CallOff.objects.count()}",
        title="Bootle scheme",
        route="mini_competition",
        status=status,
        start_date=date(2027, 4, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=datetime(2026, 11, 1, 12, tzinfo=UTC),
        created_by=people["procurement_officer"],
    )


def kind_results(people):
    call_off = _call_off(people, CallOffStatus.EVALUATION)
    EvaluatorAssignment.objects.create(
        call_off=call_off,
        evaluator=people["evaluator"],
        has_conflict=False,
        declared_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    return "results", {"approving_manager", "area_manager", "administrator"}


def kind_results_not_yet_ready(people):
    call_off = _call_off(people, CallOffStatus.EVALUATION)
    EvaluatorAssignment.objects.create(call_off=call_off, evaluator=people["evaluator"])
    return "results", set()


def kind_results_not_for_a_conflicted_approver(people):
    call_off = _call_off(people, CallOffStatus.EVALUATION)
    for key, conflict in (("evaluator", False), ("area_manager", True)):
        EvaluatorAssignment.objects.create(
            call_off=call_off,
            evaluator=people[key],
            has_conflict=conflict,
            declared_at=timezone.now(),
            submitted_at=None if conflict else timezone.now(),
        )
    return "results", {"approving_manager", "administrator"}


def kind_evaluations(people):
    call_off = _call_off(people, CallOffStatus.OPEN)
    EvaluatorAssignment.objects.create(call_off=call_off, evaluator=people["evaluator"])
    EvaluatorAssignment.objects.create(call_off=call_off, evaluator=people["commissioning_officer"])
    return "evaluations", {"evaluator", "commissioning_officer"}


def kind_evaluations_done(people):
    call_off = _call_off(people, CallOffStatus.EVALUATION)
    EvaluatorAssignment.objects.create(
        call_off=call_off,
        evaluator=people["evaluator"],
        has_conflict=True,
        declared_at=timezone.now(),
    )
    return "evaluations", set()


def _admission(status):
    system, lot = _system()
    window = ApplicationWindow.objects.create(
        system=system, opens_on=date(2026, 9, 1), closes_on=date(2026, 10, 31)
    )
    provider = ProviderFactory()
    application = Application.objects.create(
        system=system, provider=provider, window=window, received_on=date(2026, 9, 15)
    )
    Admission.objects.create(application=application, lot=lot, provider=provider, status=status)


def kind_applications(people):
    _admission(AdmissionStatus.PENDING)
    return "applications", {"procurement_officer", "administrator"}


def kind_clarifications(people):
    _admission(AdmissionStatus.CLARIFICATION)
    return "clarifications", {"procurement_officer", "administrator"}


def kind_over_commitments(people):
    ContractFactory(owner=people["owner"])  # £100,000 a year in 2026/27
    BudgetLine.objects.create(
        financial_year=2026, service_area="supported_living", amount=Decimal("50000.00")
    )
    return "over_commitments", {"finance_officer", "area_manager"}


def kind_over_commitments_in_another_area(people):
    ContractFactory(owner=people["owner"], service_area="home_care")
    BudgetLine.objects.create(
        financial_year=2026, service_area="home_care", amount=Decimal("50000.00")
    )
    return "over_commitments", {"finance_officer"}


def kind_no_over_commitment_within_budget(people):
    ContractFactory(owner=people["owner"])
    BudgetLine.objects.create(
        financial_year=2026, service_area="supported_living", amount=Decimal("500000.00")
    )
    return "over_commitments", set()


def kind_reports(people):
    CabinetReport.objects.create(
        requested_by=people["finance_officer"], title="ILSS", status=ReportStatus.DONE
    )
    CabinetReport.objects.create(
        requested_by=people["administrator"], title="Still running", status=ReportStatus.RUNNING
    )
    return "reports", {"finance_officer"}


def kind_reports_from_last_month(people):
    report = CabinetReport.objects.create(
        requested_by=people["finance_officer"], title="ILSS", status=ReportStatus.DONE
    )
    CabinetReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )
    return "reports", set()


SCENARIOS = [value for name, value in sorted(globals().items()) if name.startswith("kind_")]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__.removeprefix("kind_"))
def test_each_kind_of_item_is_in_the_queue_of_exactly_the_people_it_waits_for(people, scenario):
    kind, expected = scenario(people)
    assert who_has(people, kind) == expected


def test_every_kind_in_the_registry_has_a_scenario():
    covered = {s.__name__.removeprefix("kind_") for s in SCENARIOS}
    for kind in EVERY_KIND:
        assert any(name.startswith(kind) for name in covered), kind


def test_an_evaluator_sees_only_their_own_evaluations(people):
    kind_evaluations(people)
    kind_returns(people)
    kind_applications(people)
    queue = queue_for(people["evaluator"], today=TODAY)
    assert {i.kind for i in queue.items} == {"evaluations"}
