"""Your notifications: each person chooses, per kind they can receive,
straight away or the morning summary; mandatory kinds are not offered."""

import pytest
from django.urls import reverse

from core.roles import Role
from notifications.kinds import Delivery, Kind
from notifications.models import KindPolicy, Preference
from tests.conftest import ALL_ROLES
from tests.pages import page_text

pytestmark = pytest.mark.django_db
URL = reverse("notifications:preferences")

# What each role is asked about (the kinds mandatory by default are not).
OFFERED = {
    Role.COMMISSIONING_OFFICER: {Kind.EVALUATOR_ASSIGNED, Kind.DECISION_MADE},
    Role.PROCUREMENT_OFFICER: {Kind.EVALUATOR_ASSIGNED, Kind.DECISION_MADE},
    Role.EVALUATOR: {Kind.EVALUATOR_ASSIGNED, Kind.DECISION_MADE},
    Role.APPROVING_MANAGER: {Kind.CHANGE_RAISED, Kind.RESULTS_READY, Kind.DECISION_MADE},
    Role.FINANCE_OFFICER: {Kind.DECISION_MADE},
    Role.ADMINISTRATOR: {
        Kind.CHANGE_RAISED,
        Kind.RESULTS_READY,
        Kind.EVALUATOR_ASSIGNED,
        Kind.DECISION_MADE,
    },
    Role.AUDITOR: {Kind.DECISION_MADE},
}


def radios(response) -> set[str]:
    html = response.content.decode()
    return {kind for kind in Kind if f'name="{kind}"' in html}


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r is not None])
def test_every_role_chooses_for_the_kinds_it_can_receive(role, user_with_role, client):
    user = user_with_role(role)
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert radios(page) == OFFERED[role]
    text = page_text(page)
    assert "Always sent straight away" in text
    # Linked from the account bar on every page.
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()

    choices = dict.fromkeys(OFFERED[role], Delivery.DIGEST)
    saved = client.post(URL, choices)
    assert saved.status_code == 302
    assert dict(Preference.objects.filter(user=user).values_list("kind", "delivery")) == choices
    assert "Your notification choices are saved" in page_text(client.get(URL))


def test_the_page_works_signed_out_only_by_signing_in(client):
    assert client.get(URL).status_code == 302


def test_a_missing_choice_is_named_in_govuk_words(user_with_role, client):
    client.force_login(user_with_role(Role.FINANCE_OFFICER))
    page = client.post(URL, {})
    assert page.status_code == 200
    text = page_text(page)
    assert "There is a problem" in text
    assert (
        "Select how you want to hear when a decision is made on something you raised or own"
    ) in text
    assert "This field is required" not in text


def test_the_current_choice_is_checked(user_with_role, client):
    user = user_with_role(Role.AUDITOR)
    Preference.objects.create(user=user, kind=Kind.DECISION_MADE, delivery=Delivery.DIGEST)
    client.force_login(user)
    html = client.get(URL).content.decode()
    digest = html[html.index('value="digest"') - 200 : html.index('value="digest"') + 100]
    assert "checked" in digest


def test_a_kind_the_council_makes_mandatory_is_no_longer_offered(user_with_role, client):
    KindPolicy.objects.filter(kind=Kind.DECISION_MADE).update(mandatory=True)
    client.force_login(user_with_role(Role.AUDITOR))
    page = client.get(URL)
    assert radios(page) == set()
    assert "when a decision is made on something you raised or own" in page_text(page)
    # A forged choice for it is not stored.
    client.post(URL, {Kind.DECISION_MADE: Delivery.DIGEST})
    assert not Preference.objects.exists()
