import pytest
from django.urls import reverse

from core.roles import Role
from providers.models import Provider
from tests.factories import ProviderContactFactory, ProviderFactory
from tests.pages import page_text


@pytest.fixture
def officer_client(client_as):
    return client_as(Role.COMMISSIONING_OFFICER)


VALID = {
    "legal_name": "Sefton Supported Living CIC",
    "trading_name": "",
    "companies_house_number": "01068186",
    "charity_number": "",
    "cqc_provider_id": "1-101634421",
    "is_sme": "on",
    "address_line_1": "Magdalen House, Trinity Road",
    "address_line_2": "",
    "town": "Bootle",
    "postcode": "l20 3nj",
    "website": "www.example.org",
}


def test_officer_adds_a_provider(officer_client):
    response = officer_client.post(reverse("providers:create"), VALID, follow=True)
    provider = Provider.objects.get()
    assert response.redirect_chain[-1][0] == provider.get_absolute_url()
    assert "Sefton Supported Living CIC added" in response.content.decode()
    assert provider.postcode == "L20 3NJ"
    assert provider.is_sme is True
    assert provider.is_vcse is False
    assert provider.website == "https://www.example.org"


def test_bad_companies_house_number_shows_error_summary_and_saves_nothing(officer_client):
    response = officer_client.post(
        reverse("providers:create"), {**VALID, "companies_house_number": "1234"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_companies_house_number"' in html
    assert "8 characters, like 01068186 or SC123456" in html
    assert "<title>Error: Add a provider –" in html
    assert not Provider.objects.exists()


def test_duplicate_companies_house_number_is_refused_with_clear_message(officer_client):
    ProviderFactory(legal_name="Existing Care Ltd", companies_house_number="01068186")
    response = officer_client.post(reverse("providers:create"), VALID)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Companies House number 01068186 is already recorded for Existing Care Ltd" in html
    assert Provider.objects.count() == 1


def test_missing_legal_name_is_reported(officer_client):
    response = officer_client.post(reverse("providers:create"), {**VALID, "legal_name": ""})
    assert "Enter the provider&#x27;s legal name" in response.content.decode()


def test_edit_keeps_history_of_what_changed(officer_client):
    provider = ProviderFactory(legal_name="Old Name Ltd", is_vcse=False)
    data = {**VALID, "legal_name": "New Name Ltd", "is_vcse": "on", "version": provider.version}
    officer_client.post(reverse("providers:edit", args=[provider.pk]), data)
    history = officer_client.get(reverse("providers:history", args=[provider.pk]))
    html = history.content.decode()
    assert "Old Name Ltd" in html
    assert "New Name Ltd" in html
    assert "Provider details changed" in html
    assert "VCSE" in html


def test_edit_form_is_prefilled(officer_client):
    provider = ProviderFactory(legal_name="Prefilled Ltd", companies_house_number="SC123456")
    html = officer_client.get(reverse("providers:edit", args=[provider.pk])).content.decode()
    assert 'value="Prefilled Ltd"' in html
    assert 'value="SC123456"' in html


def test_missing_provider_is_404(officer_client):
    assert officer_client.get(reverse("providers:detail", args=[999999])).status_code == 404


def test_search_finds_by_name_and_companies_house_number(officer_client):
    ProviderFactory(legal_name="Alpha Care Ltd", companies_house_number="01068186")
    ProviderFactory(legal_name="Beta Support", trading_name="Beta Homecare")
    ProviderFactory(legal_name="Gamma Living")
    by_name = officer_client.get(reverse("providers:list"), {"q": "homecare"})
    assert [p.legal_name for p in by_name.context["object_list"]] == ["Beta Support"]
    by_number = officer_client.get(reverse("providers:list"), {"q": "0106 8186"})
    assert [p.legal_name for p in by_number.context["object_list"]] == ["Alpha Care Ltd"]


def test_filters_for_sme_and_vcse(officer_client):
    ProviderFactory(legal_name="Small Ltd", is_sme=True)
    ProviderFactory(legal_name="Charity", is_vcse=True)
    ProviderFactory(legal_name="Big plc")
    names = lambda r: [p.legal_name for p in r.context["object_list"]]  # noqa: E731
    assert names(officer_client.get(reverse("providers:list"), {"sme": "on"})) == ["Small Ltd"]
    assert names(officer_client.get(reverse("providers:list"), {"vcse": "on"})) == ["Charity"]
    assert len(names(officer_client.get(reverse("providers:list")))) == 3


def test_list_is_paginated_and_keeps_filters(officer_client):
    ProviderFactory.create_batch(30, is_sme=True)
    page1 = officer_client.get(reverse("providers:list"), {"sme": "on"})
    assert len(page1.context["object_list"]) == 25
    html = page1.content.decode()
    assert "sme=on&amp;page=2" in html
    page2 = officer_client.get(reverse("providers:list"), {"sme": "on", "page": 2})
    assert len(page2.context["object_list"]) == 5


def test_list_query_count_does_not_grow_with_providers(officer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            officer_client.get(reverse("providers:list"))
        return len(captured)

    ProviderFactory()
    one = queries_for_list()
    ProviderFactory.create_batch(24)
    assert queries_for_list() == one


def test_officer_adds_changes_and_removes_a_contact(officer_client):
    provider = ProviderFactory()
    officer_client.post(
        reverse("providers:contact_create", args=[provider.pk]),
        {"name": "Raymond Murphy", "email": "raymond@example.org", "is_main_contact": "on"},
    )
    contact = provider.contacts.get()
    assert contact.is_main_contact
    officer_client.post(
        reverse("providers:contact_edit", args=[provider.pk, contact.pk]),
        {"name": "Raymond Murphy", "job_title": "Joint Commissioning Officer", "version": 1},
    )
    contact.refresh_from_db()
    assert contact.job_title == "Joint Commissioning Officer"
    response = officer_client.post(
        reverse("providers:contact_remove", args=[provider.pk, contact.pk]), follow=True
    )
    assert "Raymond Murphy removed as a contact" in response.content.decode()
    assert not provider.contacts.exists()


def test_contact_of_another_provider_is_404(officer_client):
    contact = ProviderContactFactory()
    other = ProviderFactory()
    url = reverse("providers:contact_edit", args=[other.pk, contact.pk])
    assert officer_client.get(url).status_code == 404


def test_auditor_sees_provider_without_change_links(client_as):
    provider = ProviderFactory()
    response = client_as(Role.AUDITOR).get(provider.get_absolute_url())
    html = response.content.decode()
    assert provider.legal_name in page_text(response)
    assert reverse("providers:edit", args=[provider.pk]) not in html
    assert "Add a contact" not in html


def test_sort_by_most_recently_changed(officer_client):
    import time_machine

    with time_machine.travel("2026-01-01 09:00 +00:00"):
        ProviderFactory(legal_name="Aardvark Care")
    with time_machine.travel("2026-06-01 09:00 +00:00"):
        ProviderFactory(legal_name="Zebra Support")
    response = officer_client.get(reverse("providers:list"), {"sort": "-updated"})
    assert [p.legal_name for p in response.context["object_list"]] == [
        "Zebra Support",
        "Aardvark Care",
    ]
    default = officer_client.get(reverse("providers:list"))
    assert default.context["object_list"][0].legal_name == "Aardvark Care"
