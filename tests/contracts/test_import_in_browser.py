"""The register imported in the browser: upload a CSV or Excel file, see
every problem by row and column or what the import would do, then confirm;
all or nothing, once, by the service import_register uses."""

import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts.models import Contract, RegisterUpload
from contracts.register_csv import problem_parts
from contracts.services.uploads import register_upload_confirm, register_upload_create
from core.roles import Role
from providers.models import Provider
from tests.html_forms import form_data
from tests.pages import page_text

HEADER = "reference,title,provider,service_area,start_date,term,annual_value,notice_months\n"
GOOD = (
    "ILSS-1,Mainstream ASC ILSS,Example Support Ltd,ILSS,2019-07-01,3+2+2,491804,3\n"
    "ILSS-2,Whole Life disability (LD) ILSS,Example Support Ltd,ILSS,2019-07-01,3+2+2,363635,\n"
    "HC-1,Home care north,North Care Ltd,home_care,01/04/2024,3+1+1,1200000.00,\n"
)
BAD = (
    "ILSS-1,Mainstream ASC ILSS,Example Support Ltd,ILSS,2019-07-01,3+2+2,491804,3\n"
    "ILSS-2,,Example Support Ltd,ILSS,2019-13-01,3+2+2,363635,\n"
    "HC-1,Home care north,North Care Ltd,care homes,2024-04-01,3+1+1,-5,\n"
)
UPLOAD = reverse("contracts:import")


@pytest.fixture
def officer(client_as, time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")
    return client_as(Role.COMMISSIONING_OFFICER)


def _upload(client, content: bytes, name="register.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)}, follow=True)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_file_with_problems_shows_each_by_row_and_column_and_imports_nothing(officer):
    page = _upload(officer, (HEADER + BAD).encode())
    text = page_text(page)
    assert "There is a problem" in text
    assert "Nothing has been imported" in text
    assert "The file has 4 problems" in text
    # Row, column, problem: one table row each.
    assert "3 title title is blank" in text
    assert "3 start_date '2019-13-01' is not a date" in text
    assert "4 service_area 'care homes' is not a service area" in text
    assert "4 annual_value -5 is negative" in text
    assert Contract.objects.count() == 0
    assert Provider.objects.count() == 0
    # Nothing to confirm.
    assert 'name="sha256"' not in page.content.decode()


def test_a_good_file_previews_the_count_then_imports_every_row_on_confirmation(officer):
    page = _upload(officer, (HEADER + GOOD).encode())
    text = page_text(page)
    assert "Check the import before you confirm it" in text
    assert "Contracts to add 3" in text
    assert "Providers to add 2" in text
    # The preview writes nothing.
    assert Contract.objects.count() == 0
    assert Provider.objects.count() == 0

    confirmed = officer.post(
        page.redirect_chain[-1][0], form_data(page.content.decode(), having="sha256"), follow=True
    )
    assert "register.csv imported: 3 contracts added, 0 updated, 0 unchanged" in page_text(
        confirmed
    )
    assert set(Contract.objects.values_list("reference", flat=True)) == {"ILSS-1", "ILSS-2", "HC-1"}
    ilss = Contract.objects.get(reference="ILSS-1")
    assert ilss.whole_life_value == Decimal("3442628.00")
    assert ilss.history.latest().history_user is not None


def test_confirming_twice_imports_once(officer):
    page = _upload(officer, (HEADER + GOOD).encode())
    url, form = page.redirect_chain[-1][0], form_data(page.content.decode(), having="sha256")
    officer.post(url, form)
    again = officer.post(url, form, follow=True)
    assert "already imported" in page_text(again)
    assert Contract.objects.count() == 3
    assert Contract.history.filter(history_type="+").count() == 3


def test_an_excel_workbook_is_checked_and_imported_as_a_csv_is(officer):
    rows = [
        ["reference", "title", "provider", "service_area", "start_date", "term", "annual_value"],
        [
            "ILSS-1",
            "Mainstream ASC ILSS",
            "Example Support Ltd",
            "ILSS",
            date(2019, 7, 1),
            "3+2+2",
            491804,
        ],
        ["HC-1", "Home care", "North Care Ltd", "home_care", date(2024, 4, 1), "3+1+1", 1200000.5],
    ]
    page = _upload(officer, _xlsx(rows), name="register.xlsx")
    assert "Contracts to add 2" in page_text(page)
    officer.post(page.redirect_chain[-1][0], form_data(page.content.decode(), having="sha256"))
    assert Contract.objects.get(reference="HC-1").annual_value == Decimal("1200000.50")

    rows[2][4] = "next April"
    text = page_text(_upload(officer, _xlsx(rows), name="again.xlsx"))
    assert "3 start_date 'next April' is not a date" in text


def test_a_file_that_is_not_csv_or_excel_is_refused_at_upload(officer):
    page = _upload(officer, b"%PDF-1.4 a letter", name="register.pdf")
    assert "The selected file must be a CSV or an Excel workbook (.xlsx)" in page_text(page)
    assert not RegisterUpload.objects.exists()


def test_a_confirmation_imports_what_the_server_kept_never_what_the_browser_sends(officer):
    page = _upload(officer, (HEADER + GOOD).encode())
    url = page.redirect_chain[-1][0]
    refused = officer.post(
        url, {"sha256": hashlib.sha256(b"another file").hexdigest()}, follow=True
    )
    assert "This is not the file you previewed" in page_text(refused)
    assert Contract.objects.count() == 0


def test_an_officer_cannot_see_or_confirm_another_officers_upload(
    officer, user_with_role, client_as
):
    page = _upload(officer, (HEADER + GOOD).encode())
    url = page.redirect_chain[-1][0]
    other = client_as(Role.COMMISSIONING_OFFICER)
    assert other.get(url).status_code == 404
    assert other.post(url, form_data(page.content.decode(), having="sha256")).status_code == 404
    assert Contract.objects.count() == 0


def test_a_register_changed_since_the_preview_imports_nothing_and_says_why(db, user_with_role):
    officer = user_with_role(Role.COMMISSIONING_OFFICER)
    content = (HEADER + GOOD).encode()
    upload = register_upload_create(
        by=officer,
        filename="register.csv",
        extension="csv",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert upload.preview["created"] == 3
    # The register moves on after the preview (here: the stored rows name
    # an owner nobody is): the import finds it and writes nothing.
    upload.text = upload.text.replace("notice_months", "notice_months,owner_email").replace(
        ",3\n", ",3,gone@example.gov.uk\n"
    )
    upload.save()
    upload = register_upload_confirm(upload=upload, by=officer, sha256=upload.sha256)
    assert upload.imported_at is None
    assert any("owner_email" in p for p in upload.problems)
    assert Contract.objects.count() == 0


def test_a_problem_reads_as_its_row_column_and_message():
    problem = problem_parts("Row 3, start_date: is blank")
    assert (problem.row, problem.column, problem.message) == (
        3,
        "start_date",
        "start_date is blank",
    )
    assert problem_parts("The file is empty").row == 0


@pytest.mark.parametrize("rows", [BAD, GOOD], ids=["problems", "good"])
def test_the_preview_costs_the_same_queries_however_long_the_file(officer, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for copies in (1, 5):
        lines = rows.splitlines(keepends=True)
        text = HEADER + "".join(
            line.replace(line.split(",")[0], f"{line.split(',')[0]}-{n}", 1)
            for n in range(copies)
            for line in lines
        )
        url = _upload(officer, text.encode()).redirect_chain[-1][0]
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
