"""The Your work page (the home page), its team view, the navigation's
count and the Decisions due page reading the same selector."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.constants import ReminderKind
from contracts.selectors_due import KINDS as DUE_KINDS
from core.roles import Role
from finance.models import BudgetLine
from procurement.constants import CallOffStatus
from procurement.models import Bid, Invitation
from tests.factories import ProviderFactory
from tests.pages import page_text
from tests.work.conftest import TODAY
from tests.work.test_queue_permissions import (
    _call_off,
    _reminder,
    _return,
    extension_raised,
    kind_changes_pending,
    kind_evaluations,
)
from work.selectors import audience, queue_counts, queue_items


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_home_page_is_your_work_with_each_item_why_it_is_yours_and_its_deadline(client, people):
    request = extension_raised(people)
    kind_changes_pending(people)
    page = signed_in(client, people["area_manager"]).get(reverse("home"))
    assert page.status_code == 200
    text = page_text(page)
    assert "Your work" in text
    assert "2 items waiting for you on 3 December 2026" in text
    assert "Extension requests to decide 1" in text and "Contract changes to decide 1" in text
    assert "You are an approving manager for Supported living" in text
    assert "within your delegated authority (£250,000)" in text
    assert "Decide by" not in text  # the deadline is a column
    assert "31 Dec 2026" in text  # the extension's decision deadline
    assert "No deadline" in text  # a contract change has none
    decide = reverse("contracts:extension_decide", args=[request.contract_id, request.pk])
    assert f'href="{decide}"' in page.text


def test_the_navigation_shows_how_many_items_are_waiting(client, people):
    extension_raised(people)
    page = signed_in(client, people["area_manager"]).get(reverse("password_change"))
    assert "Your work (1)" in page_text(page)
    page = signed_in(client, people["evaluator"]).get(reverse("password_change"))
    assert "Your work (0)" in page_text(page)


def test_items_are_listed_oldest_first(client, people):
    _return(people, "due")  # waiting since the period ended, 30 September
    _reminder(people, ReminderKind.DECISION, lambda c: c.decision_deadline)  # since today
    page = signed_in(client, people["owner"]).get(reverse("home"))
    kinds = [item.kind for item in page.context["items"]]
    assert kinds == ["returns", "decisions"]


def test_an_item_over_its_deadline_is_marked_overdue(client, people):
    _return(people, "due")  # due 30 October
    text = page_text(signed_in(client, people["owner"]).get(reverse("home")))
    assert "30 Oct 2026 Overdue" in text


def test_the_team_view_lists_what_waits_for_anyone_in_the_managers_areas(client, people):
    _return(people, "due")
    owner = people["owner"]
    client = signed_in(client, people["area_manager"])
    assert client.get(reverse("home")).context["queue"].total == 0
    page = client.get(reverse("home"), {"view": "team"})
    assert page.context["team"] is True
    text = page_text(page)
    assert "1 item waiting for anyone in your service areas" in text
    assert owner.get_full_name() in text
    assert "Everyone in your service areas" in text


def test_someone_who_manages_no_area_has_no_team_view(client, people):
    _return(people, "due")
    page = signed_in(client, people["owner"]).get(reverse("home"), {"view": "team"})
    assert page.context["team"] is False
    assert "Everyone in your service areas" not in page_text(page)
    assert page.context["queue"].total == 1


def test_the_page_works_without_javascript_as_a_plain_table(client, people):
    extension_raised(people)
    page = signed_in(client, people["area_manager"]).get(reverse("home"))
    assert '<table class="govuk-table">' in page.text
    assert "<script" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_long_queue_is_paginated_and_its_counts_stay_whole(client, people):
    for _ in range(55):
        _return(people, "due")
    client = signed_in(client, people["owner"])
    first = client.get(reverse("home"))
    assert len(first.context["items"]) == 50
    assert first.context["queue"].counts == {"returns": 55}
    assert "Your work (55)" in page_text(first)
    second = client.get(reverse("home"), {"page": 2})
    assert len(second.context["items"]) == 5
    assert 'aria-label="Pagination"' in first.text


def test_decisions_due_and_the_queue_agree_kind_by_kind(client, people):
    """One selector (contracts.selectors_due): the Decisions due page, the
    home page's counts and the navigation's count are the same rows."""
    extension_raised(people)
    kind_changes_pending(people)
    _reminder(people, ReminderKind.DECISION, lambda c: c.decision_deadline)
    _reminder(people, ReminderKind.EXPIRY, lambda c: c.current_end_date)
    _return(people, "due")
    _return(people, "submitted")
    context_keys = {
        "extensions": "waiting", "changes": "changes", "decisions": "decisions",
        "endings": "endings", "returns": "returns", "reviews": "reviews",
    }  # fmt: skip
    for key in ("owner", "area_manager", "approving_manager", "commissioning_officer"):
        user = people[key]
        client.force_login(user)
        due = client.get(reverse("contracts:decisions_due"))
        home = client.get(reverse("home"))
        on_due_page = {k: len(due.context[context_keys[k]]) for k in DUE_KINDS}
        on_home = {k: home.context["queue"].counts.get(k, 0) for k in DUE_KINDS}
        listed = Counter(item.kind for item in home.context["items"])
        assert on_home == {k: listed[k] for k in DUE_KINDS}, key
        in_nav = {k: queue_counts(user, today=TODAY).get(k, 0) for k in DUE_KINDS}
        assert on_due_page == on_home == in_nav, key
        assert due.context["total"] == sum(on_home.values())
    # And there is something to agree about.
    client.force_login(people["owner"])
    assert client.get(reverse("contracts:decisions_due")).context["total"] == 4
    client.force_login(people["area_manager"])
    assert client.get(reverse("contracts:decisions_due")).context["total"] == 4


def test_a_sealed_bid_never_appears_in_anyones_queue(client, people):
    call_off = _call_off(people, CallOffStatus.OPEN)
    provider = ProviderFactory(legal_name="Sealed Bidder Ltd")
    invitation = Invitation.objects.create(call_off=call_off, provider=provider)
    Bid.objects.create(
        call_off=call_off, invitation=invitation, provider=provider, received_at=call_off.created_at
    )
    kind_evaluations(people)
    for user in people.values():
        client.force_login(user)
        for view in ({}, {"view": "team"}):
            assert "Sealed Bidder" not in page_text(client.get(reverse("home"), view))


def _fill(people, n):
    """`n` items of several kinds for the area manager and the owner."""
    for _ in range(n):
        extension_raised(people)
        _reminder(people, ReminderKind.DECISION, lambda c: c.decision_deadline)
        _return(people, "submitted")
    BudgetLine.objects.get_or_create(
        financial_year=2026, service_area="supported_living", defaults={"amount": Decimal("1.00")}
    )


@pytest.mark.parametrize("key", ["area_manager", "owner", "finance_officer"])
def test_the_page_and_the_team_view_take_the_same_queries_for_1_or_12_items_a_kind(
    client, people, key
):
    client = signed_in(client, people[key])

    def queries(n, **params):
        _fill(people, n)
        client.get(reverse("home"), params)  # commitments worked out once
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("home"), params)
        assert page.status_code == 200
        return len(captured), page.context["queue"].total

    few, few_items = queries(1)
    many, many_items = queries(11)
    assert many_items > few_items or key == "finance_officer"  # one area, one item
    assert few == many
    team_few, _ = queries(0, view="team")
    team_many, _ = queries(3, view="team")
    assert team_few == team_many


@pytest.mark.parametrize("key", ["area_manager", "evaluator", "administrator"])
def test_the_navigation_count_takes_the_same_queries_for_1_or_12_items_a_kind(client, people, key):
    client = signed_in(client, people[key])

    def queries(n):
        _fill(people, n)
        client.get(reverse("password_change"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("password_change"))
        return captured

    few = queries(1)
    many = queries(11)
    assert len(few) == len(many)
    counts = [q["sql"] for q in many.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) <= 1, "the navigation counts every kind in one query"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_its_work_page(client, user_with_role, role):
    page = signed_in(client, user_with_role(role)).get(reverse("home"))
    assert page.status_code == 200
    assert "Nothing is waiting for you" in page_text(page)


def test_reading_only_the_oldest_of_each_kind_gives_the_same_first_items(people):
    for _ in range(4):
        _return(people, "due")
        _reminder(people, ReminderKind.DECISION, lambda c: c.decision_deadline)
        extension_raised(people)
    for key in ("owner", "area_manager"):
        user = people[key]
        who = audience(user)
        every = queue_items(user, who=who, today=TODAY)
        assert queue_items(user, who=who, today=TODAY, oldest=3) == every[:3]
