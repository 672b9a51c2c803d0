"""Nothing a user sees is kept in a browser's or proxy's cache.

Every page for every role, the provider's private bid page among them, is
checked in test_permission_matrix; here, each kind of download (CSV, Excel,
PDF), and the static files, which stay cacheable.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.roles import Role
from finance.models import CabinetReport
from tests.factories import ContractFactory, UserFactory


def assert_not_stored(response):
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert "private" in response["Cache-Control"]


@pytest.fixture
def finance_officer(db):
    return UserFactory(role=Role.FINANCE_OFFICER)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_register_exports_are_not_stored(client, finance_officer, fmt):
    ContractFactory()
    client.force_login(finance_officer)
    assert_not_stored(client.get(reverse("contracts:export", args=[fmt])))


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx"])
def test_cabinet_report_downloads_are_not_stored(client, finance_officer, fmt):
    contract = ContractFactory()
    report = CabinetReport.objects.create(
        requested_by=finance_officer, title="ILSS", status="done", contract_ids=[contract.pk]
    )
    report.file.save("report.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(finance_officer)
    response = client.get(reverse("finance:report_download", args=[report.pk]), {"format": fmt})
    assert_not_stored(response)


def test_a_signed_in_page_is_not_stored(client, finance_officer):
    client.force_login(finance_officer)
    assert_not_stored(client.get(reverse("finance:scheme_list")))


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/govuk/govuk-frontend.min.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
