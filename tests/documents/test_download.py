"""Downloads: as an attachment only, to those who may see the contract,
every one logged; the log for administrators, auditors and the contract's
managers."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from contracts.models import ServiceAreaSettings
from core.roles import Role
from documents.models import DocumentDownload
from tests.documents import samples
from tests.factories import ContractFactory, DocumentFactory
from tests.pages import page_text

VIEWERS = [
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
]


@pytest.fixture
def document(contract):
    return DocumentFactory(
        contract=contract, filename='Signed "final"\r\ncontract.pdf', content=samples.PDF
    )


def download_url(document):
    return reverse("documents:download", args=[document.contract_id, document.pk])


@pytest.mark.parametrize("role", VIEWERS)
def test_whoever_may_see_the_contract_downloads_it_as_an_attachment(client_as, document, role):
    response = client_as(role).get(download_url(document))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Disposition"] == 'attachment; filename="Signed final contract.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_an_html_looking_text_file_is_still_only_an_attachment(client_as, contract):
    document = DocumentFactory(contract=contract, filename="notes.txt", content=b"<b>hi</b>")
    response = client_as(Role.AUDITOR).get(download_url(document))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_non_ascii_name_is_sent_encoded(client_as, contract):
    document = DocumentFactory(contract=contract, filename="Brontë café.pdf")
    response = client_as(Role.AUDITOR).get(download_url(document))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Bront%C3%AB%20caf%C3%A9.pdf"
    )


def test_an_evaluator_who_may_not_see_contracts_is_refused(client_as, document):
    response = client_as(Role.EVALUATOR).get(download_url(document))
    assert response.status_code == 403
    assert not DocumentDownload.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client_as, document):
    response = client_as(None).get(download_url(document))
    assert response.status_code == 302
    assert not DocumentDownload.objects.exists()


def test_another_contracts_document_is_not_found_under_this_contract(client_as, document):
    other = ContractFactory()
    url = reverse("documents:download", args=[other.pk, document.pk])
    assert client_as(Role.AUDITOR).get(url).status_code == 404
    assert not DocumentDownload.objects.exists()


def test_every_download_is_logged_with_who_when_and_from_where(
    client, user_with_role, document, time_machine
):
    time_machine.move_to("2026-06-01 10:00 +00:00", tick=False)
    first, second = user_with_role(Role.AUDITOR), user_with_role(Role.FINANCE_OFFICER)
    for user, times in ((first, 2), (second, 1)):
        client.force_login(user)
        for _ in range(times):
            response = client.get(download_url(document), REMOTE_ADDR="192.0.2.7")
            assert response.status_code == 200
    logged = DocumentDownload.objects.order_by("pk")
    assert [(d.user, d.document, d.ip_address) for d in logged] == [
        (first, document, "192.0.2.7"),
        (first, document, "192.0.2.7"),
        (second, document, "192.0.2.7"),
    ]
    assert {d.at.isoformat() for d in logged} == {"2026-06-01T10:00:00+00:00"}


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(
    client, user_with_role, document, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(user_with_role(Role.AUDITOR))
    client.get(
        download_url(document),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4",
    )
    assert DocumentDownload.objects.get().ip_address == "198.51.100.4"


def test_the_download_log_cannot_be_changed_or_deleted(client_as, document):
    client_as(Role.AUDITOR).get(download_url(document))
    log = DocumentDownload.objects.all()
    with pytest.raises(DatabaseError), transaction.atomic():
        log.update(ip_address="127.0.0.9")
    with pytest.raises(DatabaseError), transaction.atomic():
        log.delete()
    assert log.count() == 1


def test_a_missing_file_is_not_found_and_not_logged(client_as, document, media_root):
    document.file.storage.delete(document.file.name)
    assert client_as(Role.AUDITOR).get(download_url(document)).status_code == 404
    assert not DocumentDownload.objects.exists()


def log_url(contract):
    return reverse("documents:downloads", args=[contract.pk])


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_administrators_and_auditors_read_the_download_log(client, user_with_role, document, role):
    downloader = user_with_role(Role.FINANCE_OFFICER, first_name="Fran", last_name="Fowler")
    client.force_login(downloader)
    client.get(download_url(document), REMOTE_ADDR="192.0.2.7")
    client.force_login(user_with_role(role))
    response = client.get(log_url(document.contract))
    assert response.status_code == 200
    text = page_text(response)
    assert f"{document.title} Fran Fowler 192.0.2.7" in text


def test_the_contracts_owner_reads_its_download_log(client, user_with_role):
    owner = user_with_role(Role.COMMISSIONING_OFFICER)
    contract = ContractFactory(owner=owner)
    client.force_login(owner)
    assert client.get(log_url(contract)).status_code == 200
    # Not another contract's.
    assert client.get(log_url(ContractFactory())).status_code == 403


def test_the_service_areas_managers_read_its_contracts_download_log(client, user_with_role):
    manager = user_with_role(Role.APPROVING_MANAGER)
    area = ServiceAreaSettings.objects.create(service_area="supported_living")
    area.managers.add(manager)
    client.force_login(manager)
    assert client.get(log_url(ContractFactory(service_area="supported_living"))).status_code == 200
    assert client.get(log_url(ContractFactory(service_area="home_care"))).status_code == 403


def test_other_officers_do_not_see_the_download_log(client_as, contract):
    assert client_as(Role.COMMISSIONING_OFFICER).get(log_url(contract)).status_code == 403


def test_the_log_link_shows_only_to_those_who_may_read_it(client_as, document):
    url = reverse("documents:list", args=[document.contract_id])
    assert "See who downloaded" in client_as(Role.AUDITOR).get(url).text
    assert "See who downloaded" not in client_as(Role.FINANCE_OFFICER).get(url).text
