from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.constants import ExtensionStatus
from contracts.models import Contract
from core.roles import Role
from tests.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")


def names(response):
    return [c["reference"] for c in response.context["object_list"]]


def test_officer_adds_a_contract_and_sees_the_derived_dates(client_as, user_with_role):
    client = client_as(Role.COMMISSIONING_OFFICER)
    owner = user_with_role(Role.COMMISSIONING_OFFICER)
    provider = ProviderFactory()
    response = client.post(
        reverse("contracts:create"),
        {
            "reference": "ILSS-1",
            "title": "Mainstream ASC ILSS",
            "service_area": "ilss",
            "client_group": "mixed",
            "provider": provider.pk,
            "owner": owner.pk,
            "start_date_0": "1",
            "start_date_1": "7",
            "start_date_2": "2019",
            "term": "3 + 2 + 2",
            "notice_months": "3",
            "annual_value": "491804",
            "uplift_percent": "0",
            "council_share_percent": "100",
            "icb_share_percent": "0",
            "other_share_percent": "0",
            "procurement_route": "open_tender",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "ILSS-1 added to the register" in html
    contract = Contract.objects.get()
    assert contract.term == "3+2+2"
    assert contract.max_end_date == date(2026, 6, 30)
    assert contract.whole_life_value == Decimal("3442628.00")
    assert "30 June 2026" in html
    assert "£3,442,628.00" in html


def test_bad_term_is_explained_and_nothing_saved(client_as):
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:create"), {"term": "three years", "reference": "X"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the term like 3+2+2" in html
    assert not Contract.objects.exists()


def test_register_filters(client_as):
    ContractFactory(reference="A", service_area="home_care", annual_value=Decimal("50000"))
    ContractFactory(reference="B", service_area="ilss", annual_value=Decimal("600000"))
    ContractFactory(
        reference="C", start_date=date(2023, 4, 1), term="3", annual_value=Decimal("200000")
    )
    client = client_as(Role.AUDITOR)
    url = reverse("contracts:list")
    assert names(client.get(url, {"service_area": "ilss"})) == ["B"]
    assert names(client.get(url, {"value_band": "500k_1m"})) == ["B"]
    assert names(client.get(url, {"value_band": "under_100k"})) == ["A"]
    # C ends 31 March 2026: ending, and within 3 months.
    assert names(client.get(url, {"status": "ending"})) == ["C"]
    assert names(client.get(url, {"ending_within": "3"})) == ["C"]
    assert names(client.get(url, {"q": "b"})) == ["B"]
    assert names(client.get(url, {"sort": "-value"})) == ["B", "C", "A"]


def test_register_query_count_is_flat(client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.AUDITOR)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("contracts:list"))
        return len(captured)

    ContractFactory()
    one = count()
    ContractFactory.create_batch(20)
    assert count() == one


def test_export_from_the_register_keeps_the_filters(client_as):
    ContractFactory(reference="A", service_area="home_care")
    ContractFactory(reference="B", service_area="ilss")
    response = client_as(Role.FINANCE_OFFICER).get(
        reverse("contracts:export", args=["csv"]), {"service_area": "ilss"}
    )
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\nB," in body
    assert "\nA," not in body
    xlsx = client_as(Role.FINANCE_OFFICER).get(reverse("contracts:export", args=["xlsx"]))
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_detail_shows_the_timeline_as_text(client_as):
    contract = ContractFactory(term="3+1+1")
    html = client_as(Role.AUDITOR).get(contract.get_absolute_url()).content.decode()
    assert "Initial period" in html
    assert "Option 1" in html
    assert "Option 2" in html
    assert "1 Apr 2024 to 31 Mar 2027" in html
    assert "Available" in html


def test_extension_journey_through_the_pages(client_as, user_with_role):
    contract = ContractFactory(term="3+1+1", annual_value=Decimal("100000"))
    officer = client_as(Role.COMMISSIONING_OFFICER)
    response = officer.post(
        reverse("contracts:extension_request", args=[contract.pk]),
        {"options_requested": "1", "justification": "KPIs met"},
        follow=True,
    )
    assert "sent for a decision" in response.content.decode()
    request = contract.extensions.get()

    manager = client_as(Role.APPROVING_MANAGER)
    page = manager.get(reverse("contracts:extension_decide", args=[contract.pk, request.pk]))
    assert "£250,000.00" in page.content.decode()
    response = manager.post(
        reverse("contracts:extension_decide", args=[contract.pk, request.pk]),
        {"decision": "approve", "reason": "Good value", "approved_despite": "For the test"},
        follow=True,
    )
    assert "Decision recorded: approved" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED
    contract.refresh_from_db()
    assert contract.current_end_date == date(2028, 3, 31)


def test_over_limit_approval_shows_why_and_changes_nothing(client_as):
    contract = ContractFactory(term="3+1+1", annual_value=Decimal("900000"))
    client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:extension_request", args=[contract.pk]),
        {"options_requested": "1", "justification": "KPIs met"},
    )
    request = contract.extensions.get()
    manager = client_as(Role.APPROVING_MANAGER)
    url = reverse("contracts:extension_decide", args=[contract.pk, request.pk])
    page = manager.get(url).content.decode()
    assert "more than your delegated authority" in page
    assert "Approve the extension" not in page
    response = manager.post(
        url, {"decision": "approve", "reason": "Good", "approved_despite": "For the test"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    request.refresh_from_db()
    assert request.status == ExtensionStatus.PENDING


def test_terminate_through_the_page(client_as):
    contract = ContractFactory()
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:terminate", args=[contract.pk]),
        {
            "terminated_on_0": "30",
            "terminated_on_1": "6",
            "terminated_on_2": "2026",
            "reason": "Provider leaving the market",
        },
        follow=True,
    )
    assert "will end on 30 June 2026" in response.content.decode()
    contract.refresh_from_db()
    assert contract.terminated_on == date(2026, 6, 30)


def test_history_lists_decisions(client_as):
    contract = ContractFactory()
    client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:extension_request", args=[contract.pk]),
        {"options_requested": "1", "justification": "KPIs met"},
    )
    html = client_as(Role.AUDITOR).get(reverse("contracts:history", args=[contract.pk])).content
    assert b"Extension requested" in html
    assert b"Contract added" in html


def test_provider_filter_finds_lead_and_shared_contracts(client_as):
    lead = ProviderFactory(legal_name="Alder Care Ltd", companies_house_number="01068186")
    shared = ContractFactory(reference="FW-1")
    shared.additional_providers.add(lead)
    ContractFactory(reference="SL-1", provider=lead)
    ContractFactory(reference="OTHER")
    client = client_as(Role.AUDITOR)
    url = reverse("contracts:list")
    assert sorted(names(client.get(url, {"provider": "alder"}))) == ["FW-1", "SL-1"]
    assert sorted(names(client.get(url, {"provider": "0106 8186"}))) == ["FW-1", "SL-1"]


def test_contract_links_match_the_url_configuration():
    contract = ContractFactory()
    assert contract.get_absolute_url() == reverse("contracts:detail", args=[contract.pk])


def test_owner_filter(client_as, user_with_role):
    lisa = user_with_role(Role.COMMISSIONING_OFFICER, first_name="Lisa", last_name="Lopez")
    ContractFactory(reference="MINE", owner=lisa)
    ContractFactory(reference="NOT-MINE")
    client = client_as(Role.AUDITOR)
    page = client.get(reverse("contracts:list"), {"owner": lisa.pk})
    assert names(page) == ["MINE"]
    assert "Lisa Lopez" in page.content.decode()


def test_officer_records_options_taken_before_the_register(client_as):
    # Added in 2026; its first option's deadline was 31 December 2021.
    contract = ContractFactory(start_date=date(2019, 4, 1), term="3+1+1")
    client = client_as(Role.COMMISSIONING_OFFICER)
    detail = client.get(contract.get_absolute_url()).content.decode()
    assert "Deadline passed: decision not recorded" in detail
    assert "Record which options were taken" in detail
    response = client.post(
        reverse("contracts:earlier_options", args=[contract.pk]),
        {"options_taken": "1", "rest_not_taken": "on", "note": "Variation signed 2021"},
        follow=True,
    )
    assert "now ends on 31 March 2023" in response.content.decode()
    contract.refresh_from_db()
    assert contract.options_taken == 1
    assert contract.options_closed


def test_open_options_cannot_be_recorded_as_earlier(client_as):
    contract = ContractFactory(start_date=date(2025, 4, 1), term="3+1+1")
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        reverse("contracts:earlier_options", args=[contract.pk]), {"options_taken": "1"}
    )
    assert "take it through an extension request" in response.content.decode()
    contract.refresh_from_db()
    assert contract.options_taken == 0
