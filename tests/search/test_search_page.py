"""The search page: each kind of record found by its reference, a word of
its name and a word of its text; an exact reference first; GOV.UK wording
when nothing is typed or nothing matches."""

import pytest
from django.db import connection
from django.urls import reverse

from core.roles import Role
from search import selectors
from tests.factories import ContractFactory
from tests.pages import page_text
from tests.search.conftest import WORDS

URL = reverse("search:results")
LABELS = {
    "contract": "Contract",
    "provider": "Provider",
    "system": "Purchasing system",
    "call_off": "Call-off",
    "package": "Care package",
}
CASES = [
    pytest.param(kind, words[i], id=f"{kind}-by-{how}")
    for kind, words in WORDS.items()
    for i, how in enumerate(("reference", "name", "text"))
    if words[i]
]


@pytest.fixture
def admin(user_with_role):
    return user_with_role(Role.ADMINISTRATOR)


def _found(user, text, **kwargs):
    found = selectors.search(user=user, text=text, **kwargs)
    return found, [(kind, pk) for kind, pk, *_ in found[0 : found.count()]]


@pytest.mark.parametrize(("kind", "text"), CASES)
def test_each_kind_is_found_by_reference_name_and_text(records, admin, client, kind, text):
    client.force_login(admin)
    response = client.get(URL, {"q": text})
    assert response.status_code == 200
    record = records[kind]
    _, found = _found(admin, text)
    assert found == [(kind, record.pk)]
    text_shown = page_text(response)
    assert f"1 result for “{text}”" in text_shown
    assert LABELS[kind] in text_shown
    assert record.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(("kind", "text"), CASES)
def test_the_plain_search_for_sqlite_finds_the_same(records, admin, monkeypatch, kind, text):
    # The LIKE search SQLite gets is plain SQL: run here on PostgreSQL by
    # making the selector believe it is on SQLite.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    _, found = _found(admin, text.lower())
    assert found == [(kind, records[kind].pk)]


@pytest.mark.parametrize(
    "reference",
    [
        "ocds-b5fd17-070f4662-2e9c-40b0-8fa4-4b435f3ccae4-1",
        "HCC08/24",
        "SEFTON-SL-2024-02",
        "WCC 2023.07",
    ],
)
def test_references_as_councils_write_them_are_found_whole(db, admin, reference):
    contract = ContractFactory(reference=reference)
    ContractFactory(reference="OTHER-2024-02")
    _, found = _found(admin, reference)
    assert found[0] == ("contract", contract.pk)


def test_a_cqc_provider_id_finds_its_provider(db, admin):
    from tests.factories import ProviderFactory

    provider = ProviderFactory(cqc_provider_id="1-101641540")
    _, found = _found(admin, "1-101641540")
    assert found == [("provider", provider.pk)]


def test_a_word_is_found_in_another_form_on_postgresql(records, admin):
    # English stemming: "lighthouses" finds "lighthouse".
    _, found = _found(admin, "lighthouses")
    assert found == [("contract", records["contract"].pk)]


@pytest.mark.parametrize("postgres", [True, False], ids=["postgresql", "plain"])
def test_a_reference_typed_exactly_ranks_first(records, admin, monkeypatch, postgres):
    if not postgres:
        monkeypatch.setattr(connection, "vendor", "sqlite")
    # Both name the reference in their title: the title matches more words
    # of the query, but the record whose reference it is comes first.
    ContractFactory(reference="ILSS-2021-0010", title="Replaces ILSS-2021-001")
    ContractFactory(reference="OTHER-1", title="ILSS-2021-001 ILSS-2021-001 extension")
    _, found = _found(admin, "ilss-2021-001")
    assert found[0] == ("contract", records["contract"].pk)
    assert len(found) >= 2


def test_the_page_shows_each_results_type_status_and_link(records, admin, client):
    client.force_login(admin)
    response = client.get(URL, {"q": "supported living"})
    text = page_text(response)
    assert "Purchasing system PDPS-2026-SL Bluebell supported living PDPS In operation" in text
    assert response.context["results"][0].url == records["system"].get_absolute_url()


def test_results_can_be_kept_to_one_type_with_a_count_of_each(records, admin, client):
    client.force_login(admin)
    ContractFactory(title="Marigold day opportunities")
    response = client.get(URL, {"q": "marigold", "type": "contract"})
    text = page_text(response)
    assert "2 results for “marigold”" in text
    assert "Contracts (2)" in text and "Providers (0)" in text and "All (2)" in text
    assert [r.kind for r in response.context["results"]] == ["contract", "contract"]


def test_results_are_paged_twenty_at_a_time(db, admin, client):
    for n in range(25):
        ContractFactory(reference=f"PAGE-{n:02d}", title="Wisteria home care")
    client.force_login(admin)
    first = client.get(URL, {"q": "wisteria"})
    second = client.get(URL, {"q": "wisteria", "page": 2})
    assert len(first.context["results"]) == 20
    assert len(second.context["results"]) == 5
    assert "25 results for “wisteria”" in page_text(first)
    assert 'aria-label="Pagination"' in first.content.decode()
    shown = {r.reference for r in first.context["results"] + second.context["results"]}
    assert len(shown) == 25


def test_opening_the_page_shows_the_search_box_and_no_error(db, admin, client):
    client.force_login(admin)
    response = client.get(URL)
    text = page_text(response)
    assert response.status_code == 200
    assert "Search by reference, name or word" in text
    assert "There is a problem" not in text


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_search_asks_for_something_to_search_for(db, admin, client, typed):
    client.force_login(admin)
    response = client.get(URL, {"q": typed})
    text = page_text(response)
    assert "There is a problem" in text
    assert text.count("Enter a reference, name or word to search for") == 2
    assert response.context["form"].errors == {
        "q": ["Enter a reference, name or word to search for"]
    }
    assert "Error: Search" in text  # the page title


def test_a_search_over_100_characters_is_refused_with_the_limit(db, admin, client):
    client.force_login(admin)
    response = client.get(URL, {"q": "a" * 101})
    assert response.context["form"].errors == {"q": ["Search must be 100 characters or fewer"]}
    assert "Up to 100 characters" in page_text(response)


def test_no_results_says_so_and_how_to_improve_the_search(records, admin, client):
    client.force_login(admin)
    response = client.get(URL, {"q": "xylophone"})
    text = page_text(response)
    assert "0 results for “xylophone”" in text
    assert "There are no matching results." in text
    assert "Improve your search results by:" in text
    assert "double-checking your spelling" in text


def test_the_header_has_a_search_form_on_every_page(db, admin, client):
    client.force_login(admin)
    html = client.get(reverse("home")).content.decode()
    assert f'action="{URL}"' in html and 'role="search"' in html
    assert '<label class="govuk-label govuk-!-margin-bottom-0" for="header-search">' in html


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL, {"q": "marigold"})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
