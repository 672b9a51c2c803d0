"""Every role finds only what it could open: the kinds of record its role
may see, an evaluator only the call-offs they are asked to score, and
nobody a sealed bid's words."""

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from search import selectors
from tests.factories import ContractFactory
from tests.search.conftest import BID_WORDS, WORDS

EVERY_KIND = set(WORDS)
EXPECTED_KINDS = {
    Role.COMMISSIONING_OFFICER: EVERY_KIND,
    Role.PROCUREMENT_OFFICER: EVERY_KIND,
    Role.APPROVING_MANAGER: EVERY_KIND,
    Role.FINANCE_OFFICER: EVERY_KIND,
    Role.ADMINISTRATOR: EVERY_KIND,
    Role.AUDITOR: EVERY_KIND,
    # Evaluators see no register, and no call-off they are not asked to score.
    Role.EVALUATOR: set(),
}
SEARCHES = [word for words in WORDS.values() for word in words if word]


def _everything_found(client: Client) -> list:
    results = []
    for text in SEARCHES:
        response = client.get(reverse("search:results"), {"q": text})
        assert response.status_code == 200
        results.extend(response.context["results"])
    return results


@pytest.mark.parametrize("role", list(Role))
def test_each_role_finds_the_kinds_it_may_see_and_can_open_every_result(
    records, user_with_role, role
):
    client = Client()
    client.force_login(user_with_role(role))
    results = _everything_found(client)
    assert {r.kind for r in results} == EXPECTED_KINDS[role]
    for result in results:
        assert client.get(result.url).status_code == 200, result


@pytest.mark.parametrize("role", list(Role))
def test_nobody_finds_the_words_of_a_sealed_bid(records, user_with_role, assigned_evaluator, role):
    user = assigned_evaluator if role is Role.EVALUATOR else user_with_role(role)
    for word in BID_WORDS:
        assert selectors.search(user=user, text=word).count() == 0


def test_an_evaluator_finds_the_call_off_they_score_and_opens_it_from_their_evaluation(
    records, assigned_evaluator
):
    client = Client()
    client.force_login(assigned_evaluator)
    results = _everything_found(client)
    assert {r.kind for r in results} == {"call_off"}
    assignment = assigned_evaluator.evaluations.get()
    assert {r.url for r in results} == {reverse("procurement:evaluation", args=[assignment.pk])}
    assert client.get(results[0].url).status_code == 200


def test_an_evaluator_is_offered_no_kinds_to_filter_by_but_call_offs(records, assigned_evaluator):
    client = Client()
    client.force_login(assigned_evaluator)
    response = client.get(reverse("search:results"), {"q": "foxglove", "type": "contract"})
    # A type the user may not see is ignored, not searched.
    assert response.context["kind"] is None
    assert [f["kind"] for f in response.context["filters"]] == ["call_off"]


@pytest.mark.parametrize("role", list(Role))
def test_draft_contracts_are_found_by_those_who_see_the_register(records, user_with_role, role):
    draft = ContractFactory(title="Snowdrop day service", is_draft=True)
    user = user_with_role(role)
    found = selectors.search(user=user, text="snowdrop")
    rows = [(kind, pk) for kind, pk, *_ in found[0:10]]
    if user.has_perm("contracts.view_contract"):
        assert rows == [("contract", draft.pk)]
        result = selectors.results(found[0:10], user=user, today=draft.start_date)[0]
        assert result.status == "Draft"
    else:
        assert rows == []


def test_a_user_with_no_role_finds_nothing(records, user_with_role):
    user = user_with_role(None)
    assert all(selectors.search(user=user, text=text).count() == 0 for text in SEARCHES)
