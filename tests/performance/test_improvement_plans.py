"""Improvement plans: the council warns a provider what must improve by
when, and later closes the plan as improvement made or not made; an open
plan past its improve-by date is overdue."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.concurrency import StaleEdit
from core.roles import Role
from performance import selectors_failures
from performance.models import ImprovementPlan
from performance.services import improvement
from performance.services.failures import FailureError
from tests.factories import ContractFactory
from tests.pages import page_text
from tests.performance.failure_setup import *  # noqa: F403 - the shared fixtures

pytestmark = pytest.mark.django_db

MANAGERS = {Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR}
VIEWERS = MANAGERS | {
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
}


def rows():
    return list(ImprovementPlan.objects.order_by("pk").values())


def dates(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def close(plan, by, **changes):
    fields = {
        "status": "met",
        "closed_on": date(2026, 1, 15),
        "outcome_notes": "All plans reviewed at the January visit",
        **changes,
    }
    return improvement.improvement_plan_close(plan=plan, by=by, version=plan.version, **fields)


# Services


def test_warning_opens_a_plan_with_who_and_when(warn, officer, contract):
    plan = warn()
    assert (plan.status, plan.raised_by, plan.version) == ("open", officer, 1)
    [record] = plan.history.all()
    assert record.history_user == officer
    assert record.history_change_reason == "Provider warned: improvement plan opened"
    assert selectors_failures.open_improvement_plan(contract) == plan


def test_a_second_warning_waits_until_the_open_plan_is_closed(warn, officer):
    plan = warn()
    before = rows()
    with pytest.raises(FailureError, match="already has an open improvement plan"):
        warn()
    assert rows() == before
    close(plan, officer)
    assert warn().status == "open"


def test_the_database_allows_one_open_plan_a_contract(warn, contract, officer):
    warn()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementPlan.objects.create(
            contract=contract,
            warned_on=date(2026, 1, 1),
            must_improve="Again",
            improve_by=date(2026, 2, 1),
            raised_by=officer,
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"must_improve": " "}, "must_improve", "Enter what must improve"),
        (
            {"warned_on": date(2026, 1, 16)},
            "warned_on",
            "The date of the warning must be today or in the past",
        ),
        (
            {"improve_by": date(2026, 1, 4)},
            "improve_by",
            "The date to improve by must be the same as or after the date of the warning",
        ),
    ],
)
def test_bad_warning_is_refused_and_nothing_saved(warn, changes, field, message):
    with pytest.raises(FailureError, match=message) as refused:
        warn(**changes)
    assert refused.value.field == field
    assert rows() == []


@pytest.mark.parametrize("status", ["met", "not_met"])
def test_closing_records_the_outcome(warn, officer, contract, status):
    plan = close(warn(), officer, status=status)
    assert (plan.status, plan.closed_on, plan.version) == (status, date(2026, 1, 15), 2)
    assert selectors_failures.open_improvement_plan(contract) is None
    reasons = [r.history_change_reason for r in plan.history.order_by("history_date")]
    label = {"met": "improvement made", "not_met": "improvement not made"}[status]
    assert reasons[-1] == f"Improvement plan closed: {label}"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": "open"}, "status", "Select whether the improvement was made"),
        (
            {"closed_on": date(2026, 1, 16)},
            "closed_on",
            "The date it was closed must be today or in the past",
        ),
        (
            {"closed_on": date(2026, 1, 4)},
            "closed_on",
            "The date it was closed must be the same as or after the date of the warning, "
            "5 January 2026",
        ),
        ({"outcome_notes": ""}, "outcome_notes", "Describe what the council found"),
    ],
)
def test_bad_closing_is_refused_and_changes_nothing(warn, officer, changes, field, message):
    warn()
    before = rows()
    with pytest.raises(FailureError, match=message) as refused:
        close(ImprovementPlan.objects.get(), officer, **changes)
    assert refused.value.field == field
    assert rows() == before


def test_a_closed_plan_cannot_be_closed_again(warn, officer):
    plan = close(warn(), officer)
    before = rows()
    with pytest.raises(FailureError, match="already closed on 15 January 2026"):
        close(plan, officer, status="not_met")
    assert rows() == before


def test_closing_from_a_stale_page_is_refused(warn, officer):
    plan = warn()
    close(plan, officer)
    with pytest.raises(StaleEdit):
        improvement.improvement_plan_close(
            plan=plan,
            by=officer,
            version=1,
            status="not_met",
            closed_on=date(2026, 1, 15),
            outcome_notes="No",
        )


@pytest.mark.parametrize("role", [Role.APPROVING_MANAGER, Role.AUDITOR])
def test_only_those_who_manage_performance_may_warn_or_close(role, user_with_role, warn, contract):
    user = user_with_role(role)
    with pytest.raises(FailureError, match="You do not have permission"):
        improvement.improvement_plan_warn(
            contract=contract,
            by=user,
            warned_on=date(2026, 1, 5),
            must_improve="x",
            improve_by=date(2026, 2, 1),
        )
    plan = warn()
    before = rows()
    with pytest.raises(FailureError, match="You do not have permission"):
        close(plan, user)
    assert rows() == before


def test_an_open_plan_past_its_date_is_overdue(warn, contract, time_machine):
    warn(improve_by=date(2026, 1, 31))
    assert selectors_failures.open_improvement_plan(contract).state == "open"
    time_machine.move_to("2026-01-31 23:00 +00:00")
    assert not selectors_failures.open_improvement_plan(contract).is_overdue
    time_machine.move_to("2026-02-01 09:00 +00:00")
    plan = selectors_failures.open_improvement_plan(contract)
    assert (plan.state, plan.is_overdue) == ("overdue", True)


# Pages


def test_officer_warns_the_provider_through_the_page(client_as, contract):
    client = client_as(Role.COMMISSIONING_OFFICER)
    response = client.post(
        reverse("failures:plan_warn", args=[contract.pk]),
        {
            **dates("warned_on", date(2026, 1, 10)),
            "must_improve": "Support plans reviewed every six months",
            **dates("improve_by", date(2026, 4, 30)),
        },
        follow=True,
    )
    text = page_text(response)
    assert "Provider warned: improvement due by 30 April 2026" in text
    assert "Improvement plan Improvement plan open" in text
    page = page_text(client.get(contract.get_absolute_url()))
    assert "Improvement plan open Warned 10 January 2026 to improve by 30 April 2026" in page
    assert "Warn the provider" not in page


def test_bad_warning_on_the_page_says_what_to_do(client_as, contract):
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("failures:plan_warn", args=[contract.pk]),
        {**dates("warned_on", date(2026, 1, 10)), **dates("improve_by", date(2026, 1, 9))},
    )
    text = page_text(response)
    assert "There is a problem" in text
    assert "Enter what must improve" in text
    assert "The date to improve by must be the same as or after the date of the warning" in text
    assert rows() == []


def test_warning_again_while_a_plan_is_open_says_close_it_first(client_as, warn, contract):
    warn()
    client = client_as(Role.COMMISSIONING_OFFICER)
    url = reverse("failures:plan_warn", args=[contract.pk])
    assert "is still open" in page_text(client.get(url))
    before = rows()
    response = client.post(
        url,
        {
            **dates("warned_on", date(2026, 1, 10)),
            "must_improve": "More",
            **dates("improve_by", date(2026, 4, 30)),
        },
    )
    assert "already has an open improvement plan" in page_text(response)
    assert rows() == before


def test_overdue_plan_is_shown_on_the_contract_page(client_as, warn, contract, time_machine):
    warn(improve_by=date(2026, 1, 31))
    time_machine.move_to("2026-02-02 09:00 +00:00")
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "Improvement plan overdue" in text


def test_officer_closes_the_plan_and_history_shows_who_and_when(
    client_as, warn, contract, time_machine, user_with_role
):
    plan = warn()
    time_machine.move_to("2026-02-03 11:15 +00:00")
    admin = user_with_role(Role.ADMINISTRATOR, first_name="Alex", last_name="Morgan")
    from django.test import Client

    client = Client()
    client.force_login(admin)
    url = reverse("failures:plan_close", args=[contract.pk, plan.pk])
    assert client.get(url).context["form"]["version"].value() == 1
    response = client.post(
        url,
        {
            "status": "not_met",
            **dates("closed_on", date(2026, 2, 3)),
            "outcome_notes": "Three plans still overdue",
            "version": "1",
        },
        follow=True,
    )
    text = page_text(response)
    assert "Improvement plan closed: improvement not made" in text
    assert "Improvement not made" in text
    assert "Three plans still overdue" in text
    assert "3 February 2026, 11:15 by Alex Morgan – Improvement plan closed" in text
    assert "15 January 2026, 09:00 by Lisa Lopez – Provider warned" in text


@pytest.mark.parametrize("role", list(Role))
def test_who_sees_and_who_may_warn(role, client_as, warn, contract):
    plan = warn()
    client = client_as(role)
    for url in (
        reverse("failures:plan_list", args=[contract.pk]),
        reverse("failures:plan_detail", args=[contract.pk, plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == (200 if role in VIEWERS else 403)
        if role in VIEWERS:
            assert plan.must_improve in page_text(response)
    before = rows()
    response = client.post(
        reverse("failures:plan_close", args=[contract.pk, plan.pk]),
        {
            "status": "met",
            **dates("closed_on", date(2026, 1, 15)),
            "outcome_notes": "Done",
            "version": "1",
        },
    )
    assert response.status_code == (302 if role in MANAGERS else 403)
    if role not in MANAGERS:
        assert rows() == before


def test_plan_list_costs_the_same_queries_at_any_size(client_as, officer):
    client = client_as(Role.AUDITOR)
    counts = []
    for n in (1, 6):
        contract = ContractFactory()
        for i in range(n):
            plan = improvement.improvement_plan_warn(
                contract=contract,
                by=officer,
                warned_on=date(2025, 1, 1 + i),
                must_improve=f"Improvement {i}",
                improve_by=date(2025, 3, 1),
            )
            if i < n - 1:
                close(plan, officer, closed_on=date(2025, 3, 1))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("failures:plan_list", args=[contract.pk]))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
