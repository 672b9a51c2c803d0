"""An officer uploads a contract's signed contract in a real browser (a
wrong file first), downloads it and withdraws it; an administrator reads
who downloaded it. axe-core on every page, with JavaScript on and off."""

import re
from pathlib import Path

import pytest

from core.roles import Role
from documents.models import Document, DocumentDownload
from tests.browser.test_provider_journey import sign_in
from tests.documents import samples
from tests.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_officer_uploads_downloads_and_withdraws_a_document(
    javascript, live_server, page_factory, axe, user_with_role, tmp_path
):
    user_with_role(Role.COMMISSIONING_OFFICER, username="lisa.lopez")
    user_with_role(Role.ADMINISTRATOR, username="alex.morgan")
    contract = ContractFactory()
    disguised = tmp_path / "signed.pdf"
    disguised.write_bytes(samples.HTML)
    signed = tmp_path / "Signed contract.pdf"
    signed.write_bytes(samples.PDF)

    # axe-core is JavaScript: it checks the pages in the js-on run; the
    # js-off run proves the journey works without it.
    check = axe.check if javascript else (lambda page: None)
    page = page_factory(javascript=javascript)
    sign_in(page, live_server, "lisa.lopez")
    page.goto(f"{live_server.url}{contract.get_absolute_url()}")
    check(page)
    page.get_by_role("link", name="Upload a document").click()
    check(page)

    page.get_by_label("Upload a file").set_input_files(str(disguised))
    page.get_by_label("Title").fill("Signed contract")
    page.get_by_label("Signed contract").check()
    page.get_by_role("button", name="Upload document").click()
    summary = page.locator(".govuk-error-summary")
    assert "The selected file must be a PDF" in summary.inner_text()
    check(page)
    assert not Document.objects.exists()

    page.get_by_label("Upload a file").set_input_files(str(signed))
    page.get_by_role("button", name="Upload document").click()
    assert "Signed contract uploaded" in page.locator("main").inner_text()
    check(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Signed contract\W+download$")).click()
    assert download.value.suggested_filename == "Signed contract.pdf"
    assert Path(download.value.path()).read_bytes() == samples.PDF
    assert DocumentDownload.objects.count() == 1

    page.get_by_role("link", name="Withdraw Signed contract").click()
    check(page)
    page.get_by_label("Why are you withdrawing it?").fill("Unsigned copy")
    page.get_by_role("button", name="Withdraw document").click()
    assert "withdrawn" in page.locator("main").inner_text()
    assert Document.objects.get().withdrawal_reason == "Unsigned copy"

    admin = page_factory(javascript=javascript)
    sign_in(admin, live_server, "alex.morgan")
    admin.goto(f"{live_server.url}/contracts/{contract.pk}/documents/downloads/")
    assert "Who downloaded the documents" in admin.locator("h1").inner_text()
    check(admin)
    assert page.console_errors == [], page.console_errors
    assert len(axe.checked) == (6 if javascript else 0)
