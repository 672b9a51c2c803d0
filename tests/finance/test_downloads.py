"""Finance downloads open whatever is stored in the register."""

import csv
import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract
from core.roles import Role
from finance.models import CabinetReport, ReportStatus
from tests.factories import ContractFactory


def test_a_cabinet_report_downloads_even_with_control_characters_stored(db, user_with_role):
    from django.test import Client

    contract = ContractFactory(reference="CC-1", start_date=date(2026, 1, 1), term="3")
    Contract.objects.filter(pk=contract.pk).update(title="Day\x01 care\x0b\x1f")
    user = user_with_role(Role.FINANCE_OFFICER)
    report = CabinetReport.objects.create(
        requested_by=user,
        title="Home care\x01 [draft]",
        contract_ids=[contract.pk],
        status=ReportStatus.DONE,
    )
    client = Client()
    client.force_login(user)
    url = reverse("finance:report_download", args=[report.pk])

    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Home care  draft"
    assert sheet["B2"].value == "Day care"

    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1] == "Day care"
