"""Bad import files get a message naming what is wrong and where, a
non-zero exit and nothing written: never a traceback."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from contracts import ocds_checks, register_csv
from contracts.models import Contract, ExtensionRequest
from providers.models import Provider
from tests.factories import ContractFactory

HEADER = (
    "reference,title,provider,companies_house_number,service_area,start_date,term,"
    "annual_value,notice_months,uplift_percent,owner_email\n"
)
GOOD = "ILSS-1,Mainstream ASC ILSS,Example Support Ltd,,ILSS,2019-07-01,3+2+2,491804,,,\n"


def register(tmp_path, text):
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    return path


def refused(command, path) -> str:
    with pytest.raises(CommandError) as exc:
        call_command(command, path)
    assert not Contract.objects.exists()
    assert not Provider.objects.exists()
    assert not Contract.history.exists()
    return str(exc.value)


@pytest.mark.parametrize("control", ["\x01", "\x0b", "\x00", "\x7f"])
def test_register_refuses_a_title_with_a_control_character(db, tmp_path, control):
    bad = f"ILSS-2,Whole Life{control}ILSS,Example Support Ltd,,ILSS,2019-07-01,3+2+2,1,,,\n"
    message = refused("import_register", register(tmp_path, HEADER + GOOD + bad))
    assert (
        f"Row 3, title: must not contain control characters (U+{ord(control):04X} at character 11)"
        in message
    )


def test_register_refuses_a_line_break_in_a_cell(db, tmp_path):
    bad = 'ILSS-2,"Two\nlines",Example Support Ltd,,ILSS,2019-07-01,3+2+2,1,,,\n'
    message = refused("import_register", register(tmp_path, HEADER + GOOD + bad))
    assert "Row 3, title: must not contain control characters (U+000A" in message


def test_register_names_a_cell_too_large_for_the_csv_reader(db, tmp_path):
    huge = "x" * 200_000
    bad = f'ILSS-2,"{huge}",Example Support Ltd,,ILSS,2019-07-01,3+2+2,1,,,\n'
    message = refused("import_register", register(tmp_path, HEADER + GOOD + bad))
    assert "Row 3: a cell is longer than 131,072 characters" in message
    assert "Nothing was imported" in message


def test_register_names_a_cell_longer_than_the_register_holds(db, tmp_path):
    bad = f"ILSS-2,{'x' * 300},Example Support Ltd,,ILSS,2019-07-01,3+2+2,1,,,\n"
    message = refused("import_register", register(tmp_path, HEADER + GOOD + bad))
    assert "Row 3, title: is 300 characters long; the register holds at most 255" in message


def test_register_limits_are_the_columns_lengths():
    for column, field in {"reference": "reference", "title": "title", "term": "term"}.items():
        assert register_csv.MAX_LENGTHS[column] == Contract._meta.get_field(field).max_length
    assert register_csv.MAX_LENGTHS["provider"] == Provider._meta.get_field("legal_name").max_length
    assert {
        "reference": Contract._meta.get_field("reference").max_length,
        "ocid": Contract._meta.get_field("ocid").max_length,
        "cpv_code": Contract._meta.get_field("cpv_code").max_length,
        "supplier name": Provider._meta.get_field("legal_name").max_length,
    } == ocds_checks.MAX_LENGTHS


def test_a_row_refused_while_writing_undoes_the_rows_already_added(db, tmp_path, time_machine):
    time_machine.move_to("2020-06-01 09:00 +01:00")
    registered = ContractFactory(reference="ILSS-9", term="3+2+2", start_date=date(2019, 7, 1))
    ExtensionRequest.objects.create(
        contract=registered,
        first_option=1,
        options_requested=1,
        justification="x",
        value=1,
        new_end_date=date(2024, 6, 30),
    )
    before = Contract.history.count()
    # The new contract is added in bulk before the change to ILSS-9 is
    # refused (a live contract's figures move only through a contract change).
    change = (
        f"ILSS-9,{registered.title},{registered.provider.legal_name},,ILSS,2019-07-01,3+2+2,5,,,\n"
    )
    with pytest.raises(CommandError, match="Row 3, annual_value: This contract is live"):
        call_command("import_register", register(tmp_path, HEADER + GOOD + change))
    assert list(Contract.objects.values_list("reference", flat=True)) == ["ILSS-9"]
    assert Contract.history.count() == before


def test_bulk_import_keeps_the_history_of_each_contract_and_provider(db, tmp_path, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    text = HEADER.strip() + ",options_taken\n" + GOOD.strip() + ",2\n"
    call_command("import_register", register(tmp_path, text))
    contract = Contract.objects.get()
    assert contract.provider.legal_name == "Example Support Ltd"
    assert contract.options_taken == 2
    assert [(h.history_change_reason, h.options_taken) for h in contract.history.all()] == [
        ("2 options taken before registration", 2),
        ("Contract added", 0),
    ]
    assert contract.history.last().current_end_date == date(2022, 6, 30)
    assert contract.history.first().current_end_date == date(2026, 6, 30)
    assert [h.history_change_reason for h in contract.provider.history.all()] == ["Provider added"]


def release(**changes):
    return {
        "ocid": "ocds-b5fd17-1",
        "id": "ocds-b5fd17-1-1",
        "date": "2024-01-01T00:00:00Z",
        "tender": {"title": "Home care"},
        "parties": [{"id": "p1", "name": "Arch Futures Ltd"}],
        "awards": [
            {
                "id": "ocds-b5fd17-1-1",
                "suppliers": [{"id": "p1", "name": "Arch Futures Ltd"}],
                "contractPeriod": {"startDate": "2024-04-01", "endDate": "2027-03-31"},
                "value": {"amount": 300000, "currency": "GBP"},
            }
        ],
        **changes,
    }


def ocds_file(tmp_path, data=None, text=None):
    path = tmp_path / "releases.json"
    path.write_text(text if text is not None else json.dumps(data), encoding="utf-8")
    return path


def test_a_good_release_imports(db, tmp_path):
    call_command("import_ocds", ocds_file(tmp_path, {"releases": [release()]}))
    assert Contract.objects.get().title == "Home care"


def test_ocds_too_deep_for_the_json_reader_is_named_by_line_and_column(db, tmp_path):
    text = '{"releases": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    message = refused("import_ocds", ocds_file(tmp_path, text=text))
    assert "nested more than 64 levels deep at line 1, column 77" in message


def test_ocds_nested_deeper_than_any_release_is_named_by_path(db, tmp_path):
    deep = {}
    for _ in range(200):
        deep = {"x": deep}
    message = refused("import_ocds", ocds_file(tmp_path, {"releases": [release(tender=deep)]}))
    assert "nested more than 64 levels deep, at releases[0].tender.x.x" in message


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"awards": "notalist"}, "Release 0 (ocds-b5fd17-1): 'awards' is a string, not an array"),
        (
            {"awards": ["x"]},
            "Release 0 (ocds-b5fd17-1): 'awards' item 0 is a string, not an object",
        ),
        ({"tender": [1]}, "Release 0 (ocds-b5fd17-1): 'tender' is an array, not an object"),
        ({"parties": {}}, "'parties' is an object, not an array"),
    ],
)
def test_ocds_of_the_wrong_shape_is_named(db, tmp_path, changes, expected):
    message = refused("import_ocds", ocds_file(tmp_path, {"releases": [release(**changes)]}))
    assert expected in message


def test_ocds_award_parts_of_the_wrong_shape_are_named(db, tmp_path):
    bad = release()
    bad["awards"][0]["suppliers"] = "Arch Futures Ltd"
    message = refused("import_ocds", ocds_file(tmp_path, [bad]))
    assert "Release 0 (ocds-b5fd17-1), awards item 0: 'suppliers' is a string, not an array" in (
        message
    )


@pytest.mark.parametrize("text", ["Home\x01care", "Home care\ud800"])
def test_ocds_title_with_a_control_character_is_named(db, tmp_path, text):
    message = refused(
        "import_ocds", ocds_file(tmp_path, {"releases": [release(tender={"title": text})]})
    )
    assert "ocds-b5fd17-1-1, title: must not contain control characters (U+" in message


def test_ocds_description_keeps_its_line_breaks(db, tmp_path):
    data = {"releases": [release(tender={"title": "Home care", "description": "a\n\tb"})]}
    call_command("import_ocds", ocds_file(tmp_path, data))
    assert Contract.objects.get().description == "a\n\tb"


def test_ocds_number_too_long_to_read_is_refused(db, tmp_path):
    text = '{"releases": [{"x": ' + "1" * 5000 + "}]}"
    message = refused("import_ocds", ocds_file(tmp_path, text=text))
    assert "Cannot read" in message
