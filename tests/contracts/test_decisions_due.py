"""The in-app copy of the reminders: the Decisions due page, the home page
count and the reminders listed on each contract."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
from performance.models import MonitoringReturn
from tests.factories import ContractFactory
from tests.pages import page_text

# These contracts have no reviews or budgets: the performance and budget rules
# apply, and are tested in tests/contracts/test_extension_gate.py.
DESPITE = "Approved for the test, whatever the evidence"

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def on_3_december_2026():
    with time_machine.travel(date(2026, 12, 3), tick=False):
        yield


@pytest.fixture
def owner(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, email="owner@example.gov.uk")


@pytest.fixture
def manager(user_with_role):
    return user_with_role(Role.APPROVING_MANAGER, email="manager@example.gov.uk")


@pytest.fixture
def contract(owner, manager):
    area = ServiceAreaSettings.objects.create(service_area="supported_living")
    area.managers.add(manager)
    # Decision deadline 31 December 2026: the 4-week warning is due on 3 December.
    contract = ContractFactory(reference="SL-001", owner=owner, start_date=date(2024, 4, 1))
    for reminder_id in [r.pk for r in reminders.reminders_sweep(today=TODAY).written]:
        reminders.reminder_send(reminder_id, today=TODAY)
    return contract


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_owner_sees_the_decision_due_and_another_officer_does_not(
    client, contract, user_with_role
):
    page = signed_in(client, contract.owner).get(reverse("contracts:decisions_due"))
    assert page.status_code == 200
    assert [r["contract__reference"] for r in page.context["decisions"]] == ["SL-001"]
    assert "31 Dec 2026" in page.text

    other = user_with_role(Role.COMMISSIONING_OFFICER)
    client.force_login(other)
    assert client.get(reverse("contracts:decisions_due")).context["total"] == 0
    everyone = client.get(reverse("contracts:decisions_due"), {"show": "all"})
    assert [r["contract__reference"] for r in everyone.context["decisions"]] == ["SL-001"]


def test_the_home_page_counts_the_decisions_due(client, contract, manager):
    home = signed_in(client, manager).get(reverse("home"))
    assert home.context["queue"].counts == {"decisions": 1}


def test_a_decided_extension_leaves_the_page(client, contract, owner, manager):
    request = services.extension_request_raise(
        contract=contract, by=owner, options_requested=1, justification="Good service"
    )
    services.extension_approve(
        approved_despite=DESPITE, request=request, by=manager, reason="Value for money", today=TODAY
    )
    page = signed_in(client, owner).get(reverse("contracts:decisions_due"))
    assert page.context["total"] == 0


def test_the_contract_lists_every_reminder_and_who_it_went_to(client, contract, owner):
    page = signed_in(client, owner).get(reverse("contracts:detail", args=[contract.pk]))
    assert "Extension decision due by 31 December 2026, 4 weeks before" in page.text
    assert owner.get_full_name() in page_text(page)
    assert "(approving manager)" in page.text
    assert "Sent 3 Dec 2026" in page.text


# Monitoring returns and reviews on the page.

MONITORING_VIEWERS = [
    Role.COMMISSIONING_OFFICER, Role.PROCUREMENT_OFFICER, Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER, Role.ADMINISTRATOR, Role.AUDITOR,
]  # fmt: skip


def monitoring_return(contract, *, due, status="due", start=date(2026, 7, 1)):
    return MonitoringReturn.objects.create(
        contract=contract, period_start=start, period_end=date(2026, 9, 30), due_date=due,
        status=status,
    )  # fmt: skip


@pytest.fixture
def monitoring(owner, user_with_role):
    someone = user_with_role(Role.COMMISSIONING_OFFICER)
    ours = ContractFactory(reference="SL-101", owner=owner, start_date=date(2025, 4, 1))
    theirs = ContractFactory(reference="SL-102", owner=someone, start_date=date(2025, 4, 1))
    later = ContractFactory(reference="SL-103", owner=owner, start_date=date(2025, 4, 1))
    monitoring_return(ours, due=date(2026, 10, 30))  # overdue
    monitoring_return(theirs, due=date(2026, 10, 30), status="submitted")  # review by 29 Nov
    monitoring_return(later, due=date(2026, 12, 10))  # not yet overdue
    monitoring_return(later, due=date(2026, 7, 30), status="reviewed", start=date(2026, 4, 1))
    return ours, theirs, later


def rows(page, key):
    return [(r["contract__reference"], r["deadline"], r["is_overdue"]) for r in page.context[key]]


@pytest.mark.parametrize("role", MONITORING_VIEWERS)
def test_every_role_that_sees_the_register_sees_every_return_and_review_due(
    client, monitoring, user_with_role, role
):
    page = signed_in(client, user_with_role(role)).get(
        reverse("contracts:decisions_due"), {"show": "all"}
    )
    assert page.status_code == 200
    assert rows(page, "returns") == [
        ("SL-101", date(2026, 10, 30), True),
        ("SL-103", date(2026, 12, 10), False),
    ]
    assert rows(page, "reviews") == [("SL-102", date(2026, 11, 29), True)]
    text = page_text(page)
    assert "Monitoring returns due" in text and "Monitoring reviews due" in text
    assert "1 Jul 2026 to 30 Sep 2026" in text
    assert text.count("Overdue") == 2
    ours = monitoring[0]
    assert f'href="{reverse("contracts:detail", args=[ours.pk])}"' in page.text
    due = ours.monitoring_returns.get()
    assert f'href="{reverse("performance:return_detail", args=[ours.pk, due.pk])}"' in page.text


def test_an_evaluator_does_not_see_the_page(client, monitoring, user_with_role):
    page = signed_in(client, user_with_role(Role.EVALUATOR)).get(reverse("contracts:decisions_due"))
    assert page.status_code == 403


def test_yours_lists_the_returns_of_the_contracts_you_own(client, monitoring, owner, manager):
    page = signed_in(client, owner).get(reverse("contracts:decisions_due"))
    assert [r[0] for r in rows(page, "returns")] == ["SL-101", "SL-103"]
    assert rows(page, "reviews") == []
    home = client.get(reverse("home"))
    assert home.context["queue"].counts == {"returns": 2}

    client.force_login(manager)
    assert client.get(reverse("contracts:decisions_due")).context["total"] == 0


def test_a_service_area_sets_when_its_reviews_are_due(client, monitoring, owner):
    ServiceAreaSettings.objects.create(service_area="supported_living", review_due_days=60)
    page = signed_in(client, owner).get(reverse("contracts:decisions_due"), {"show": "all"})
    assert rows(page, "reviews") == [("SL-102", date(2026, 12, 29), False)]


def test_the_page_takes_the_same_queries_for_1_or_20_returns_and_reviews(client, owner):
    def queries_for(count):
        for n in range(count):
            contract = ContractFactory(owner=owner, start_date=date(2025, 4, 1))
            status = "due" if n % 2 else "submitted"
            monitoring_return(contract, due=date(2026, 10, 30), status=status)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("contracts:decisions_due"), {"show": "all"})
        assert page.status_code == 200
        return len(queries), len(page.context["returns"]) + len(page.context["reviews"])

    signed_in(client, owner)
    few = queries_for(1)
    many = queries_for(19)
    assert (few[1], many[1]) == (1, 20)
    assert few[0] == many[0]
