"""The bulk register import matches providers and records history as the
per-row services did."""

from django.core.management import call_command

from contracts.models import Contract
from providers.models import Provider
from tests.factories import ProviderFactory

HEADER = (
    "reference,title,provider,companies_house_number,service_area,start_date,term,"
    "annual_value,notice_months,uplift_percent,owner_email\n"
)


def test_providers_match_on_number_then_name_and_new_ones_are_added_once(db, tmp_path):
    numbered = ProviderFactory(legal_name="Arch Futures Ltd", companies_house_number="01068186")
    named = ProviderFactory(legal_name="Example Support Ltd")
    rows = [
        # The number wins over a name the register spells differently.
        "C-1,One,Arch Futures Limited,01068186,ILSS,2019-07-01,3,1,,,",
        # Case does not matter.
        "C-2,Two,EXAMPLE SUPPORT LTD,,ILSS,2019-07-01,3,1,,,",
        # A new provider on two rows is added once, with its number.
        "C-3,Three,New Care Ltd,SC123456,ILSS,2019-07-01,3,1,,,",
        "C-4,Four,new care ltd,,ILSS,2019-07-01,3,1,,,",
    ]
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    call_command("import_register", path)
    providers = dict(Contract.objects.values_list("reference", "provider__legal_name"))
    assert providers == {
        "C-1": numbered.legal_name,
        "C-2": named.legal_name,
        "C-3": "New Care Ltd",
        "C-4": "New Care Ltd",
    }
    new = Provider.objects.get(legal_name="New Care Ltd")
    assert new.companies_house_number == "SC123456"
    assert Provider.objects.count() == 3
    assert [h.history_change_reason for h in new.history.all()] == ["Provider added"]
    assert [
        h.history_change_reason for h in Contract.objects.get(reference="C-3").history.all()
    ] == ["Contract added"]


def test_history_written_in_bulk_keeps_the_importers_name_at_the_time(db):
    """COPY skips each field's pre_save, so the author's name (decision 12)
    must be written by the bulk path itself."""
    from contracts.imports import register_csv_import
    from tests.factories import UserFactory

    importer = UserFactory(first_name="Lisa", last_name="Lopez")
    row = "C-9,Nine,Bulk Care Ltd,,ILSS,2019-07-01,3,1,,,\n"
    register_csv_import(text=HEADER + row, by=importer)
    name = str(importer)
    importer.first_name = "Renamed"
    importer.save()
    contract = Contract.objects.get(reference="C-9")
    assert [h.history_user_name for h in contract.history.all()] == [name]
    provider = Provider.objects.get(legal_name="Bulk Care Ltd")
    assert [h.history_user_name for h in provider.history.all()] == [name]
