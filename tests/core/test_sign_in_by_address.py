"""Password spraying: a few guesses on each of many accounts from one
address. The account lockout (test_sign_in) never trips, so the address has
a limit of its own (docs/decisions/0010-sign-in-limit-by-address.md)."""

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from core.lockout import client_ip
from core.roles import Role
from tests.factories import PASSWORD
from tests.pages import page_text


@pytest.fixture
def accounts(user_with_role):
    return [
        user_with_role(Role.COMMISSIONING_OFFICER, username=f"officer{n}") for n in range(1, 21)
    ]


def sign_in(client, username, password, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def signed_in(client):
    return "_auth_user_id" in client.session


def spray(client, usernames, per_account=5, **headers):
    for username in usernames:
        for guess in range(per_account):
            sign_in(client, username, f"Summer2026-{guess}", **headers)


def test_fifteen_wrong_passwords_over_three_accounts_stop_a_fourth_signing_in(accounts):
    sprayer = Client()
    for username in ("officer1", "officer2", "officer3"):
        for guess in range(5):
            response = sign_in(sprayer, username, f"Summer2026-{guess}")
    # The 15th wrong password is the one that reaches the limit.
    assert response.status_code == 429
    assert "Sign-in is paused" in page_text(response)
    assert "15 wrong passwords from your network" in page_text(response)

    # The right password for a fourth account does not get in...
    response = sign_in(sprayer, "officer4", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(sprayer)
    # ...while none of the three accounts is locked by itself.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "officer1", PASSWORD).status_code == 302


def test_fourteen_wrong_passwords_from_one_address_still_let_the_right_one_in(client, accounts):
    spray(client, ["officer1", "officer2"], per_account=5)
    spray(client, ["officer3"], per_account=4)
    assert sign_in(client, "officer4", PASSWORD).status_code == 302


def test_an_office_whose_staff_mistype_then_sign_in_is_never_paused(accounts):
    """20 colleagues behind one NAT address each mistype twice and then sign
    in: a success clears that account's failures, so 40 typos lock nobody."""
    for account in accounts:
        desk = Client()
        sign_in(desk, account.username, "wrong-once")
        sign_in(desk, account.username, "wrong-twice")
        assert sign_in(desk, account.username, PASSWORD).status_code == 302, account.username
        assert signed_in(desk)


def test_the_address_signs_in_again_after_the_cool_off(accounts):
    sprayer = Client()
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False) as traveller:
        spray(sprayer, ["officer1", "officer2", "officer3"])
        assert sign_in(sprayer, "officer4", PASSWORD).status_code == 429
        traveller.shift(31 * 60)
        assert sign_in(sprayer, "officer4", PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_limit_is_on_the_address_the_proxy_saw(accounts):
    """The proxy appends the address it saw; what the client put before it
    is the client's to invent, so changing it does not escape the limit."""
    sprayer = Client(REMOTE_ADDR="10.0.0.2")  # the proxy
    for n, username in enumerate(("officer1", "officer2", "officer3")):
        for guess in range(5):
            forged = f"192.0.2.{n * 5 + guess}, 203.0.113.9"
            sign_in(sprayer, username, f"Summer2026-{guess}", HTTP_X_FORWARDED_FOR=forged)
    response = sign_in(
        sprayer, "officer4", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.9"
    )
    assert response.status_code == 429
    # Someone else reaching the same proxy is not paused with them.
    colleague = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        sign_in(colleague, "officer5", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 302
    )


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(accounts):
    sprayer = Client()
    for n, username in enumerate(("officer1", "officer2", "officer3")):
        for guess in range(5):
            forged = f"192.0.2.{n * 5 + guess}"
            sign_in(sprayer, username, f"Summer2026-{guess}", HTTP_X_FORWARDED_FOR=forged)
    response = sign_in(sprayer, "officer4", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded_for", "address"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("192.0.2.1, 198.51.100.7", "198.51.100.7"),
        ("", "10.0.0.2"),
        # Not an address (a misconfigured proxy): the connection's own, not a 500.
        ("not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxy_added(rf, forwarded_for, address):
    request = rf.post("/sign-in/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == address
