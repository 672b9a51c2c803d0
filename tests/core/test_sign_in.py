import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.roles import Role
from tests.factories import PASSWORD


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_officer_signs_in_and_reaches_the_home_page(client, officer):
    response = sign_in(client, "lisa.lopez", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_an_error_summary(client, officer):
    response = sign_in(client, "lisa.lopez", "wrong")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html


def test_sixth_wrong_password_locks_the_account_with_a_clear_message(client, officer):
    for attempt in range(1, 6):
        response = sign_in(client, "lisa.lopez", f"wrong-{attempt}")
        assert response.status_code == 200, f"attempt {attempt} should not lock"
        assert "Your account is locked" not in response.content.decode()

    response = sign_in(client, "lisa.lopez", "wrong-6")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Your account is locked" in html
    assert "6 wrong passwords in a row" in html
    assert "30 minutes" in html
    assert "also unlocks your account" in html

    # Locked means locked: the right password does not get in either.
    response = sign_in(client, "lisa.lopez", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_office(client, officer, user_with_role):
    user_with_role(Role.AUDITOR, username="colleague")
    for attempt in range(6):
        sign_in(client, "lisa.lopez", f"wrong-{attempt}")
    # A colleague at the same address still signs in.
    assert sign_in(client, "colleague", PASSWORD).status_code == 302


def test_account_unlocks_after_the_cool_off(client, officer):
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False) as traveller:
        for attempt in range(6):
            sign_in(client, "lisa.lopez", f"wrong-{attempt}")
        traveller.shift(31 * 60)
        assert sign_in(client, "lisa.lopez", PASSWORD).status_code == 302


def test_session_key_changes_at_sign_in(client, officer):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    sign_in(client, "lisa.lopez", PASSWORD)
    assert client.session.session_key != before


def test_idle_session_expires_after_30_minutes(client, officer):
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False) as traveller:
        sign_in(client, "lisa.lopez", PASSWORD)
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        # Activity renews the session, so 29 more minutes is still fine...
        traveller.shift(29 * 60)
        assert client.get(reverse("home")).status_code == 200
        # ...but 31 minutes of nothing signs the user out.
        traveller.shift(31 * 60)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_password_reset_by_email(client, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    new_password = "a-much-longer-new-passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert sign_in(client, "lisa.lopez", new_password).status_code == 302


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "nobody@example.org"}, follow=True
        )
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_weak_new_password_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "too common" in html


def test_sign_out_ends_the_session(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_unlocks_a_locked_account(
    client, officer, django_capture_on_commit_callbacks
):
    for attempt in range(6):
        sign_in(client, "lisa.lopez", f"wrong-{attempt}")
    assert sign_in(client, "lisa.lopez", PASSWORD).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": officer.email})
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a-much-longer-new-passphrase"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})

    assert sign_in(client, "lisa.lopez", new_password).status_code == 302


def test_repeated_reset_requests_send_one_email_every_five_minutes(
    client, officer, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False) as traveller:
        for _ in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("password_reset"), {"email": officer.email})
            assert response.status_code == 302
        assert len(mail.outbox) == 1
        traveller.shift(5 * 60 + 1)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset"), {"email": officer.email})
        assert len(mail.outbox) == 2


def test_idle_sign_out_is_explained(client, officer):
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False) as traveller:
        sign_in(client, "lisa.lopez", PASSWORD)
        traveller.shift(31 * 60)
        response = client.get(reverse("providers:list"), follow=True)
        assert "You were signed out after 30 minutes without activity" in (
            response.content.decode()
        )
        # Said once, not on every page after.
        again = client.get(reverse("login"))
        assert "without activity" not in again.content.decode()


def test_sign_out_is_confirmed(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"), follow=True)
    html = response.content.decode()
    assert "You have been signed out" in html
    assert "without activity" not in html


def test_password_change_messages_are_plain_english(client, officer):
    client.force_login(officer)
    html = client.post(reverse("password_change"), {}).content.decode()
    assert "Enter your current password" in html
    assert "Enter a new password" in html
    assert "This field is required" not in html
    html = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "a" * 20, "new_password2": "b" * 20},
    ).content.decode()
    assert "Your current password is wrong" in html
