import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from contracts.models import Contract
from providers.models import Provider
from tests.factories import ProviderFactory, UserFactory

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/data is not beside this clone (CI always has it)"
)

HEADER = (
    "reference,title,provider,companies_house_number,service_area,start_date,term,"
    "annual_value,notice_months,uplift_percent,owner_email\n"
)
ILSS = (
    "ILSS-1,Mainstream ASC ILSS,Example Support Ltd,,ILSS,2019-07-01,3+2+2,491804,,,\n"
    "ILSS-2,Whole Life disability (LD) ILSS,Example Support Ltd,,ILSS,2019-07-01,3+2+2,363635,,,\n"
)


def write(tmp_path, text, name="register.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def export_rows(tmp_path, fmt="csv"):
    out = tmp_path / f"out.{fmt}"
    call_command("export_register", format=fmt, output=out)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(out.read_text())))
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_ilss_rows_import_and_export_with_the_seed_figures(db, tmp_path, time_machine):
    # As the register stood in the first year: both options still to decide.
    time_machine.move_to("2020-06-01 09:00 +01:00")
    call_command("import_register", write(tmp_path, HEADER + ILSS))
    rows = {r["Reference number"]: r for r in export_rows(tmp_path)}
    mainstream = rows["ILSS-1"]
    assert mainstream["initial_end_date"] == "2022-06-30"
    assert mainstream["max_end_date"] == "2026-06-30"
    assert mainstream["whole_life_value"] == "3442628.00"
    assert mainstream["options_remaining"] == "2"
    assert rows["ILSS-2"]["whole_life_value"] == "2545445.00"


def test_xlsx_export_has_the_same_figures_as_numbers_and_dates(db, tmp_path):
    import datetime

    call_command("import_register", write(tmp_path, HEADER + ILSS))
    rows = {r["Reference number"]: r for r in export_rows(tmp_path, "xlsx")}
    assert rows["ILSS-1"]["whole_life_value"] == 3442628
    assert rows["ILSS-2"]["max_end_date"] == datetime.datetime(2026, 6, 30)


def test_terminated_contract_exports_what_will_actually_be_paid(db, tmp_path):
    from datetime import date

    from contracts.services import contract_terminate

    call_command("import_register", write(tmp_path, HEADER + ILSS))
    contract = Contract.objects.get(reference="ILSS-1")
    contract_terminate(contract=contract, by=None, terminated_on=date(2020, 6, 30), reason="x")
    row = {r["Reference number"]: r for r in export_rows(tmp_path)}["ILSS-1"]
    assert row["Sum to be paid over the length of the contract"] == "491804.00"
    assert row["options_remaining"] == "0"
    assert row["whole_life_value"] == "3442628.00"


def test_one_bad_row_writes_nothing_and_is_named(db, tmp_path):
    bad = (
        HEADER
        + ILSS
        + "ILSS-3,Bad date,Example Support Ltd,,ILSS,2019-13-45,3+2+2,100,,,\n"
        + "ILSS-4,Bad term,Example Support Ltd,,ILSS,2019-07-01,3+,100,,,\n"
        + "ILSS-5,Negative,Example Support Ltd,,ILSS,2019-07-01,3,-5,,,\n"
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_register", write(tmp_path, bad))
    message = str(exc.value)
    assert "Nothing was imported" in message
    assert "Row 4, start_date" in message
    assert "Row 5, term" in message
    assert "Row 6, annual_value" in message
    assert not Contract.objects.exists()
    assert not Provider.objects.exists()


def test_column_names_are_case_insensitive_and_optional_columns_may_be_blank(db, tmp_path):
    owner = UserFactory(email="lisa.lopez@example.gov.uk", role="commissioning_officer")
    ProviderFactory(legal_name="Numbered Ltd", companies_house_number="01068186")
    text = (
        "Reference,TITLE,Provider,Companies_House_Number,Service_Area,Start_Date,Term,"
        "Annual_Value,Notice_Months,Uplift_Percent,Owner_Email\n"
        "SL-1,Supported living,Some other name,01068186,Supported living,01/07/2020,"
        "36m+12m+12m,120000.50,6,2.5,LISA.LOPEZ@example.gov.uk\n"
    )
    call_command("import_register", write(tmp_path, text))
    contract = Contract.objects.get()
    assert contract.provider.legal_name == "Numbered Ltd"  # matched on the number
    assert contract.owner == owner
    assert contract.term == "3+1+1"
    assert contract.notice_months == 6
    assert contract.uplift_percent == Decimal("2.5")


def test_unknown_owner_and_service_area_are_named(db, tmp_path):
    text = HEADER + "X-1,Title,Prov,,Knitting,2020-01-01,3,100,,,nobody@example.org\n"
    with pytest.raises(CommandError) as exc:
        call_command("import_register", write(tmp_path, text))
    assert "Row 2, service_area: 'Knitting' is not a service area" in str(exc.value)


def test_missing_column_is_reported(db, tmp_path):
    with pytest.raises(
        CommandError, match="no column service_area, start_date, term, annual_value"
    ):
        call_command("import_register", write(tmp_path, "reference,title,provider\nA,B,C\n"))


def test_reimporting_the_register_changes_nothing(db, tmp_path):
    path = write(tmp_path, HEADER + ILSS)
    call_command("import_register", path)
    versions = sum(c.history.count() for c in Contract.objects.all())
    call_command("import_register", path)
    assert sum(c.history.count() for c in Contract.objects.all()) == versions


@needs_shared
@pytest.mark.parametrize(
    "name",
    [
        "cf_ocds_release_package_2025-01-20_to_23_100_releases.json",
        "cf_ocds_social_care_releases.json",
    ],
)
def test_contracts_finder_files_import_and_a_second_import_changes_nothing(db, name, capsys):
    call_command("import_ocds", SHARED / name)
    first = capsys.readouterr().out
    assert "contracts added" in first
    counts = (Contract.objects.count(), Provider.objects.count())
    versions = sum(c.history.count() for c in Contract.objects.all())
    call_command("import_ocds", SHARED / name)
    second = capsys.readouterr().out
    assert second.startswith("0 contracts added, 0 updated")
    assert (Contract.objects.count(), Provider.objects.count()) == counts
    assert sum(c.history.count() for c in Contract.objects.all()) == versions


@needs_shared
def test_multi_supplier_award_keeps_every_supplier(db):
    call_command("import_ocds", SHARED / "cf_ocds_social_care_releases.json")
    framework = next(c for c in Contract.objects.all() if c.additional_providers.count() >= 16)
    assert framework.additional_providers.count() + 1 == 17


def test_bad_json_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_ocds", write(tmp_path, json.dumps({"no": "releases"}), "x.json"))
    assert not Contract.objects.exists()


def test_export_query_count_does_not_grow_with_contracts(db, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ContractFactory

    def count():
        with CaptureQueriesContext(connection) as captured:
            export_rows(tmp_path)
        return len(captured)

    ContractFactory().additional_providers.add(ProviderFactory())
    one = count()
    for _ in range(5):
        ContractFactory().additional_providers.add(ProviderFactory(), ProviderFactory())
    assert count() == one


@needs_shared
def test_reimport_keeps_an_officers_changes(db, user_with_role):
    from contracts.services import contract_update
    from core.roles import Role

    call_command("import_ocds", SHARED / "cf_ocds_social_care_releases.json")
    contract = Contract.objects.order_by("reference").first()
    officer = user_with_role(Role.COMMISSIONING_OFFICER)
    contract_update(contract=contract, by=officer, service_area="home_care")
    call_command("import_ocds", SHARED / "cf_ocds_social_care_releases.json")
    contract.refresh_from_db()
    assert contract.service_area == "home_care"


@pytest.mark.parametrize(
    ("cell", "column", "value"),
    [
        ("annual_value", "Row 2, annual_value", "NaN"),
        ("annual_value", "Row 2, annual_value", "1e15"),
        ("uplift_percent", "Row 2, uplift_percent", "1000"),
        ("notice_months", "Row 2, notice_months", "99999"),
    ],
)
def test_out_of_range_values_are_named_not_crashed_on(db, tmp_path, cell, column, value):
    row = {
        "reference": "X-1",
        "title": "T",
        "provider": "P",
        "companies_house_number": "",
        "service_area": "ILSS",
        "start_date": "2020-01-01",
        "term": "3+1",
        "annual_value": "100",
        "notice_months": "",
        "uplift_percent": "",
        "owner_email": "",
    }
    row[cell] = value
    text = HEADER + ",".join(row.values()) + "\n"
    with pytest.raises(CommandError, match=column):
        call_command("import_register", write(tmp_path, text))
    assert not Contract.objects.exists()


def test_options_already_taken_can_be_imported(db, tmp_path):
    text = HEADER.strip() + ",options_taken\n" + ILSS.splitlines()[0] + ",2\n"
    call_command("import_register", write(tmp_path, text))
    contract = Contract.objects.get()
    assert contract.options_taken == 2
    assert str(contract.current_end_date) == "2026-06-30"


def test_reimport_cannot_move_options_on_a_registered_contract(db, tmp_path):
    text = HEADER.strip() + ",options_taken\n" + ILSS.splitlines()[0] + ",0\n"
    call_command("import_register", write(tmp_path, text))
    moved = HEADER.strip() + ",options_taken\n" + ILSS.splitlines()[0] + ",2\n"
    with pytest.raises(CommandError, match="Row 2, options_taken"):
        call_command("import_register", write(tmp_path, moved))
    assert Contract.objects.get().options_taken == 0


def test_owner_must_be_a_commissioning_officer(db, tmp_path):
    UserFactory(email="auditor@example.gov.uk", role="auditor")
    text = HEADER + "X-1,T,P,,ILSS,2020-01-01,3,100,,,auditor@example.gov.uk\n"
    with pytest.raises(CommandError, match="no commissioning officer has"):
        call_command("import_register", write(tmp_path, text))


def test_notice_longer_than_the_initial_period_is_named_by_row(db, tmp_path):
    text = HEADER + "X-1,T,P,,ILSS,2020-01-01,1+1,100,13,,\n"
    with pytest.raises(CommandError, match="Row 2, notice_months"):
        call_command("import_register", write(tmp_path, text))


def test_rejected_options_export_the_value_to_the_current_end(db, tmp_path, time_machine):
    from contracts.services import extension_reject, extension_request_raise
    from core.roles import Role
    from tests.factories import ContractFactory

    time_machine.move_to("2026-01-15 09:00 +00:00")
    contract = ContractFactory(reference="R-1", term="3+1+1", annual_value=Decimal("100000"))
    manager = UserFactory(role=Role.APPROVING_MANAGER, delegated_authority_limit=Decimal("1"))
    request = extension_request_raise(
        contract=contract, by=None, options_requested=1, justification="x"
    )
    extension_reject(request=request, by=manager, reason="Recommissioning")
    row = {r["Reference number"]: r for r in export_rows(tmp_path)}["R-1"]
    assert row["Sum to be paid over the length of the contract"] == "300000.00"
    assert row["options_remaining"] == "0"


@needs_shared
def test_a_republished_notice_with_new_figures_skips_a_live_contract(db, capsys):
    """Decision 19: a live contract's figures move only through a contract change."""
    call_command("import_ocds", SHARED / "cf_ocds_social_care_releases.json")
    capsys.readouterr()
    contract = Contract.objects.filter(is_draft=False).order_by("reference").first()
    # As if the notice had been imported with other figures (no officer since).
    Contract.objects.filter(pk=contract.pk).update(annual_value=contract.annual_value + 1)
    call_command("import_ocds", SHARED / "cf_ocds_social_care_releases.json")
    out = capsys.readouterr().out
    assert f"{contract.reference}: This contract is live" in out
    assert Contract.objects.get(pk=contract.pk).annual_value == contract.annual_value + 1
