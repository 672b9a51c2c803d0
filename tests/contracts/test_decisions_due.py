"""The in-app copy of the reminders: the Decisions due page, the home page
count and the reminders listed on each contract."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from contracts import services
from contracts.models import ServiceAreaSettings
from contracts.services import reminders
from core.roles import Role
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
    [card] = [c for c in home.context["dashboard"] if c.title == "Decisions due"]
    assert card.figure == 1


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
