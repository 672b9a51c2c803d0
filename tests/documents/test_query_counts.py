"""The documents list, the contract page's documents section and the
download log cost the same number of queries however many documents,
attachments, uploaders and downloads there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from documents.services import document_withdraw, download_record
from tests.factories import DocumentFactory, UserFactory

# Each size has documents of every kind: on the contract, a return, a failure.
SMALL, LARGE = 3, 12


def fill(contract, make_return, failure, size):
    """`size` documents by different people: some on the contract, some on
    returns, some on the failure, one in three withdrawn, each downloaded."""
    from documents.models import Document

    already = Document.objects.count()
    for n in range(already, already + size):
        by = UserFactory(role=Role.COMMISSIONING_OFFICER)
        attached_to = [
            None,
            make_return(contract, datetime.date(2020, 1, 1) + datetime.timedelta(days=100 * n)),
            failure,
        ][n % 3]
        document = DocumentFactory(contract=contract, by=by, attached_to=attached_to)
        if n % 3 == 2:
            document_withdraw(document=document, by=by, reason="Replaced", version=1)
        download_record(document=document, by=by, ip_address="192.0.2.1")


def count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.text


@pytest.mark.parametrize("page", ["documents:list", "documents:downloads", "contracts:detail"])
def test_the_query_count_is_flat(client_as, contract, make_return, failure, page):
    client = client_as(Role.ADMINISTRATOR)
    url = reverse(page, args=[contract.pk])
    fill(contract, make_return, failure, SMALL)
    small, _ = count(client, url)
    fill(contract, make_return, failure, LARGE - SMALL)
    large, html = count(client, url)
    assert small == large
    if page == "documents:list":
        assert html.count("/download/") >= LARGE * 2 // 3
    if page == "contracts:detail":
        # The contract page counts them and links to them all.
        assert "/download/" not in html
        assert "documents on this contract, the latest uploaded on" in html
        assert reverse("documents:list", args=[contract.pk]) in html


def test_the_contract_page_section_costs_at_most_three_queries(
    client_as, contract, make_return, failure
):
    client = client_as(Role.AUDITOR)
    url = contract.get_absolute_url()
    without, _ = count(client, url)
    fill(contract, make_return, failure, LARGE)
    with_documents, _ = count(client, url)
    # The documents, then the returns and the failure they are attached to.
    assert with_documents - without <= 2
