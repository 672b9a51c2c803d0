"""Extensions agreed "on the basis of performance and budget availability"
(ILSS Cabinet, seed 001): what the decision pages show, and the approvals
that need a recorded reason (contracts/extension_rules.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.constants import ExtensionStatus
from contracts.extension_evidence import extension_evidence
from contracts.history import contract_history
from contracts.services.register import ContractError
from core.roles import Role
from finance.models import BudgetLine
from finance.years import FinancialYear
from performance.models import Kpi, KpiActual, MonitoringReturn, PerformanceFailure, Review
from tests.factories import ContractFactory
from tests.pages import page_text

TODAY = date(2026, 11, 16)
FY_2027 = FinancialYear(2027)


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER)


@pytest.fixture
def manager(user_with_role):
    # £250,000 delegated authority (see conftest).
    return user_with_role(Role.APPROVING_MANAGER)


@pytest.fixture
def contract(db, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    # Ends 31 March 2027; option 1 adds 2027/28 at £100,000; decide by 31 December 2026.
    return ContractFactory(
        reference="SL-001",
        service_area="supported_living",
        start_date=date(2024, 4, 1),
        term="3+1+1",
        annual_value=Decimal("100000.00"),
        options_may_be_taken_together=True,
    )


def budget(amount, year=2027, area="supported_living", funder="council"):
    return BudgetLine.objects.create(
        financial_year=year, service_area=area, funder=funder, amount=Decimal(amount)
    )


def review(contract, *, on, rating="good", kpis=(), officer=None, other_reason=""):
    period_end = on - timedelta(days=30)
    monitoring_return = MonitoringReturn.objects.create(
        contract=contract,
        period_start=period_end - timedelta(days=90),
        period_end=period_end,
        due_date=period_end + timedelta(days=30),
        status="reviewed",
    )
    for n, (name, actual, kpi_rating) in enumerate(kpis):
        kpi = Kpi.objects.create(
            contract=contract, name=name, measure=name, unit="%", target=Decimal(90), order=n
        )
        KpiActual.objects.create(
            monitoring_return=monitoring_return, kpi=kpi, actual=actual, rating=kpi_rating
        )
    return Review.objects.create(
        monitoring_return=monitoring_return,
        contract=contract,
        overall_rating=rating,
        other_reason=other_reason,
        reviewed_on=on,
        reviewed_by=officer,
    )


def small_limit(user_with_role):
    return user_with_role(Role.APPROVING_MANAGER, delegated_authority_limit=Decimal("150000"))


def raise_request(contract, officer, options=1):
    return services.extension_request_raise(
        contract=contract,
        by=officer,
        options_requested=options,
        justification="Good KPIs",
        today=TODAY,
    )


def approve(request, manager, despite=""):
    return services.extension_approve(
        request=request, by=manager, reason="Value for money", approved_despite=despite, today=TODAY
    )


def refused(request, manager) -> str:
    with pytest.raises(ContractError) as refusal:
        approve(request, manager)
    assert refusal.value.field == "approved_despite"
    request.refresh_from_db()
    assert request.status == ExtensionStatus.PENDING
    assert request.contract.options_taken == 0
    return str(refusal.value)


def test_a_recent_good_review_within_budget_is_approved_without_an_explanation(
    contract, officer, manager
):
    review(contract, on=date(2026, 10, 1), officer=officer)
    budget("1000000.00")
    request = approve(raise_request(contract, officer), manager, despite="Not needed")
    assert request.status == ExtensionStatus.APPROVED
    # Nothing to explain, so nothing is recorded as if there were.
    assert request.approved_despite == ""


def test_approval_is_refused_without_a_review_in_the_last_12_months(contract, officer, manager):
    review(contract, on=date(2025, 11, 15), officer=officer)  # 12 months and a day
    budget("1000000.00")
    request = raise_request(contract, officer)
    message = refused(request, manager)
    assert message == (
        "Explain why you approve the extension although there has been no review of "
        "performance in the last 12 months (the latest was on 15 November 2025)"
    )


def test_approval_without_a_recent_review_is_allowed_with_a_recorded_reason(
    contract, officer, manager
):
    review(contract, on=date(2025, 11, 15), officer=officer)
    budget("1000000.00")
    request = approve(raise_request(contract, officer), manager, despite="Visit booked for Dec")
    assert request.status == ExtensionStatus.APPROVED
    assert request.approved_despite == "Visit booked for Dec"
    contract.refresh_from_db()
    assert contract.options_taken == 1
    notes = [e["reason"] for e in contract_history(contract)]
    assert "Approved despite: no recent review" in notes


def test_a_contract_never_reviewed_needs_the_same_explanation(contract, officer, manager):
    budget("1000000.00")
    assert "has never been reviewed" in refused(raise_request(contract, officer), manager)


def test_approval_is_refused_when_the_latest_rating_is_inadequate(contract, officer, manager):
    review(contract, on=date(2026, 1, 10), rating="good", officer=officer)
    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    budget("1000000.00")
    message = refused(raise_request(contract, officer), manager)
    assert message == (
        "Explain why you approve the extension although the latest overall rating is Inadequate"
    )


def test_approval_on_inadequate_is_allowed_with_a_recorded_reason(contract, officer, manager):
    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    budget("1000000.00")
    request = approve(raise_request(contract, officer), manager, despite="Improvement plan met")
    assert (request.status, request.approved_despite) == (
        ExtensionStatus.APPROVED,
        "Improvement plan met",
    )


def test_an_earlier_inadequate_does_not_count_once_a_later_review_is_good(
    contract, officer, manager
):
    review(contract, on=date(2026, 4, 1), rating="inadequate", officer=officer)
    review(contract, on=date(2026, 10, 1), rating="good", officer=officer)
    budget("1000000.00")
    assert approve(raise_request(contract, officer), manager).status == ExtensionStatus.APPROVED


def test_approval_is_refused_when_a_year_would_be_over_committed(contract, officer, manager):
    review(contract, on=date(2026, 10, 1), officer=officer)
    other = ContractFactory(start_date=date(2026, 4, 1), term="3", annual_value=Decimal("50000"))
    assert other.service_area == contract.service_area
    budget("149999.99")  # £50,000 committed + £100,000 extension = £150,000
    message = refused(raise_request(contract, officer), manager)
    assert message == (
        "Explain why you approve the extension although it over-commits the 2027/28 budget"
    )


def test_approval_over_budget_is_allowed_with_a_recorded_reason(contract, officer, manager):
    review(contract, on=date(2026, 10, 1), officer=officer)
    budget("50000.00")
    request = approve(raise_request(contract, officer), manager, despite="Growth bid agreed")
    assert request.approved_despite == "Growth bid agreed"


def test_spending_the_budget_exactly_is_not_over_committing_it(contract, officer, manager):
    review(contract, on=date(2026, 10, 1), officer=officer)
    ContractFactory(start_date=date(2026, 4, 1), term="3", annual_value=Decimal("50000"))
    budget("150000.00")
    assert approve(raise_request(contract, officer), manager).status == ExtensionStatus.APPROVED


def test_every_rule_that_applies_is_named_at_once(contract, officer, manager):
    review(contract, on=date(2025, 1, 10), rating="inadequate", officer=officer)
    message = refused(raise_request(contract, officer), manager)
    assert message == (
        "Explain why you approve the extension although there has been no review of "
        "performance in the last 12 months (the latest was on 10 January 2025); the latest "
        "overall rating is Inadequate; and no budget is recorded for 2027/28"
    )


def test_a_higher_authoritys_approval_needs_its_reason_recorded_too(
    contract, officer, manager, user_with_role
):
    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    budget("1000000.00")
    budget("1000000.00", year=2028)
    request = raise_request(contract, officer, options=2)  # £200,000: over £150,000
    request = services.extension_escalate(
        request=request, by=small_limit(user_with_role), authority="Cabinet", today=TODAY
    )
    decide = {
        "request": request,
        "by": manager,
        "approved": True,
        "reference": "Cabinet 7 January, item 12",
        "reason": "Market has no alternative",
        "today": TODAY,
    }
    with pytest.raises(ContractError) as refusal:
        services.extension_record_authority_decision(**decide)
    assert str(refusal.value) == (
        "Explain why Cabinet approved the extension although the latest overall rating is "
        "Inadequate"
    )
    request = services.extension_record_authority_decision(
        **decide, approved_despite="Cabinet accepted the improvement plan"
    )
    assert request.status == ExtensionStatus.APPROVED
    assert request.approved_despite == "Cabinet accepted the improvement plan"


def test_the_evidence_shows_each_year_the_extension_adds(contract, officer, manager):
    review(
        contract,
        on=date(2026, 10, 1),
        rating="approaching_target",
        officer=officer,
        kpis=[("Outcomes met", Decimal("92"), "green"), ("Hours delivered", None, "not_reported")],
    )
    PerformanceFailure.objects.create(
        contract=contract,
        obligation="Staffing levels",
        what_happened="Short-staffed",
        impact="Missed visits",
        started_on=date(2026, 5, 1),
        recorded_by=officer,
    )
    ContractFactory(start_date=date(2026, 4, 1), term="3", annual_value=Decimal("50000"))
    budget("120000.00", year=2027)
    budget("500000.00", year=2028)
    evidence = extension_evidence(contract, options_requested=2, today=TODAY)
    assert evidence.latest_review.overall_rating == "approaching_target"
    assert [(k.name, k.rating) for k in evidence.kpis] == [
        ("Outcomes met", "green"),
        ("Hours delivered", "not_reported"),
    ]
    assert [f.obligation for f in evidence.failures] == ["Staffing levels"]
    rows = [(r.year.label, r.budget, r.committed, r.extension, r.headroom) for r in evidence.years]
    assert rows == [
        (
            "2027/28",
            Decimal("120000.00"),
            Decimal("50000.00"),
            Decimal("100000.00"),
            Decimal("-30000.00"),
        ),
        (
            "2028/29",
            Decimal("500000.00"),
            Decimal("50000.00"),
            Decimal("100000.00"),
            Decimal("350000.00"),
        ),
    ]
    assert [r.rule for r in evidence.reasons] == ["over_committed"]


def test_a_contract_part_way_through_a_year_counts_its_own_current_term_as_committed(
    db, time_machine, officer
):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    contract = ContractFactory(
        start_date=date(2024, 10, 1), term="3+1", annual_value=Decimal("365000")
    )
    budget("1000000.00", year=2027)
    evidence = extension_evidence(contract, options_requested=1, today=TODAY)
    # Ends 30 September 2027: April to September 2027 is already committed,
    # the option adds October 2027 to March 2028 and April to September 2028.
    first, second = evidence.years
    assert (first.year, second.year) == (FY_2027, FinancialYear(2028))
    assert first.committed == Decimal("183000.00")  # 183 of the contract year's 365 days
    assert first.extension + second.extension == Decimal("365000.00")


def evidence_queries(contract):
    with CaptureQueriesContext(connection) as queries:
        extension_evidence(contract, options_requested=2, today=TODAY)
    return len(queries)


def test_the_evidence_takes_the_same_queries_whatever_the_numbers(contract, officer):
    # Warm the stored commitments, as the budget page would have.
    review(contract, on=date(2026, 4, 1), officer=officer, kpis=[("A", Decimal(1), "red")])
    budget("1.00")
    extension_evidence(contract, options_requested=2, today=TODAY)
    few = evidence_queries(contract)

    for n in range(12):
        ContractFactory(start_date=date(2025, 4, 1), term="3+2", annual_value=Decimal(1000 + n))
        PerformanceFailure.objects.create(
            contract=contract,
            obligation=f"Obligation {n}",
            what_happened="x",
            impact="y",
            started_on=date(2026, 1, 1),
            recorded_by=officer,
        )
    for year in (2028, 2029):
        budget("1.00", year=year)
        budget("2.00", year=year, funder="icb")
    review(
        contract,
        on=date(2026, 10, 1),
        officer=officer,
        kpis=[(f"KPI {n}", Decimal(n), "green") for n in range(20)],
    )
    extension_evidence(contract, options_requested=2, today=TODAY)  # works the new contracts out
    assert evidence_queries(contract) == few <= 6


def test_query_count_is_flat_between_one_year_and_several(contract, officer):
    review(contract, on=date(2026, 10, 1), officer=officer)
    budget("1.00")
    extension_evidence(contract, options_requested=1, today=TODAY)
    with CaptureQueriesContext(connection) as one_year:
        evidence = extension_evidence(contract, options_requested=1, today=TODAY)
    assert len(evidence.years) == 1
    with CaptureQueriesContext(connection) as two_years:
        evidence = extension_evidence(contract, options_requested=2, today=TODAY)
    assert len(evidence.years) == 2
    assert len(one_year) == len(two_years)


# The pages


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_decision_page_shows_the_rating_and_headroom(contract, officer, manager, signed_in):
    review(
        contract,
        on=date(2026, 10, 1),
        rating="requires_improvement",
        officer=officer,
        kpis=[("Outcomes met", Decimal("80"), "red")],
    )
    budget("80000.00")
    request = raise_request(contract, officer)
    url = reverse("contracts:extension_decide", args=[contract.pk, request.pk])
    page = signed_in(manager).get(url)
    text = page_text(page)
    assert "Latest overall rating Requires improvement" in text
    assert "Outcomes met 90 % 80 % Red" in text
    assert "2027/28 £80,000.00 £0.00 £100,000.00 -£20,000.00 Over-committed" in text
    assert "It over-commits the 2027/28 budget." in text
    assert 'class="govuk-tag govuk-tag--orange">Requires improvement' in page.content.decode()


def test_approving_without_the_reason_shows_the_error_and_with_it_approves(
    contract, officer, manager, signed_in
):
    budget("1000000.00")
    request = raise_request(contract, officer)
    client = signed_in(manager)
    url = reverse("contracts:extension_decide", args=[contract.pk, request.pk])
    page = client.post(url, {"decision": "approve", "reason": "Value for money"})
    assert page.status_code == 200
    summary = page_text(page)
    assert (
        "Explain why you approve the extension although the contract's performance has never "
        "been reviewed" in summary
    )
    request.refresh_from_db()
    assert request.status == ExtensionStatus.PENDING

    page = client.post(
        url,
        {"decision": "approve", "reason": "Value for money", "approved_despite": "Visit <booked>"},
    )
    assert page.status_code == 302
    request.refresh_from_db()
    assert request.approved_despite == "Visit <booked>"
    detail = client.get(contract.get_absolute_url())
    assert "Approved despite Visit <booked>" in page_text(detail)
    assert "Visit &lt;booked&gt;" in detail.content.decode()
    history = page_text(client.get(reverse("contracts:history", args=[contract.pk])))
    assert "Approved despite: no recent review" in history
    assert "Visit <booked>" in history


def test_rejecting_needs_no_explanation(contract, officer, manager, signed_in):
    request = raise_request(contract, officer)
    url = reverse("contracts:extension_decide", args=[contract.pk, request.pk])
    page = signed_in(manager).post(url, {"decision": "reject", "reason": "Poor value"})
    assert page.status_code == 302
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REJECTED


def test_no_explanation_field_when_no_rule_applies(contract, officer, manager, signed_in):
    review(contract, on=date(2026, 10, 1), officer=officer)
    budget("1000000.00")
    request = raise_request(contract, officer)
    url = reverse("contracts:extension_decide", args=[contract.pk, request.pk])
    page = signed_in(manager).get(url)
    assert 'name="approved_despite"' not in page.content.decode()
    assert "2027/28 £1,000,000.00 £0.00 £100,000.00 £900,000.00" in page_text(page)


def test_the_officer_sees_the_evidence_when_raising_the_request(contract, officer, signed_in):
    review(contract, on=date(2026, 10, 1), rating="good", officer=officer)
    page = signed_in(officer).get(reverse("contracts:extension_request", args=[contract.pk]))
    text = page_text(page)
    assert "Latest overall rating Good" in text
    assert "2027/28 No budget recorded £0.00 £100,000.00 Not known" in text
    assert "No budget is recorded for 2027/28." in text


def test_the_authority_page_shows_the_evidence_and_asks_for_the_reason(
    contract, officer, manager, signed_in, user_with_role
):
    budget("1000000.00")
    request = raise_request(contract, officer, options=2)
    services.extension_escalate(
        request=request, by=small_limit(user_with_role), authority="Cabinet", today=TODAY
    )
    url = reverse("contracts:extension_authority", args=[contract.pk, request.pk])
    client = signed_in(manager)
    text = page_text(client.get(url))
    assert "Latest overall rating Not reviewed yet" in text
    assert "If Cabinet approved: why, although the evidence is against it?" in text
    page = client.post(url, {"approved": "yes", "reference": "Cab 1", "reason": "Market"})
    assert "Explain why Cabinet approved the extension although" in page_text(page)
    page = client.post(url, {"approved": "no", "reference": "Cab 1", "reason": "Market"})
    assert page.status_code == 302


# The reminder emails


def test_the_waiting_reminder_says_what_approving_will_need_explained(
    contract, officer, manager, time_machine
):
    from django.core import mail

    from contracts.services import reminders

    time_machine.move_to("2026-11-02 10:00 +00:00")
    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    contract.owner = officer
    contract.save()
    services.extension_request_raise(
        contract=contract, by=officer, options_requested=1, justification="Good KPIs"
    )
    [reminder] = reminders.reminders_sweep(today=date(2026, 11, 10)).written
    assert reminders.reminder_send(reminder.pk, today=date(2026, 11, 10)) is not None
    [email] = mail.outbox
    assert "Approving it needs a recorded explanation:" in email.body
    assert "- The latest overall rating is Inadequate." in email.body
    assert "- No budget is recorded for 2027/28." in email.body
    assert "The latest overall rating is Inadequate." in email.alternatives[0][0]


def test_later_reminders_carry_the_reason_an_extension_was_approved_despite_the_evidence(
    db, time_machine, officer, manager
):
    from django.core import mail

    from contracts.services import reminders

    time_machine.move_to("2026-11-16 09:00 +00:00")
    # 3+1+1 from 1 April 2023: option 1 to 31 March 2027 leaves option 2 to decide.
    contract = ContractFactory(
        reference="SL-002", owner=officer, start_date=date(2023, 4, 1), annual_value=Decimal(1000)
    )
    request = services.extension_request_raise(
        contract=contract,
        by=officer,
        options_requested=1,
        justification="x",
        today=date(2025, 12, 1),
    )
    services.extension_approve(
        request=request,
        by=manager,
        reason="Value",
        approved_despite="Recommissioning not ready & no <alternative>",
        today=date(2025, 12, 1),
    )
    contract.refresh_from_db()
    sent = reminders.reminders_sweep(today=contract.decision_deadline).written
    assert sent
    for reminder in sent:
        reminders.reminder_send(reminder.pk, today=contract.decision_deadline)
    email = mail.outbox[-1]
    assert "Option 1 was approved on 16 November 2026 despite the evidence." in email.body
    assert "Recommissioning not ready & no <alternative>" in email.body
    assert "no &lt;alternative&gt;" in email.alternatives[0][0]


# Every role

EXTENSION_DECIDERS = {Role.APPROVING_MANAGER, Role.ADMINISTRATOR}
RAISERS = {Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_sees_the_evidence_only_on_the_pages_it_may_open(
    contract, officer, manager, client_as, role
):
    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    budget("1000000.00")
    client = client_as(role)
    # The request page before the request is raised: once one is waiting,
    # it sends the officer back to the contract (test_extension_offer.py).
    before = client.get(reverse("contracts:extension_request", args=[contract.pk]))
    request = raise_request(contract, officer)
    pages = {
        "contracts:extension_request": (before, RAISERS),
        "contracts:extension_decide": (
            client.get(reverse("contracts:extension_decide", args=[contract.pk, request.pk])),
            EXTENSION_DECIDERS,
        ),
    }
    for name, (response, allowed) in pages.items():
        if role not in allowed:
            assert response.status_code == 403, name
            continue
        assert response.status_code == 200, name
        text = page_text(response)
        assert "Latest overall rating Inadequate" in text, name
        assert "2027/28 £1,000,000.00" in text, name
    decide = client.get(reverse("contracts:extension_decide", args=[contract.pk, request.pk]))
    # Only someone who may approve it is asked why they would.
    asked = 'name="approved_despite"' in decide.content.decode()
    assert asked == (role is Role.APPROVING_MANAGER)


def test_failures_in_the_term_are_those_ongoing_or_ended_since_the_start(contract, officer):
    def failure(obligation, started_on, ended_on=None):
        PerformanceFailure.objects.create(
            contract=contract,
            obligation=obligation,
            what_happened="x",
            impact="y",
            started_on=started_on,
            ended_on=ended_on,
            is_ongoing=ended_on is None,
            recorded_by=officer,
        )

    failure("Before the start", date(2024, 1, 1), ended_on=date(2024, 3, 1))
    failure("Ran into the term", date(2024, 3, 1), ended_on=date(2024, 5, 1))
    failure("Still going", date(2025, 1, 1))
    failure("Over", date(2026, 2, 1), ended_on=date(2026, 3, 1))
    evidence = extension_evidence(contract, options_requested=1, today=TODAY)
    assert [f.obligation for f in evidence.failures] == ["Still going", "Over", "Ran into the term"]
    assert evidence.ongoing_failures == 1


def test_the_decision_email_carries_the_reason_it_was_approved_despite_the_evidence(
    contract, officer, manager
):
    from notifications.models import Notification

    review(contract, on=date(2026, 10, 1), rating="inadequate", officer=officer)
    budget("1000000.00")
    approve(raise_request(contract, officer), manager, despite="No other provider & <none> near")
    [email] = Notification.objects.filter(kind="decision_made")
    assert email.email == officer.email.lower()
    assert email.subject == "Extension approved: SL-001 option 1"
    assert "was approved on 16 November 2026" in email.body
    assert "Reason: Value for money" in email.body
    assert (
        "Approved despite the evidence (Inadequate). The reason recorded: "
        "No other provider & <none> near" in email.body
    )


def test_an_approval_refused_for_want_of_a_reason_sends_nothing(contract, officer, manager):
    from core.models import OutboxMessage
    from notifications.models import Notification

    budget("1000000.00")
    refused(raise_request(contract, officer), manager)
    # Only the raise's own notification to the approvers; no decision.
    assert not OutboxMessage.objects.exclude(kind="notification").exists()
    assert set(Notification.objects.values_list("kind", flat=True)) <= {"extension_raised"}
