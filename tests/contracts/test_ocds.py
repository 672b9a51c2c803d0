import copy
import json
import socket
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.ocds import (
    OcdsContract,
    OcdsError,
    compile_records,
    contracts_from_data,
    contracts_from_record,
    load_releases,
)

# The real Contracts Finder files live in shared/data beside the repository, never in it.
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PACKAGE = "cf_ocds_release_package_2025-01-20_to_23_100_releases.json"
SOCIAL_CARE = "cf_ocds_social_care_releases.json"
WARWICKSHIRE = "ocds-b5fd17-0d7a6907-8595-4413-9a4e-746f8a1313a0"
CAMBRIDGESHIRE = "ocds-b5fd17-3acef0bd-20d7-4df8-bbd7-01a3540dc2d6"
NORTH_YORKSHIRE = "ocds-b5fd17-a4e957de-7481-40a2-b62d-af8242733860"
ST_BEDES = "ocds-b5fd17-8f3244de-9267-4db2-95fe-089010d5aa5f"
BEDFORDSHIRE_IDVA = "ocds-b5fd17-070f4662-2e9c-40b0-8fa4-4b435f3ccae4"
AWARD_THEN_AWARD_UPDATE = "ocds-b5fd17-56c3a2a3-e39f-494a-9c11-2eb477826ef3"


def _shared(name: str):
    path = DATA / name
    if not DATA.is_dir():
        pytest.skip(f"{DATA} does not exist: the shared data folder sits beside the repository")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package():
    return _shared(PACKAGE)


@pytest.fixture(scope="module")
def social_care():
    return _shared(SOCIAL_CARE)


def _one(contracts: list[OcdsContract], ocid: str) -> OcdsContract:
    [contract] = [c for c in contracts if c.ocid == ocid]
    return contract


def _release(release_id: str, when: str, **fields) -> dict:
    return {"ocid": "ocds-test-1", "id": release_id, "date": when, "tag": ["award"], **fields}


def _award_record(**award) -> dict:
    return {
        "ocid": "ocds-test-1",
        "tender": {"title": "Supported living", "description": "Care and support."},
        "parties": [{"id": "S1", "name": "Acme Care", "details": {"scale": "sme"}}],
        "awards": [{"id": "A1", "suppliers": [{"id": "S1", "name": "Acme Care"}], **award}],
    }


@pytest.mark.parametrize("name", [PACKAGE, SOCIAL_CARE])
def test_both_contracts_finder_files_parse_without_error(name):
    contracts = contracts_from_data(_shared(name))

    assert contracts
    assert all(contract.suppliers for contract in contracts)


def test_warwickshire_day_opportunities_award_keeps_all_17_suppliers(social_care):
    contract = _one(contracts_from_data(social_care), WARWICKSHIRE)

    assert len(contract.suppliers) == 17
    assert all(supplier.name for supplier in contract.suppliers)
    assert len({supplier.name for supplier in contract.suppliers}) == 17


def test_cambridgeshire_placements_two_award_releases_merge_without_duplicate_awards(social_care):
    releases = [r for r in load_releases(social_care) if r["ocid"] == CAMBRIDGESHIRE]
    assert len(releases) == 2

    [record] = compile_records(releases)
    award_ids = [award["id"] for award in record["awards"]]
    party_ids = [party["id"] for party in record["parties"]]
    contracts = contracts_from_record(record)

    assert award_ids == [f"{CAMBRIDGESHIRE}-13", f"{CAMBRIDGESHIRE}-14"]
    assert len(party_ids) == len(set(party_ids)) == 14
    assert [c.reference for c in contracts] == award_ids
    assert [len(c.suppliers) for c in contracts] == [12, 13]


def test_award_update_replaces_the_award_instead_of_adding_one(package):
    contract = _one(contracts_from_data(package), AWARD_THEN_AWARD_UPDATE)

    assert contract.award_id == f"{AWARD_THEN_AWARD_UPDATE}-1"


def test_north_yorkshire_representative_body_value_is_exact_decimal(social_care):
    contract = _one(contracts_from_data(social_care), NORTH_YORKSHIRE)

    assert contract.value == Decimal("199480")
    assert isinstance(contract.value, Decimal)
    assert contract.currency == "GBP"
    assert contract.buyer_name == "The North Yorkshire Council"
    assert contract.cpv_code == "85000000"
    assert contract.procurement_method_details == "Open procedure"


def test_award_contract_period_wins_over_tender_and_keeps_the_local_date(social_care):
    # The tender says 29 September 2029; the award, 30 September. A UTC conversion of
    # "2024-10-01T00:00:00+01:00" would give 30 September 2024.
    contract = _one(contracts_from_data(social_care), NORTH_YORKSHIRE)

    assert contract.start_date == date(2024, 10, 1)
    assert contract.end_date == date(2029, 9, 30)


def test_pence_survive_as_exact_decimal(social_care):
    contract = _one(contracts_from_data(social_care), BEDFORDSHIRE_IDVA)

    assert contract.value == Decimal("1018044.14")
    assert str(contract.value) == "1018044.14"


def test_award_with_amount_zero_gives_decimal_zero_not_none(social_care):
    contract = _one(contracts_from_data(social_care), WARWICKSHIRE)

    assert contract.value is not None
    assert contract.value == Decimal("0")


def test_award_without_value_gives_none():
    [contract] = contracts_from_record(_award_record())

    assert contract.value is None
    assert contract.currency is None


def test_html_entities_are_unescaped_in_titles(package):
    [record] = compile_records([r for r in load_releases(package) if r["ocid"] == ST_BEDES])
    # The St Bede's notice is a tender: give it an award to see the title the register gets.
    record = copy.deepcopy(record)
    record["parties"].append({"id": "S1", "name": "Taxi &amp; Co"})
    record["awards"] = [{"id": "A1", "suppliers": [{"id": "S1", "name": "Taxi &amp; Co"}]}]

    [contract] = contracts_from_record(record)

    assert "St Bede's Catholic Middle School" in contract.title
    assert "&apos;" not in contract.title
    assert contract.suppliers[0].name == "Taxi & Co"


def test_gb_coh_supplier_gets_its_companies_house_number(package):
    suppliers = {s.name: s for c in contracts_from_data(package) for s in c.suppliers}

    assert suppliers["Matrix SCM Limited"].companies_house_number == "02227962"
    assert suppliers["KPMG LLP"].companies_house_number == "OC301540"


def test_companies_house_number_typed_without_leading_zero_is_padded(package):
    suppliers = {s.name: s for c in contracts_from_data(package) for s in c.suppliers}

    assert suppliers["24x7"].companies_house_number == "04142000"


def test_companies_house_number_longer_than_eight_digits_is_dropped(package):
    suppliers = {s.name: s for c in contracts_from_data(package) for s in c.suppliers}

    assert suppliers["NOMINET UK"].companies_house_number is None


def test_supplier_scale_and_vcse_come_from_party_details():
    record = _award_record()
    record["parties"][0]["details"] = {"scale": "large", "vcse": True}
    record["parties"][0]["address"] = {"locality": "Bootle", "postalCode": "L20 3NJ"}

    [contract] = contracts_from_record(record)
    supplier = contract.suppliers[0]

    assert (supplier.is_sme, supplier.is_vcse) == (False, True)
    assert (supplier.town, supplier.postcode) == ("Bootle", "L20 3NJ")


def test_unknown_supplier_scale_gives_none():
    record = _award_record()
    record["parties"][0]["details"] = {}

    [contract] = contracts_from_record(record)

    assert contract.suppliers[0].is_sme is None
    assert contract.suppliers[0].is_vcse is None


def test_paired_rn_artefacts_become_line_breaks_but_words_keep_their_rn():
    record = _award_record()
    record["tender"]["description"] = (
        "Learn to return home.rnrnThe Government will govern.rn   rn   Next.rnAfter"
        " Welcomernrnwe Learnrnrnthen"
    )

    [contract] = contracts_from_record(record)

    assert contract.description == (
        "Learn to return home.\n\nThe Government will govern.\n\nNext.\nAfter"
        " Welcome\n\nwe Learn\n\nthen"
    )


def test_award_note_follows_the_tender_description_as_its_own_paragraph():
    [contract] = contracts_from_record(_award_record(description="Value is for the initial term."))

    assert contract.description == "Care and support.\n\nValue is for the initial term."


def test_record_with_no_awards_gives_no_contracts(social_care):
    records = compile_records(load_releases(social_care))
    tender_only = [r for r in records if not r.get("awards")]

    assert tender_only
    assert all(contracts_from_record(r) == [] for r in tender_only)


@pytest.mark.parametrize("award", [{"suppliers": []}, {"status": "cancelled"}])
def test_award_without_supplier_or_not_going_ahead_is_skipped(award):
    assert contracts_from_record(_award_record(**award)) == []


def test_load_releases_refuses_a_dict_without_releases():
    with pytest.raises(OcdsError, match="Expected an OCDS release package or a JSON array"):
        load_releases({"ocid": "ocds-test-1", "id": "1", "date": "2025-01-01T00:00:00Z"})


@pytest.mark.parametrize("data", ["releases", 42, None])
def test_load_releases_refuses_what_is_neither_a_list_nor_a_dict(data):
    with pytest.raises(OcdsError, match="Expected an OCDS release package or a JSON array"):
        load_releases(data)


@pytest.mark.parametrize("missing", ["ocid", "id", "date"])
def test_load_releases_refuses_a_release_without_ocid_id_or_date(missing):
    release = _release("1", "2025-01-01T00:00:00Z")
    del release[missing]

    with pytest.raises(OcdsError, match=f"Release 0 has no '{missing}'"):
        load_releases([release])


def test_contracts_from_data_twice_gives_equal_results(package):
    assert contracts_from_data(package) == contracts_from_data(copy.deepcopy(package))


def test_later_release_by_date_overrides_a_field_whatever_the_file_order():
    later = _release("2", "2025-02-01T00:00:00Z", tender={"title": "New title"})
    earlier = _release("1", "2025-01-01T00:00:00Z", tender={"title": "Old", "status": "active"})

    [record] = compile_records([later, earlier])

    assert record["tender"] == {"title": "New title", "status": "active"}
    assert record["tag"] == ["compiled"]


def test_arrays_of_objects_merge_by_id():
    first = _release("1", "2025-01-01T00:00:00Z", awards=[{"id": "A1", "status": "pending"}])
    second = _release(
        "2",
        "2025-02-01T00:00:00Z",
        awards=[{"id": "A1", "status": "active"}, {"id": "A2", "status": "active"}],
    )

    [record] = compile_records([first, second])

    assert record["awards"] == [{"id": "A1", "status": "active"}, {"id": "A2", "status": "active"}]


def test_arrays_without_ids_and_additional_identifiers_are_replaced_whole():
    def party(identifiers, addresses):
        return [{"id": "P1", "additionalIdentifiers": identifiers, "addresses": addresses}]

    first = _release("1", "2025-01-01T00:00:00Z", parties=party([{"id": "1"}], [{"town": "A"}]))
    second = _release("2", "2025-02-01T00:00:00Z", parties=party([{"id": "2"}], [{"town": "B"}]))

    [record] = compile_records([first, second])

    assert record["parties"][0]["additionalIdentifiers"] == [{"id": "2"}]
    assert record["parties"][0]["addresses"] == [{"town": "B"}]


def test_records_come_one_per_ocid_in_ocid_order():
    releases = [
        {**_release("1", "2025-01-01T00:00:00Z"), "ocid": "ocds-b"},
        {**_release("2", "2025-01-01T00:00:00Z"), "ocid": "ocds-a"},
        {**_release("3", "2025-01-02T00:00:00Z"), "ocid": "ocds-b"},
    ]

    assert [r["ocid"] for r in compile_records(releases)] == ["ocds-a", "ocds-b"]


def test_compiling_makes_no_network_call(monkeypatch, social_care):
    def refuse(*args, **kwargs):
        raise AssertionError("compile_records tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    assert compile_records(load_releases(social_care))


def test_malformed_date_is_refused_with_the_award_named():
    record = _award_record(contractPeriod={"startDate": "first of April"})

    with pytest.raises(OcdsError, match="A1 startDate"):
        contracts_from_record(record)
