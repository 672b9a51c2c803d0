"""Purchasing systems: windows, applications and admission decisions."""

from datetime import date

import pytest

from procurement import selectors
from procurement.constants import AdmissionStatus
from procurement.services import ProcurementError, systems
from tests.factories import ContractFactory, ProviderFactory


def apply(pdps, lot, officer, provider, passed=True, received_on=date(2026, 9, 15)):
    question = pdps.questions.get()
    return systems.application_record(
        system=pdps,
        by=officer,
        provider=provider,
        lots=[lot],
        received_on=received_on,
        answers={question: (passed, "Evidence")},
    )


def test_an_application_that_fails_a_selection_question_cannot_be_admitted(
    pdps, lot, procurement_officer
):
    application = apply(pdps, lot, procurement_officer, ProviderFactory(), passed=False)
    admission = application.admissions.get()
    with pytest.raises(ProcurementError, match="failed selection question 1"):
        systems.admission_decide(
            admission=admission, by=procurement_officer, status=AdmissionStatus.ADMITTED
        )
    with pytest.raises(ProcurementError, match="reason"):
        systems.admission_decide(
            admission=admission, by=procurement_officer, status=AdmissionStatus.REJECTED, reason=" "
        )
    rejected = systems.admission_decide(
        admission=admission,
        by=procurement_officer,
        status=AdmissionStatus.REJECTED,
        reason="No CQC registration",
    )
    assert (rejected.decided_by, rejected.reason) == (procurement_officer, "No CQC registration")
    assert rejected.decided_at is not None


def test_an_admitted_provider_can_be_suspended_reinstated_and_removed(
    pdps, lot, procurement_officer
):
    admission = apply(pdps, lot, procurement_officer, ProviderFactory()).admissions.get()
    decide = lambda status, reason="": systems.admission_decide(  # noqa: E731
        admission=admission, by=procurement_officer, status=status, reason=reason
    )
    decide(AdmissionStatus.ADMITTED)
    decide(AdmissionStatus.SUSPENDED, "CQC inspection rated inadequate")
    decide(AdmissionStatus.ADMITTED)
    decide(AdmissionStatus.REMOVED, "Left the market")
    with pytest.raises(ProcurementError, match="cannot be admitted now"):
        decide(AdmissionStatus.ADMITTED)


def test_applications_only_while_the_system_is_open(pdps, lot, procurement_officer):
    with pytest.raises(ProcurementError, match="was not open to applications on 1 December"):
        apply(pdps, lot, procurement_officer, ProviderFactory(), received_on=date(2026, 12, 1))
    with pytest.raises(ProcurementError, match="overlaps"):
        systems.window_open(
            system=pdps,
            by=procurement_officer,
            opens_on=date(2026, 10, 1),
            closes_on=date(2026, 12, 31),
        )
    systems.window_open(
        system=pdps,
        by=procurement_officer,
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 3, 31),
        note="Re-opened",
    )
    apply(pdps, lot, procurement_officer, ProviderFactory(), received_on=date(2027, 3, 2))


def test_current_providers_who_did_not_join_are_flagged_for_re_procurement(
    pdps, lot, admitted, procurement_officer
):
    joined, stayed_out = admitted[0], ProviderFactory(legal_name="Stayed Out Ltd")
    kept = ContractFactory(provider=joined, start_date=date(2025, 4, 1))
    flagged = ContractFactory(provider=stayed_out, start_date=date(2025, 4, 1))
    ContractFactory(provider=stayed_out, start_date=date(2025, 4, 1), service_area="home_care")
    assert list(selectors.for_reprocurement(pdps)) == [flagged]
    assert kept not in selectors.for_reprocurement(pdps)


def test_after_a_clarification_the_answers_are_updated_and_the_provider_admitted(
    pdps, lot, procurement_officer
):
    application = apply(pdps, lot, procurement_officer, ProviderFactory(), passed=False)
    admission = application.admissions.get()
    systems.admission_decide(
        admission=admission,
        by=procurement_officer,
        status=AdmissionStatus.CLARIFICATION,
        reason="Send the CQC registration certificate",
    )
    question = pdps.questions.get()
    systems.application_answers_update(
        application=application,
        by=procurement_officer,
        answers={question: (True, "Certificate received")},
    )
    admitted = systems.admission_decide(
        admission=admission, by=procurement_officer, status=AdmissionStatus.ADMITTED
    )
    assert admitted.status == AdmissionStatus.ADMITTED
    answer = application.answers.get()
    assert answer.history.count() == 2  # the failed answer is kept
    with pytest.raises(ProcurementError, match="can no longer change"):
        systems.application_answers_update(
            application=application, by=procurement_officer, answers={question: (False, "")}
        )
