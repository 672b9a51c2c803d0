"""The register's downloads: streamed, and they open whatever is stored."""

import csv
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract
from core.roles import Role
from tests.factories import ContractFactory, ProviderFactory

# Control characters PostgreSQL text can hold (it cannot hold NUL) and XML,
# so Excel, cannot: pasted in from other systems before input refused them.
STORED = "Day\x01 care\x0b services\x1f"


def download(client, fmt, **filters):
    response = client.get(reverse("contracts:export", args=[fmt]), filters)
    assert response.status_code == 200
    assert response.streaming, "the whole file was built in memory first"
    return b"".join(response.streaming_content)


def test_the_register_downloads_even_with_control_characters_stored(client_as):
    contract = ContractFactory(reference="CC-1")
    Contract.objects.filter(pk=contract.pk).update(
        title=STORED, description='\x01=HYPERLINK("http://x")'
    )
    client = client_as(Role.AUDITOR)

    sheet = load_workbook(io.BytesIO(download(client, "xlsx"))).active
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["Title of agreement"] == "Day care services"
    # Dropping the character must not let a formula through.
    assert values["Description of the goods and/or services being provided"].startswith("'=")

    rows = list(csv.DictReader(io.StringIO(download(client, "csv").decode("utf-8"))))
    assert rows[0]["Title of agreement"] == "Day care services"
    assert rows[0]["Description of the goods and/or services being provided"].startswith("'=")


def test_the_csv_download_lists_every_supplier_of_a_shared_award(client_as):
    contract = ContractFactory(
        reference="SH-1",
        provider=ProviderFactory(legal_name="Arch Futures Ltd", town="Bootle"),
        annual_value=Decimal("1000.00"),
    )
    contract.additional_providers.add(
        ProviderFactory(legal_name="Beacon Care", is_sme=True, charity_number="1234567")
    )
    ContractFactory(reference="SOLO-1", provider=None)
    rows = {
        r["Reference number"]: r
        for r in csv.DictReader(
            io.StringIO(download(client_as(Role.AUDITOR), "csv").decode("utf-8"))
        )
    }
    shared = rows["SH-1"]
    assert shared["Supplier name and details"].startswith("Arch Futures Ltd, Bootle")
    assert "; Beacon Care" in shared["Supplier name and details"]
    assert shared["Supplier is an SME"] == "Yes"
    assert shared["Supplier registration number"].endswith("1234567")
    assert shared["Estimated annual spending"] == "1000.00"
    assert rows["SOLO-1"]["Supplier name and details"] == ""
