"""A form sent after the idle limit is not lost: after signing in again as
the same person, the page shows what they typed to check and save; nobody
else sees it, and nothing is saved on their behalf (decision 0039)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts.models import Contract
from core.roles import Role
from tests.factories import PASSWORD, ContractFactory
from tests.html_forms import form_data
from tests.pages import page_text


@pytest.fixture
def contract(db):
    return ContractFactory(title="Supported living", description="First words")


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")


@pytest.fixture
def traveller():
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def _sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def _typed_after_the_limit(client, contract, traveller, **changes):
    """Opens the edit page, waits past the idle limit and presses Save."""
    edit = reverse("contracts:edit", args=[contract.pk])
    form = form_data(client.get(edit).content.decode(), having="title")
    traveller.shift(31 * 60)
    return edit, client.post(edit, {**form, **changes})


def test_changes_sent_after_the_limit_are_shown_again_after_signing_in(
    officer, contract, traveller
):
    client = Client()
    _sign_in(client, "lisa.lopez")
    edit, response = _typed_after_the_limit(
        client, contract, traveller, description="Second words, typed slowly"
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    told = page_text(client.get(response.url))
    assert "You were signed out after 30 minutes without activity" in told
    assert "Your changes have not been saved yet" in told
    contract.refresh_from_db()
    assert contract.description == "First words"

    signed_in = client.post(
        response.url, {"username": "lisa.lopez", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == edit
    text = page_text(signed_in)
    assert "You were signed out before your changes were saved" in text
    shown = form_data(signed_in.content.decode(), having="title")
    assert shown["description"] == "Second words, typed slowly"
    # Still not saved: the person checks and sends it themselves.
    contract.refresh_from_db()
    assert contract.description == "First words"
    # Shown once.
    again = form_data(client.get(edit).content.decode(), having="title")
    assert again["description"] == "First words"

    saved = client.post(edit, shown)
    assert saved.status_code == 302
    contract.refresh_from_db()
    assert contract.description == "Second words, typed slowly"


def test_someone_else_signing_in_on_that_browser_sees_none_of_it(
    officer, contract, traveller, user_with_role
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="sam.patel")
    client = Client()
    _sign_in(client, "lisa.lopez")
    edit, _ = _typed_after_the_limit(client, contract, traveller, description="Private")
    _sign_in(client, "sam.patel")
    page = client.get(edit)
    assert "Private" not in page_text(page)
    assert "before your changes were saved" not in page_text(page)
    assert "resume_after_sign_in" not in client.session


def test_a_changed_password_drops_what_was_kept(officer, contract, traveller):
    client = Client()
    _sign_in(client, "lisa.lopez")
    edit, _ = _typed_after_the_limit(client, contract, traveller, description="Kept?")
    officer.set_password(PASSWORD)  # a new salt: sessions of the old one end
    officer.save()
    _sign_in(client, "lisa.lopez")
    assert "Kept?" not in page_text(client.get(edit))


def test_files_are_never_kept_and_the_person_is_told(officer, contract, traveller):
    client = Client()
    _sign_in(client, "lisa.lopez")
    url = reverse("contracts:import")
    client.get(url)
    traveller.shift(31 * 60)
    upload = SimpleUploadedFile("register.csv", b"title\nSomething\n", content_type="text/csv")
    response = client.post(url, {"file": upload})
    told = page_text(client.get(response.url))
    assert "Your changes were not saved and files are never kept" in told
    assert "resume_after_sign_in" not in client.session


def test_a_post_in_a_live_session_is_not_kept(officer, contract):
    client = Client()
    client.force_login(officer)
    edit = reverse("contracts:edit", args=[contract.pk])
    form = form_data(client.get(edit).content.decode(), having="title")
    client.post(edit, {**form, "description": "Saved at once"})
    assert "resume_after_sign_in" not in client.session
    assert Contract.objects.get(pk=contract.pk).description == "Saved at once"


def test_the_timeout_warnings_own_requests_keep_nothing(officer, traveller):
    client = Client()
    _sign_in(client, "lisa.lopez")
    client.get(reverse("home"))
    traveller.shift(31 * 60)
    response = client.post(reverse("session_keep_alive"))
    assert response.status_code == 401
    assert "resume_after_sign_in" not in client.session
    assert "without activity" not in page_text(client.get(reverse("signed_out")))


def test_what_the_warning_sends_when_time_runs_out_is_kept_not_saved(officer, contract, traveller):
    client = Client()
    _sign_in(client, "lisa.lopez")
    edit = reverse("contracts:edit", args=[contract.pk])
    form = form_data(client.get(edit).content.decode(), having="title")
    traveller.shift(31 * 60)
    # The warning asks first and is told the session is over...
    assert client.get(reverse("session_status")).status_code == 401
    # ...then posts the page's form and its address.
    response = client.post(
        reverse("signed_out"), {**form, "description": "Typed, unsaved", "next": edit}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "What you had typed on the page has been kept, but not saved" in page_text(page)
    assert Contract.objects.get(pk=contract.pk).description == "First words"

    signed_in = client.post(
        page.context["sign_in_url"], {"username": "lisa.lopez", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == edit
    shown = form_data(signed_in.content.decode(), having="title")
    assert shown["description"] == "Typed, unsaved"
    assert Contract.objects.get(pk=contract.pk).description == "First words"


def test_passwords_typed_after_the_limit_are_never_kept(officer, traveller):
    """The password change page cannot show kept answers again, so nothing
    it sends is stored; and a password is never stored from any page."""
    client = Client()
    _sign_in(client, "lisa.lopez")
    url = reverse("password_change")
    client.get(url)
    traveller.shift(31 * 60)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "N3w-horse-99",
            "new_password2": "N3w-horse-99",
        },
    )
    assert "resume_after_sign_in" not in client.session
    assert "Your changes were not saved" in page_text(client.get(response.url))
    # The timeout warning's own route refuses to keep them too.
    client.post(reverse("signed_out"), {"old_password": PASSWORD, "next": url})
    assert "resume_after_sign_in" not in client.session


def test_a_password_field_on_a_kept_form_is_dropped(officer, contract, traveller):
    client = Client()
    _sign_in(client, "lisa.lopez")
    _typed_after_the_limit(
        client, contract, traveller, description="Kept", password="not-for-a-session-row"
    )
    kept = client.session["resume_after_sign_in"]["fields"]
    assert kept["description"] == ["Kept"]
    assert "password" not in kept


def test_kept_answers_leave_the_session_of_whoever_signs_in_next_however_they_sign_in(
    officer, contract, traveller, user_with_role
):
    sam = user_with_role(Role.COMMISSIONING_OFFICER, username="sam.patel")
    client = Client()
    _sign_in(client, "lisa.lopez")
    _typed_after_the_limit(client, contract, traveller, description="Lisa's")
    assert "resume_after_sign_in" in client.session
    # Not through our sign-in page: any sign-in sends user_logged_in.
    client.force_login(sam)
    assert "resume_after_sign_in" not in client.session


def test_a_signed_in_person_sent_to_the_signed_out_page_goes_to_a_page_not_an_error(officer):
    client = Client()
    _sign_in(client, "lisa.lopez")
    for next_url, lands in [
        ("logout", reverse("home")),  # a URL name, not a path
        ("https://elsewhere.example/", reverse("home")),
        ("//elsewhere.example/", reverse("home")),
        ("/contracts/", "/contracts/"),
    ]:
        response = client.get(reverse("signed_out"), {"next": next_url})
        assert response.status_code == 302, next_url
        assert response.url == lands, next_url
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_pages_promise_to_keep_typed_answers_only_where_they_are_kept(officer, contract):
    client = Client()
    client.force_login(officer)
    edit = page_text(client.get(reverse("contracts:edit", args=[contract.pk])))
    assert "What you have typed in this form is kept, not saved" in edit
    password = page_text(client.get(reverse("password_change")))
    assert "is kept, not saved" not in password
    assert "anything you have typed on this page and not saved will be lost" in password
