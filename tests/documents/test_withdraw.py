"""A document is withdrawn with a reason, never deleted: the file, its
history and its downloads stay."""

import pytest
from django.urls import reverse

from core.roles import Role
from documents.models import Document
from documents.services import DocumentError, document_withdraw
from tests.factories import DocumentFactory
from tests.html_forms import form_data
from tests.pages import page_text


@pytest.fixture
def document(contract):
    return DocumentFactory(contract=contract, title="Wrong letter")


def withdraw_url(document):
    return reverse("documents:withdraw", args=[document.contract_id, document.pk])


def test_an_officer_withdraws_a_document_and_its_file_is_kept(client, officer, document):
    client.force_login(officer)
    form = form_data(client.get(withdraw_url(document)).text, having="version")
    response = client.post(withdraw_url(document), {**form, "reason": "The wrong file"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_withdrawn
    assert (document.withdrawn_by, document.withdrawal_reason) == (officer, "The wrong file")
    assert document.file.storage.exists(document.file.name)
    latest = document.history.first()
    assert latest.history_change_reason == "Withdrawn: The wrong file"
    assert latest.history_user == officer


def test_a_withdrawn_document_leaves_the_contract_page_but_stays_on_the_documents_page(
    client_as, officer, document
):
    document_withdraw(document=document, by=officer, reason="The wrong file", version=1)
    auditor = client_as(Role.AUDITOR)
    contract_page = page_text(auditor.get(document.contract.get_absolute_url()))
    assert "Wrong letter" not in contract_page
    listing = page_text(auditor.get(reverse("documents:list", args=[document.contract_id])))
    assert "Wrong letter" in listing
    assert "Withdrawn" in listing and "The wrong file" in listing


def test_a_withdrawn_document_is_downloaded_only_by_those_who_read_the_log(
    client_as, officer, document
):
    document_withdraw(document=document, by=officer, reason="The wrong file", version=1)
    url = reverse("documents:download", args=[document.contract_id, document.pk])
    assert client_as(Role.FINANCE_OFFICER).get(url).status_code == 404
    assert client_as(Role.AUDITOR).get(url).status_code == 200


def test_a_reason_is_required(client, officer, document):
    client.force_login(officer)
    response = client.post(withdraw_url(document), {"version": 1, "reason": ""})
    assert response.context["form"].errors["reason"] == [
        "Give the reason for withdrawing the document"
    ]
    assert not Document.objects.get().is_withdrawn


def test_a_withdrawal_from_a_stale_page_is_refused(officer, document):
    document_withdraw(document=document, by=officer, reason="First", version=1)
    with pytest.raises(DocumentError):
        document_withdraw(document=document, by=officer, reason="Again", version=2)
    stale = Document.objects.get()
    stale.withdrawn_at = None
    with pytest.raises(Exception, match="was changed"):
        document_withdraw(document=stale, by=officer, reason="Again", version=1)


def test_a_withdrawn_document_cannot_be_withdrawn_again_from_its_page(client, officer, document):
    document_withdraw(document=document, by=officer, reason="First", version=1)
    client.force_login(officer)
    assert client.get(withdraw_url(document)).status_code == 404


def test_roles_that_cannot_withdraw_are_refused(client_as, document):
    for role in (Role.AUDITOR, Role.FINANCE_OFFICER, Role.APPROVING_MANAGER):
        response = client_as(role).post(withdraw_url(document), {"version": 1, "reason": "x"})
        assert response.status_code == 403
    assert not Document.objects.get().is_withdrawn


def test_there_is_no_way_to_delete_a_document(document):
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(
            content_type__app_label="documents",
            content_type__model__in=["document", "documentdownload"],
        ).values_list("codename", flat=True)
    )
    assert codenames == {"add_document", "withdraw_document", "view_documentdownload"}
