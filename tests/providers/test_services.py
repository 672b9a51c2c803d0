import pytest
from django.db import IntegrityError

from core.roles import Role
from providers import services
from providers.models import Provider, ProviderContact
from tests.factories import ProviderContactFactory, ProviderFactory


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER)


def test_provider_create_records_who_added_it(officer):
    provider = services.provider_create(by=officer, legal_name="Sefton Supported Living CIC")
    record = provider.history.get()
    assert record.history_user == officer
    assert record.history_change_reason == "Provider added"


def test_duplicate_companies_house_number_is_refused_naming_the_holder(officer):
    ProviderFactory(legal_name="Existing Care Ltd", companies_house_number="01068186")
    with pytest.raises(
        services.ProviderError, match="already recorded for Existing Care Ltd"
    ) as exc:
        services.provider_create(
            by=officer, legal_name="New Care Ltd", companies_house_number="01068186"
        )
    assert exc.value.field == "companies_house_number"
    assert Provider.objects.count() == 1


def test_providers_without_a_companies_house_number_do_not_clash(officer):
    services.provider_create(by=officer, legal_name="Partnership A", companies_house_number="")
    services.provider_create(by=officer, legal_name="Partnership B", companies_house_number="")
    assert Provider.objects.filter(companies_house_number__isnull=True).count() == 2


def test_database_also_refuses_duplicate_numbers(db):
    ProviderFactory(companies_house_number="SC123456")
    with pytest.raises(IntegrityError):
        ProviderFactory(companies_house_number="SC123456")


def test_update_may_keep_its_own_number_but_not_take_anothers(officer):
    mine = ProviderFactory(companies_house_number="01068186")
    ProviderFactory(legal_name="Other Ltd", companies_house_number="SC123456")
    services.provider_update(
        provider=mine, by=officer, legal_name="Renamed Ltd", companies_house_number="01068186"
    )
    with pytest.raises(services.ProviderError, match="Other Ltd"):
        services.provider_update(provider=mine, by=officer, companies_house_number="SC123456")
    mine.refresh_from_db()
    assert mine.companies_house_number == "01068186"
    assert mine.legal_name == "Renamed Ltd"


def test_one_main_contact_per_provider(officer):
    first = ProviderContactFactory(is_main_contact=True)
    second = services.contact_create(
        provider=first.provider, by=officer, name="New Lead", is_main_contact=True
    )
    first.refresh_from_db()
    assert second.is_main_contact
    assert not first.is_main_contact


def test_removed_contact_stays_in_history(officer):
    contact = ProviderContactFactory(name="Raymond Murphy")
    services.contact_remove(contact=contact, by=officer)
    assert not ProviderContact.objects.exists()
    removed = ProviderContact.history.get(history_type="-")
    assert removed.name == "Raymond Murphy"
    assert removed.history_user == officer


def test_unknown_fields_are_a_programming_error(officer):
    with pytest.raises(TypeError):
        services.provider_create(by=officer, legal_name="X", colour="blue")


def test_saving_without_changes_adds_nothing_to_the_history(officer):
    provider = services.provider_create(by=officer, legal_name="Steady Care Ltd", town="Bootle")
    services.provider_update(provider=provider, by=officer, legal_name="Steady Care Ltd")
    assert provider.history.count() == 1
    services.provider_update(provider=provider, by=officer, town="Southport")
    assert provider.history.count() == 2
    assert provider.history.first().history_change_reason == "Provider details changed"


def test_contact_history_lists_what_changed(officer, user_with_role):
    from providers.selectors import provider_history

    contact = services.contact_create(
        provider=ProviderFactory(), by=officer, name="Raymond Murphy", phone=""
    )
    services.contact_update(contact=contact, by=officer, phone="020 7527 8841")
    entry = next(e for e in provider_history(contact.provider) if e["action"] == "Changed")
    assert entry["subject"] == "Contact Raymond Murphy"
    assert entry["changes"] == [{"field": "phone", "old": "Not recorded", "new": "020 7527 8841"}]
