"""The documents section of the contract page, and documents attached to a
return or a failure."""

from django.template import Context, Template
from django.urls import reverse

from core.roles import Role
from documents.services import document_withdraw
from tests.documents import samples
from tests.factories import DocumentFactory
from tests.pages import page_text


def test_the_documents_page_lists_them_with_what_they_are_attached_to(
    client_as, contract, monitoring_return, failure
):
    DocumentFactory(contract=contract, title="Signed contract", kind="signed_contract")
    DocumentFactory(contract=contract, title="Q1 return", attached_to=monitoring_return)
    DocumentFactory(
        contract=contract,
        title="Warning notice",
        attached_to=failure,
        filename="notice.docx",
        content=samples.DOCX,
    )
    client = client_as(Role.FINANCE_OFFICER)
    # The contract page says how many there are and links to them all.
    text = page_text(client.get(contract.get_absolute_url()))
    section = text.split("Documents", 1)[1]
    assert section.startswith(" 3 documents on this contract, the latest uploaded on ")
    assert "View all documents, including withdrawn ones." in section
    assert "upload a document" not in section

    text = page_text(client.get(reverse("documents:list", args=[contract.pk])))
    assert "Signed contract, download PDF" in text
    assert "Monitoring return, 1 Apr 2026 to 30 Jun 2026" in text
    assert "Performance failure from 3 May 2026" in text
    assert "Warning notice, download DOCX" in text


def test_a_withdrawn_document_is_not_counted_on_the_contract_page(client_as, contract):
    DocumentFactory(contract=contract, title="Current")
    superseded = DocumentFactory(contract=contract, title="Superseded")
    document_withdraw(document=superseded, by=None, reason="Replaced by the signed copy", version=1)
    text = page_text(client_as(Role.AUDITOR).get(contract.get_absolute_url()))
    assert "1 document on this contract" in text


def test_officers_are_offered_the_upload_link(client_as, contract):
    response = client_as(Role.COMMISSIONING_OFFICER).get(contract.get_absolute_url())
    assert reverse("documents:add", args=[contract.pk]) in response.text
    assert "No documents yet" in page_text(response)


def test_a_return_or_failure_page_can_list_what_is_attached(contract, monitoring_return):
    DocumentFactory(contract=contract, title="Attached", attached_to=monitoring_return)
    DocumentFactory(contract=contract, title="On the contract")
    html = Template(
        "{% load documents_tags %}{% attached_documents record as documents %}"
        "{% for d in documents %}{{ d.title }};{% endfor %}"
    ).render(Context({"record": monitoring_return}))
    assert html == "Attached;"
