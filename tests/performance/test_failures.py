"""Performance failures: recorded and updated by those who manage
performance, seen by anyone who may see the contract, with who changed what
and when."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from core.concurrency import StaleEdit
from core.roles import Role
from performance import selectors_failures
from performance.models import PerformanceFailure
from performance.services import failures
from performance.services.failures import FailureError
from tests.factories import ContractFactory
from tests.pages import page_text
from tests.performance.failure_setup import *  # noqa: F403 - the shared fixtures
from tests.performance.failure_setup import failure_fields, post_data

pytestmark = pytest.mark.django_db

MANAGERS = {Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR}
VIEWERS = {
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
}


def rows():
    return list(PerformanceFailure.objects.order_by("pk").values())


# Services


def test_officer_records_a_failure_with_who_and_when(contract, officer):
    failure = failures.failure_record(contract=contract, by=officer, **failure_fields())
    assert failure.recorded_by == officer
    assert failure.version == 1
    [record] = failure.history.all()
    assert record.history_user == officer
    assert record.history_change_reason == "Performance failure recorded"


def test_update_moves_the_version_on_and_keeps_the_old_one(record, officer):
    failure = record()
    updated = failures.failure_update(
        failure=failure,
        by=officer,
        version=1,
        **failure_fields(
            is_ongoing=False,
            ended_on=date(2025, 12, 1),
            outcome="damages",
            damages_amount=Decimal("2500.00"),
        ),
    )
    assert updated.version == 2
    assert [r.outcome for r in updated.history.order_by("history_date")] == ["pending", "damages"]


def test_update_from_a_stale_page_is_refused_and_changes_nothing(record, officer):
    failure = record()
    failures.failure_update(failure=failure, by=officer, version=1, impact="Worse than thought")
    before = rows()
    with pytest.raises(StaleEdit, match="changed by Lisa Lopez"):
        failures.failure_update(failure=failure, by=officer, version=1, impact="Mine")
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"obligation": "  "}, "obligation", "Enter the obligation that was not met"),
        ({"what_happened": ""}, "what_happened", "Describe what happened"),
        ({"impact": ""}, "impact", "Describe the impact"),
        (
            {"started_on": date(2026, 1, 16)},
            "started_on",
            "The date it started must be today or in the past",
        ),
        (
            {"started_on": date(2024, 3, 31)},
            "started_on",
            "The date it started must be the same as or after the contract's start, 1 April 2024",
        ),
        (
            {"is_ongoing": False, "ended_on": date(2025, 9, 30)},
            "ended_on",
            "The date it ended must be the same as or after the date it started",
        ),
        (
            {"is_ongoing": False, "ended_on": date(2026, 2, 1)},
            "ended_on",
            "The date it ended must be today or in the past",
        ),
        (
            {"is_ongoing": True, "ended_on": date(2025, 12, 1)},
            "is_ongoing",
            "Select no if the failure has ended, or remove the date it ended",
        ),
        (
            {"is_ongoing": False},
            "ended_on",
            "Enter the date it ended, or select that it is ongoing",
        ),
        ({"outcome": "damages"}, "damages_amount", "Enter the amount of damages"),
        (
            {"outcome": "damages", "damages_amount": Decimal("0.00")},
            "damages_amount",
            "The amount of damages must be more than £0",
        ),
        (
            {"outcome": "settlement", "damages_amount": Decimal("10.00")},
            "damages_amount",
            "Leave the amount of damages empty unless the outcome is damages",
        ),
        ({"outcome": "other"}, "outcome_notes", "Describe the outcome"),
    ],
)
def test_bad_failure_is_refused_and_nothing_saved(
    changes, field, message, contract, officer, record
):
    with pytest.raises(FailureError, match=message) as refused:
        failures.failure_record(contract=contract, by=officer, **failure_fields(**changes))
    assert refused.value.field == field
    assert rows() == []

    failure = record()
    before = rows()
    with pytest.raises(FailureError, match=message):
        failures.failure_update(failure=failure, by=officer, version=1, **changes)
    assert rows() == before


@pytest.mark.parametrize("role", [Role.APPROVING_MANAGER, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_only_those_who_manage_performance_may_record(role, contract, user_with_role, record):
    user = user_with_role(role)
    with pytest.raises(FailureError, match="You do not have permission"):
        failures.failure_record(contract=contract, by=user, **failure_fields())
    failure = record()
    before = rows()
    with pytest.raises(FailureError, match="You do not have permission"):
        failures.failure_update(failure=failure, by=user, version=1, impact="Changed")
    assert rows() == before


def test_a_draft_contract_has_no_failures_to_record(officer):
    draft = ContractFactory(is_draft=True, start_date=date(2024, 4, 1))
    with pytest.raises(FailureError, match="draft"):
        failures.failure_record(contract=draft, by=officer, **failure_fields())
    assert rows() == []


def test_failures_in_term_include_those_running_into_it(contract, record):
    before = record(started_on=date(2024, 5, 1), ended_on=date(2024, 6, 1), is_ongoing=False)
    spanning = record(started_on=date(2024, 5, 1), ended_on=date(2025, 5, 1), is_ongoing=False)
    ongoing = record(started_on=date(2024, 4, 2))
    recent = record(started_on=date(2025, 6, 1), ended_on=date(2025, 7, 1), is_ongoing=False)
    since = date(2025, 4, 1)
    found = list(selectors_failures.failures_in_term(contract, since=since))
    assert found == [ongoing, recent, spanning]
    assert before in selectors_failures.failures_in_term(contract)


def test_ongoing_failures_come_first(contract, record):
    ended = record(started_on=date(2025, 12, 1), ended_on=date(2025, 12, 2), is_ongoing=False)
    old_ongoing = record(started_on=date(2024, 6, 1))
    assert list(selectors_failures.contract_failures(contract)) == [old_ongoing, ended]


# Pages


def test_officer_records_a_failure_through_the_page(client_as, contract):
    client = client_as(Role.COMMISSIONING_OFFICER)
    response = client.post(
        reverse("failures:create", args=[contract.pk]),
        post_data(
            is_ongoing=False,
            ended_on=date(2025, 11, 30),
            outcome="damages",
            damages_amount="2500.00",
            warning_notices="3 November 2025: warning notice under clause 19.1",
        ),
        follow=True,
    )
    text = page_text(response)
    assert "Performance failure recorded" in text
    failure = PerformanceFailure.objects.get()
    assert failure.damages_amount == Decimal("2500.00")
    assert not failure.is_ongoing
    assert "Damages: £2,500.00" in text
    assert "From 1 October 2025 to 30 November 2025" in text
    assert "3 November 2025: warning notice under clause 19.1" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"obligation": ""}, "Enter the obligation that was not met"),
        ({"started_on": None}, "Enter the date it started"),
        ({"started_on": "31 2 2025"}, "Date it started must be a real date"),
        ({"is_ongoing": ""}, "Select yes if it is still happening"),
        ({"started_on": date(2026, 6, 1)}, "The date it started must be today or in the past"),
        (
            {"is_ongoing": False, "ended_on": date(2025, 1, 1)},
            "The date it ended must be the same as or after the date it started",
        ),
        (
            {"ended_on": date(2025, 12, 1)},
            "Select no if the failure has ended, or remove the date it ended",
        ),
        ({"outcome": "damages"}, "Enter the amount of damages"),
        (
            {"outcome": "damages", "damages_amount": "-5"},
            "The amount of damages must be more than £0",
        ),
        (
            {"outcome": "damages", "damages_amount": "lots"},
            "Amount of damages must be a number, like 1500.00",
        ),
    ],
)
def test_bad_input_on_the_page_says_what_to_do_and_saves_nothing(
    client_as, contract, changes, message
):
    data = post_data(**{k: v for k, v in changes.items() if v != "31 2 2025"})
    if changes.get("started_on") == "31 2 2025":
        data.update(started_on_0="31", started_on_1="2", started_on_2="2025")
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("failures:create", args=[contract.pk]), data
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert rows() == []


def test_an_end_date_that_is_not_a_date_is_named_once(client_as, contract):
    data = {**post_data(is_ongoing=False), "ended_on_0": "31", "ended_on_1": "2"}
    data["ended_on_2"] = "2025"
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("failures:create", args=[contract.pk]), data
    )
    errors = response.context["form"].errors
    assert errors["ended_on"] == ["Date it ended must be a real date"]
    assert rows() == []


def test_every_problem_is_shown_at_once(client_as, contract):
    data = post_data(started_on=date(2026, 6, 1), outcome="damages")
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("failures:create", args=[contract.pk]), data
    )
    text = page_text(response)
    assert "The date it started must be today or in the past" in text
    assert "Enter the amount of damages" in text


def test_update_page_shows_the_failure_and_saves_a_new_version(client_as, record, officer):
    failure = record(provider_mitigation="Reviews booked")
    client = client_as(Role.ADMINISTRATOR)
    url = reverse("failures:edit", args=[failure.contract_id, failure.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Reviews booked" in page_text(form)
    assert form.context["form"]["version"].value() == 1
    response = client.post(
        url,
        {
            **post_data(
                provider_mitigation="Reviews booked",
                is_ongoing=False,
                ended_on=date(2025, 12, 20),
                outcome="settlement",
                outcome_notes="Agreed a service credit of two weeks",
            ),
            "version": "1",
        },
        follow=True,
    )
    assert "Performance failure updated" in page_text(response)
    failure.refresh_from_db()
    assert (failure.version, failure.outcome, failure.ended_on) == (
        2,
        "settlement",
        date(2025, 12, 20),
    )


def test_update_from_a_stale_page_says_who_changed_it(client_as, record, officer):
    failure = record()
    failures.failure_update(failure=failure, by=officer, version=1, impact="Worse than thought")
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("failures:edit", args=[failure.contract_id, failure.pk]),
        {**post_data(impact="Mine"), "version": "1"},
    )
    text = page_text(response)
    assert "was changed by Lisa Lopez" in text
    assert "This was changed to “Worse than thought” since you opened the page" in text
    failure.refresh_from_db()
    assert failure.impact == "Worse than thought"


def test_history_shows_who_changed_what_and_when(client_as, record, officer, time_machine):
    failure = record()
    time_machine.move_to("2026-01-20 14:30 +00:00")
    failures.failure_update(
        failure=failure,
        by=officer,
        version=1,
        outcome="damages",
        damages_amount=Decimal("750.00"),
    )
    response = client_as(Role.AUDITOR).get(
        reverse("failures:detail", args=[failure.contract_id, failure.pk])
    )
    text = page_text(response)
    assert "Changed: Performance failure 20 January 2026, 14:30 by Lisa Lopez" in text
    assert "Added: Performance failure 15 January 2026, 09:00 by Lisa Lopez" in text
    assert "Performance failure recorded" in text
    assert "Damages amount Not recorded 750.00" in text
    assert "Outcome Not yet decided Damages" in text


@pytest.mark.parametrize("role", list(Role))
def test_who_sees_and_who_may_record(role, client_as, record):
    failure = record()
    client = client_as(role)
    pages = [
        reverse("failures:list", args=[failure.contract_id]),
        reverse("failures:detail", args=[failure.contract_id, failure.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == (200 if role in VIEWERS else 403)
        if role in VIEWERS:
            assert ("Record a performance failure" in page_text(response)) == (
                url == pages[0] and role in MANAGERS
            )
            assert failure.obligation in page_text(response)
    before = rows()
    for url in (
        reverse("failures:create", args=[failure.contract_id]),
        reverse("failures:edit", args=[failure.contract_id, failure.pk]),
    ):
        response = client.post(url, {**post_data(impact="By anyone"), "version": "1"})
        assert response.status_code == (302 if role in MANAGERS else 403)
        if role not in MANAGERS:
            assert rows() == before


def test_a_failure_on_another_contract_is_not_found(client_as, record):
    failure = record()
    other = ContractFactory()
    response = client_as(Role.AUDITOR).get(reverse("failures:detail", args=[other.pk, failure.pk]))
    assert response.status_code == 404


def _make(contract, officer, n):
    for i in range(n):
        failures.failure_record(
            contract=contract,
            by=officer,
            **failure_fields(
                started_on=date(2025, 1, 1 + i),
                is_ongoing=bool(i % 2),
                ended_on=None if i % 2 else date(2025, 2, 1),
            ),
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_failures_list_costs_the_same_queries_at_any_size(client_as, officer):
    client = client_as(Role.AUDITOR)
    small, large = ContractFactory(), ContractFactory()
    _make(small, officer, 1)
    _make(large, officer, 12)
    counts = [_queries(client, reverse("failures:list", args=[c.pk])) for c in (small, large)]
    assert counts[0] == counts[1]


def test_contract_page_card_costs_the_same_queries_at_any_size(client_as, officer):
    client = client_as(Role.COMMISSIONING_OFFICER)
    small, large = ContractFactory(), ContractFactory()
    _make(small, officer, 1)
    _make(large, officer, 12)
    counts = [_queries(client, reverse("contracts:detail", args=[c.pk])) for c in (small, large)]
    assert counts[0] == counts[1]


def test_contract_page_lists_failures_ongoing_first_with_links(client_as, record, contract):
    record(obligation="Ended one", started_on=date(2025, 12, 1), ended_on=date(2025, 12, 5),
           is_ongoing=False)  # fmt: skip
    record(obligation="Still going", started_on=date(2025, 6, 1))
    response = client_as(Role.COMMISSIONING_OFFICER).get(contract.get_absolute_url())
    text = page_text(response)
    assert "2 failures recorded, 1 still happening" in text
    assert text.index("Ongoing Still going") < text.index("Ended Ended one")
    assert "Record a failure" in text
    assert "The provider has not been warned" in text
    html = response.content.decode()
    assert reverse("failures:create", args=[contract.pk]) in html


def test_contract_page_for_viewers_has_no_record_links(client_as, contract):
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "No performance failures recorded." in text
    assert "Record a failure" not in text
    assert "Warn the provider" not in text


def test_demo_call_off_has_a_failure_and_an_open_plan(db, capsys):
    from django.core.management import call_command

    call_command("load_demo_data", allow_production=True)
    call_command("load_demo_data", allow_production=True)
    contract = Contract.objects.get(title="Supported living call-off (illustrative)")
    [failure] = contract.performance_failures.all()
    assert failure.outcome == "damages"
    assert failure.damages_amount == Decimal("2500.00")
    plan = selectors_failures.open_improvement_plan(contract)
    assert plan is not None
    assert plan.state == "open"
