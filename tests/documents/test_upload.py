"""Uploading a document to a contract: the hardening issue's limits (size,
type checked on content, empty files), stored under a random name, and
attached only to records of the same contract."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from documents.models import Document
from documents.services import DocumentError, document_upload
from tests.documents import samples
from tests.factories import ContractFactory
from tests.pages import page_text

WRONG_TYPE = (
    "The selected file must be a PDF, Word, Excel, OpenDocument, RTF, text, CSV, JPG or PNG file"
)


@pytest.fixture
def upload(client, officer, contract):
    client.force_login(officer)

    def post(name="Signed contract.pdf", content=samples.PDF, *, target=None, **fields):
        url = reverse("documents:add", args=[contract.pk])
        if target:
            url += f"?for={target}"
        data = {"title": "Signed contract", "kind": "signed_contract", **fields}
        if name is not None:
            data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
        return client.post(url, data)

    return post


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_an_officer_uploads_the_signed_contract(upload, contract, officer, media_root):
    response = upload()
    assert response.status_code == 302
    assert response.url == reverse("documents:list", args=[contract.pk])
    document = Document.objects.get()
    assert (document.contract, document.kind, document.title) == (
        contract,
        "signed_contract",
        "Signed contract",
    )
    assert document.original_filename == "Signed contract.pdf"
    assert document.size == len(samples.PDF)
    assert document.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert document.content_type == "application/pdf"
    assert document.uploaded_by == officer
    assert document.history.get().history_user == officer


def test_the_file_is_stored_under_a_random_name_never_the_uploaded_one(upload, media_root):
    upload(name="Signed contract.pdf")
    upload(name="Signed contract.pdf")
    files = stored_files(media_root)
    assert len(files) == 2
    for path in files:
        assert "Signed" not in path.name and "." not in path.name
        assert path.read_bytes() == samples.PDF
    assert len({p.name for p in files}) == 2


@override_settings(UPLOAD_MAX_FILE_SIZE=64 * 1024)
def test_a_file_over_the_limit_is_refused_beside_the_field_and_not_kept(upload, media_root):
    response = upload(content=samples.PDF + b"0" * 64 * 1024)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The selected file must be smaller than 0.0625 MB"
    ]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


@override_settings(UPLOAD_MAX_FILE_SIZE=64 * 1024)
def test_a_file_at_the_limit_is_taken(upload):
    content = samples.PDF + b"0" * (64 * 1024 - len(samples.PDF))
    assert upload(content=content).status_code == 302
    assert Document.objects.get().size == 64 * 1024


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evidence.pdf", samples.EXE),
        ("evidence.pdf", samples.HTML),
        ("letter.docx", samples.DOCM),
        ("program.exe", samples.EXE),
    ],
)
def test_a_file_disguised_by_its_extension_is_refused(upload, media_root, name, content):
    response = upload(name=name, content=content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [WRONG_TYPE]
    # In the error summary too, linked to the field.
    assert WRONG_TYPE in page_text(response).split("There is a problem")[1]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_an_empty_file_is_refused(upload):
    response = upload(content=b"")
    assert response.context["form"].errors["file"] == ["The selected file is empty"]
    assert not Document.objects.exists()


def test_no_file_is_refused_with_the_govuk_wording(upload):
    response = upload(name=None)
    assert response.context["form"].errors["file"] == ["Select a file"]


def test_the_page_uses_the_govuk_file_upload_component(client, officer, contract):
    client.force_login(officer)
    response = client.get(reverse("documents:add", args=[contract.pk]))
    assert 'class="govuk-file-upload' in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert "smaller than 10 MB" in page_text(response)


def test_a_document_is_attached_to_a_return_of_the_contract(upload, monitoring_return):
    response = upload(target=f"return:{monitoring_return.pk}", kind="evidence")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.attached_to == monitoring_return


def test_a_document_is_attached_to_a_failure_of_the_contract(upload, failure):
    assert upload(target=f"failure:{failure.pk}").status_code == 302
    assert Document.objects.get().attached_to == failure


@pytest.mark.parametrize("target", ["return:999999", "return:x", "nothing:1", "change:1"])
def test_an_unknown_record_to_attach_to_is_not_found(upload, target):
    assert upload(target=target).status_code == 404
    assert not Document.objects.exists()


def test_another_contracts_return_cannot_be_named_on_this_contracts_page(upload, make_return):
    other = make_return(ContractFactory())
    assert upload(target=f"return:{other.pk}").status_code == 404
    assert not Document.objects.exists()


def test_the_service_refuses_a_record_of_another_contract(contract, make_return, media_root):
    other = make_return(ContractFactory())
    with pytest.raises(DocumentError, match="belongs to another contract"):
        document_upload(
            contract=contract,
            by=None,
            upload=SimpleUploadedFile("a.pdf", samples.PDF),
            kind="evidence",
            title="Evidence",
            attached_to=other,
        )
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_the_service_refuses_a_record_that_documents_cannot_be_attached_to(contract):
    with pytest.raises(DocumentError, match="cannot be attached to a contract"):
        document_upload(
            contract=contract,
            by=None,
            upload=SimpleUploadedFile("a.pdf", samples.PDF),
            kind="evidence",
            title="Evidence",
            attached_to=contract,
        )


def test_the_service_checks_content_when_no_form_has(contract):
    with pytest.raises(DocumentError):
        document_upload(
            contract=contract,
            by=None,
            upload=SimpleUploadedFile("a.pdf", samples.EXE),
            kind="evidence",
            title="Evidence",
        )


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("../../../etc/cron.d/evil.pdf", "evil.pdf"),
        ('Variation "signed".pdf', "Variation signed.pdf"),
        ("letter\r\nContent-Type: text.pdf", "letter Content-Type text.pdf"),
    ],
)
def test_the_uploaded_name_is_kept_only_made_safe(contract, media_root, uploaded, kept):
    document = document_upload(
        contract=contract,
        by=None,
        upload=SimpleUploadedFile(uploaded, samples.PDF),
        kind="evidence",
        title="Evidence",
    )
    assert document.original_filename == kept
    assert [p.parent.name for p in stored_files(media_root)] == [str(contract.pk)]


def test_a_title_is_required(upload):
    response = upload(title="")
    assert response.context["form"].errors["title"] == ["Enter a title for the document"]
