"""The navigation's count is kept in the session for a while, so every page
does not count every kind again; Your work itself, and any write of the
person's own, count afresh."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.pages import page_text
from tests.work.test_queue_permissions import extension_raised, kind_changes_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    with override_settings(WORK_QUEUE_COUNT_SECONDS=30):
        yield


def _nav(client) -> str:
    text = page_text(client.get(reverse("password_change")))
    return text[text.index("Your work (") :].split(")")[0] + ")"


def test_another_page_shows_the_kept_count_until_it_is_old(client, people, kept, time_machine):
    time_machine.move_to("2026-12-03 09:00:00+00:00", tick=False)
    client.force_login(people["area_manager"])
    assert _nav(client) == "Your work (0)"
    extension_raised(people)
    # Raised by someone else a moment ago: the email has told them already.
    assert _nav(client) == "Your work (0)"
    time_machine.move_to("2026-12-03 09:00:31+00:00", tick=False)
    assert _nav(client) == "Your work (1)"


def test_your_work_always_counts_afresh_and_the_figure_follows_it(client, people, kept):
    client.force_login(people["area_manager"])
    assert _nav(client) == "Your work (0)"
    extension_raised(people)
    assert "Your work (1)" in page_text(client.get(reverse("home")))
    assert _nav(client) == "Your work (1)"


def test_a_write_of_ones_own_forgets_the_kept_count(client, people, kept):
    client.force_login(people["area_manager"])
    assert _nav(client) == "Your work (0)"
    extension_raised(people)
    kind_changes_pending(people)
    client.post(reverse("notifications:preferences"), {})
    assert _nav(client) == "Your work (2)"


def test_a_count_kept_for_one_person_is_never_shown_to_another(client, people, kept):
    extension_raised(people)
    client.force_login(people["area_manager"])
    assert _nav(client) == "Your work (1)"
    session = client.session
    kept_count = session["work_queue_count"]
    client.force_login(people["evaluator"])
    session = client.session
    session["work_queue_count"] = kept_count
    session.save()
    assert _nav(client) == "Your work (0)"
