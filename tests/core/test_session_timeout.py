"""The idle sign-out's warning: asking how long is left, staying signed in,
and the signed-out page (decision 0039)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import PASSWORD
from tests.pages import page_text

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _signed_in(officer):
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("home")).status_code == 200
    return client


def test_staying_signed_in_renews_the_session(officer, traveller):
    client = _signed_in(officer)
    traveller.shift(25 * 60)
    response = client.post(reverse("session_keep_alive"))
    assert response.json() == {"seconds_left": 30 * 60}
    assert _expiry(client) == START + timedelta(minutes=25 + 30)
    # 25 minutes after staying is 50 after the last page: still signed in.
    traveller.shift(25 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_asking_how_long_is_left_does_not_renew_the_session(officer, traveller):
    client = _signed_in(officer)
    traveller.shift(25 * 60)
    response = client.get(reverse("session_status"))
    assert response.json() == {"seconds_left": 5 * 60}
    assert _expiry(client) == START + timedelta(minutes=30)
    assert "sessionid" not in response.cookies
    traveller.shift(5 * 60 + 1)
    assert client.get(reverse("home")).status_code == 302


def test_how_long_is_left_counts_a_renewal_from_another_tab(officer, traveller):
    client = _signed_in(officer)
    traveller.shift(20 * 60)
    # The same browser's other tab opens a page: one session, renewed.
    client.get(reverse("contracts:list"))
    traveller.shift(5 * 60)
    assert client.get(reverse("session_status")).json() == {"seconds_left": 25 * 60}


@pytest.mark.parametrize(
    "name, method", [("session_status", "get"), ("session_keep_alive", "post")]
)
def test_the_timeout_endpoints_need_a_signed_in_user(name, method, client, db):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 401
    assert response.json() == {"seconds_left": None}


def test_staying_signed_in_needs_the_forms_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    page = client.get(reverse("home"))
    assert client.post(reverse("session_keep_alive")).status_code == 403
    token = page.context["csrf_token"]
    response = client.post(reverse("session_keep_alive"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_staying_signed_in_is_a_post_and_asking_is_a_get(officer):
    client = _signed_in(officer)
    assert client.get(reverse("session_keep_alive")).status_code == 405
    assert client.post(reverse("session_status")).status_code == 405


def test_every_page_states_the_limit_and_carries_the_warning(officer, client):
    client.force_login(officer)
    response = client.get(reverse("contracts:list"))
    text = page_text(response)
    assert "You will be signed out if you do nothing for 30 minutes." in text
    assert "You’re about to be signed out" in text
    html = response.content.decode()
    assert 'data-seconds-left="1800"' in html
    assert 'data-warning-seconds="120"' in html
    assert "/static/js/session-timeout.js" in html


def test_signed_out_pages_carry_no_warning(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "session-timeout" not in html
    assert "You will be signed out" not in html


def test_the_warning_time_is_a_setting(officer, client, settings):
    settings.SESSION_WARNING_SECONDS = 45
    settings.SESSION_COOKIE_AGE = 60
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert 'data-seconds-left="60"' in html
    assert 'data-warning-seconds="45"' in html


def test_the_signed_out_page_says_why_and_leads_back(client, officer, traveller):
    client.force_login(officer)
    client.get(reverse("home"))
    traveller.shift(31 * 60)
    # The warning's last question finds the session over...
    assert client.get(reverse("session_status")).status_code == 401
    contract_page = "/contracts/?status=live"
    response = client.get(reverse("signed_out"), {"next": contract_page})
    text = page_text(response)
    assert "You have been signed out" in text
    assert "because you did nothing for 30 minutes" in text
    # ...and says so once, on this page, not again in a banner.
    assert "without activity" not in text
    assert "without activity" not in page_text(client.get(reverse("login")))
    link = response.context["sign_in_url"]
    assert link == "/sign-in/?next=%2Fcontracts%2F%3Fstatus%3Dlive"
    signed_in = client.post(link, {"username": "lisa.lopez", "password": PASSWORD})
    assert signed_in.url == contract_page


def test_the_signed_out_page_leads_only_to_this_service(client, db):
    response = client.get(reverse("signed_out"), {"next": "https://elsewhere.example/"})
    assert response.context["sign_in_url"] == reverse("login")


def test_a_signed_in_person_on_the_signed_out_page_goes_back(officer):
    # Another tab kept the session alive just as this one gave up.
    client = _signed_in(officer)
    response = client.get(reverse("signed_out"), {"next": "/contracts/"})
    assert response.status_code == 302
    assert response.url == "/contracts/"


def test_a_page_opened_after_the_limit_still_explains_it(client, officer, traveller):
    client.force_login(officer)
    client.get(reverse("home"))
    traveller.shift(31 * 60)
    response = client.get(reverse("providers:list"), follow=True)
    assert "You were signed out after 30 minutes without activity" in page_text(response)
