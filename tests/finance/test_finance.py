"""Finance pages, the cabinet summary PDF from the demo data, ISFs and
budgets as users see them."""

import io
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.roles import Role
from finance import selectors
from finance.models import BudgetLine, BudgetReview, CabinetReport, Resident, Scheme
from finance.years import FinancialYear
from tests.conftest import celery_pointed_at
from tests.factories import ContractFactory, ProviderFactory


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # load_demo_data refuses to run with DEBUG off
    call_command("load_demo_data", stdout=io.StringIO())


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_cabinet_summary_pdf_reproduces_the_ilss_appendix(demo, tmp_path):
    out = tmp_path / "out.pdf"
    call_command(
        "cabinet_summary",
        "--recommissioning",
        "ilss-2019",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    lines = pdf_text(out).splitlines()

    def line_with(*words):
        return next(line for line in lines if all(w in line for w in words))

    assert "£491,804 p.a." in line_with("Sixty Plus", "£357,148")
    assert "£54,645 p.a." in line_with("Sixty Plus")
    assert "£3,442,628" in line_with("Sixty Plus")
    assert "£40,404 p.a." in line_with("LD ILSS", "£404,039")
    total = line_with("Total")
    for figure in ("£950,488", "£855,439", "£5,988,073", "£95,049"):
        assert figure in total
    # The papers' 01/07/2019 - 30/06/2026, moved with the demo (decision 33).
    from contracts.models import Contract

    ilss = Contract.objects.get(reference="ILSS-2019-01")
    assert f"{ilss.start_date:%d/%m/%Y} – {ilss.max_end_date:%d/%m/%Y}" in "\n".join(lines)
    assert "Page 1 of 1" in "\n".join(lines)
    assert "Demonstration Council" in lines[0]

    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(out), str(png)], check=True
    )
    from PIL import Image

    image = Image.open(f"{png}-1.png").convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 1000, "page 1 is blank"


def test_the_same_summary_as_csv_and_excel(demo, tmp_path):
    from openpyxl import load_workbook

    csv_path, xlsx_path = tmp_path / "out.csv", tmp_path / "out.xlsx"
    for path in (csv_path, xlsx_path):
        call_command(
            "cabinet_summary",
            "--recommissioning",
            "ilss-2019",
            "--output",
            str(path),
            stdout=io.StringIO(),
        )
    assert "Total,950488.00,,855439.00,5988073.00,95049.00," in csv_path.read_text("utf-8-sig")
    sheet = load_workbook(xlsx_path).active
    total = [c.value for c in sheet[sheet.max_row]]
    assert total[:6] == ["Total", 950488, None, 855439, 5988073, 95049]


def test_an_unknown_recommissioning_is_named(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No recommissioning 'nope'"):
        call_command("cabinet_summary", "--recommissioning", "nope", "--output", "x.pdf")


def test_a_contract_from_1_july_2019_commits_275_of_366_days_to_2019_20(db):
    contract = ContractFactory(
        start_date=date(2019, 7, 1),
        term="3+2+2",
        annual_value=Decimal("366000.00"),
    )
    committed = selectors.contract_by_year(contract)
    assert committed[FinancialYear(2019)] == Decimal("275000.00")
    assert sum(committed.values()) == Decimal(366000 * 3)
    forecast = selectors.contract_by_year(contract, forecast=True)
    assert sum(forecast.values()) == Decimal(366000 * 7)


def test_an_over_committed_budget_line_shows_as_such(db, client_as):
    ContractFactory(
        service_area="home_care",
        start_date=date(2025, 4, 1),
        term="3",
        annual_value=Decimal("500000.00"),
    )
    BudgetLine.objects.create(
        financial_year=2025, service_area="home_care", amount=Decimal("400000.00")
    )
    BudgetLine.objects.create(financial_year=2025, service_area="ilss", amount=Decimal("100000.00"))
    rows = {r.service_area: r for r in selectors.budget_overview(FinancialYear(2025))}
    assert rows["home_care"].over_committed
    assert rows["home_care"].headroom == Decimal("-100000.00")
    assert not rows["ilss"].over_committed
    page = client_as(Role.FINANCE_OFFICER).get(reverse("finance:overview"), {"year": "2025/26"})
    assert page.text.count("Over-committed") == 1
    assert "-£100,000.00" in page.text


def test_the_islington_scheme_page_splits_core_support_and_isf(db, client_as):
    scheme = Scheme.objects.create(
        reference="ISL-1",
        name="Ten flats",
        provider=ProviderFactory(),
        core_support_weekly=Decimal("1000.00"),
    )
    for n in range(10):
        Resident.objects.create(scheme=scheme, reference=f"R{n}", weekly_budget=Decimal(500))
    page = client_as(Role.AUDITOR).get(reverse("finance:scheme", args=[scheme.pk]))
    assert page.context["totals"]["virtual_budget"] == Decimal("1000.00")
    assert page.context["totals"]["isf"] == Decimal("4000.00")
    assert page.context["value"] == Decimal("5000.00")
    assert "£400.00" in page.text


def test_a_renegotiated_budget_keeps_the_review_that_justified_it(db, client_as):
    scheme = Scheme.objects.create(
        reference="ISL-1",
        name="Ten flats",
        provider=ProviderFactory(),
        core_support_weekly=Decimal("1000.00"),
    )
    resident = Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=Decimal(500))
    for n in range(2, 11):
        Resident.objects.create(scheme=scheme, reference=f"R{n}", weekly_budget=Decimal(500))
    officer = client_as(Role.COMMISSIONING_OFFICER)
    url = reverse("finance:resident_review", args=[resident.pk])
    refused = officer.post(
        url,
        {
            "new_budget": "50",
            "review_reference": "CM-1",
            "reviewed_on_0": "1",
            "reviewed_on_1": "10",
            "reviewed_on_2": "2026",
            "reason": "Less support",
            "version": resident.version,
        },
    )
    assert "less than their share of core support" in refused.text
    done = officer.post(
        url,
        {
            "new_budget": "620",
            "review_reference": "CM-2",
            "reviewed_on_0": "1",
            "reviewed_on_1": "10",
            "reviewed_on_2": "2026",
            "reason": "Needs increased",
            "version": resident.version,
        },
    )
    assert done.status_code == 302, done.context["form"].errors
    review = BudgetReview.objects.get()
    assert (review.previous_budget, review.new_budget) == (Decimal(500), Decimal(620))
    resident.refresh_from_db()
    assert resident.weekly_budget == Decimal(620)


def test_a_cabinet_report_for_a_set_of_contracts_is_prepared_and_downloaded(
    db, client_as, django_capture_on_commit_callbacks
):
    for n in range(3):
        ContractFactory(
            service_area="home_care",
            start_date=date(2026, 1, 1),
            term="3",
            annual_value=Decimal(1000 + n),
        )
    officer = client_as(Role.FINANCE_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("finance:report_create"),
            {"service_area": "home_care", "title": "Home care contracts"},
        )
    report = CabinetReport.objects.get()
    assert response.url == reverse("finance:report", args=[report.pk])
    assert report.status == "done" and report.progress == 100
    page = officer.get(response.url)
    assert "Download the report (PDF, 3 contracts)" in page.text
    download = officer.get(reverse("finance:report_download", args=[report.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_scheme_whose_budgets_cannot_cover_core_support_says_so(db, client_as):
    scheme = Scheme.objects.create(
        reference="ISL-2",
        name="Two flats",
        provider=ProviderFactory(),
        core_support_weekly=Decimal("1000.00"),
    )
    Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=Decimal(300))
    page = client_as(Role.FINANCE_OFFICER).get(reverse("finance:scheme", args=[scheme.pk]))
    assert page.status_code == 200
    assert "The budgets cannot be split" in page.text


def test_a_finance_officer_adds_a_budget_line_for_a_joint_commissioning_partner(db, client_as):
    officer = client_as(Role.FINANCE_OFFICER)
    url = reverse("finance:budget_line_create")
    form = {
        "financial_year": "2025",
        "service_area": "supported_living",
        "funder": "icb",
        "description": "ICB-funded packages",
        "amount": "4150000.00",
    }
    assert "Select the financial year" in officer.post(url, {**form, "financial_year": ""}).text
    response = officer.post(url, form)
    assert response.url == reverse("finance:budget_line_list") + "?year=2025/26"
    assert BudgetLine.objects.get().funder == "icb"
    again = officer.post(url, form)
    assert "already recorded" in again.text
    assert BudgetLine.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "term", "uplift"),
    [
        (date(2019, 7, 1), "18m", "0"),
        (date(2020, 1, 1), "18m", "0"),
        (date(2021, 1, 31), "13m", "0"),
        (date(2019, 7, 1), "3+2+2", "3"),
        (date(2020, 2, 29), "30m+6m+6m", "2.5"),
    ],
)
def test_the_years_add_up_to_the_registers_value_for_the_same_contract(db, start, term, uplift):
    from contracts import terms

    contract = ContractFactory(
        start_date=start,
        term=term,
        annual_value=Decimal("120000.00"),
        uplift_percent=Decimal(uplift),
    )
    parsed = terms.Term.parse(contract.term)
    committed = selectors.contract_by_year(contract)
    assert sum(committed.values()) == terms.value_to(
        parsed, contract.annual_value, 0, contract.uplift_percent
    )
    forecast = selectors.contract_by_year(contract, forecast=True)
    assert sum(forecast.values()) == contract.whole_life_value


def test_a_terminated_contract_commits_nothing_after_its_last_day(db):
    from contracts import services

    contract = ContractFactory(
        start_date=date(2024, 4, 1), term="3", annual_value=Decimal("365000.00")
    )
    services.contract_terminate(
        contract=contract, by=None, terminated_on=date(2025, 9, 30), reason="Provider failure"
    )
    contract.refresh_from_db()
    committed = selectors.contract_by_year(contract)
    assert FinancialYear(2026) not in committed
    # 2025/26: 1 April to 30 September is 183 of the 365 days of that contract year.
    assert committed[FinancialYear(2025)] == Decimal("183000.00")


def test_a_report_asked_for_while_redis_is_down_waits_and_starts_when_it_is_back(
    db, client_as, django_capture_on_commit_callbacks
):
    from core import outbox

    ContractFactory(service_area="home_care", start_date=date(2026, 1, 1), term="3")
    officer = client_as(Role.FINANCE_OFFICER)
    # A port where no Redis listens.
    with celery_pointed_at("redis://127.0.0.1:1/0"):
        with django_capture_on_commit_callbacks(execute=True):
            response = officer.post(
                reverse("finance:report_create"),
                {"service_area": "home_care", "title": "Home care"},
            )
        report = CabinetReport.objects.get()
        assert report.status == "queued"
        page = officer.get(response.url)
        assert "Waiting to start" in page.text
        assert "will start by itself when the service is back" in page.text
        assert "Try again" not in page.text

    # Redis is back (here: tasks run in this process) and the sweep runs.
    assert outbox.republish_due() == 1
    report.refresh_from_db()
    assert (report.status, report.progress) == ("done", 100)
    assert "Download the report (PDF, 1 contracts)" in officer.get(response.url).text


@pytest.mark.parametrize(
    ("status", "started_minutes_ago", "says"),
    [
        # Waiting through a long outage is not being lost.
        ("queued", None, "Waiting to start"),
        ("running", 5, "Being prepared"),
        # A worker died while preparing it.
        ("running", 16, "The report did not finish"),
    ],
)
def test_only_a_report_that_started_and_stalled_is_shown_as_lost(
    db, client_as, user_with_role, status, started_minutes_ago, says
):
    from django.test import Client
    from django.utils import timezone

    owner = user_with_role(Role.FINANCE_OFFICER)
    report = CabinetReport.objects.create(requested_by=owner, title="Mine", status=status)
    now = timezone.now()
    started = now - timedelta(minutes=started_minutes_ago) if started_minutes_ago else None
    CabinetReport.objects.filter(pk=report.pk).update(
        created_at=now - timedelta(hours=2), started_at=started
    )
    client = Client()
    client.force_login(owner)
    assert says in client.get(reverse("finance:report", args=[report.pk])).text


def test_nobody_sees_another_officers_report(db, client_as, user_with_role):
    owner = user_with_role(Role.FINANCE_OFFICER)
    report = CabinetReport.objects.create(requested_by=owner, title="Mine", status="done")
    other = client_as(Role.FINANCE_OFFICER)
    assert other.get(reverse("finance:report", args=[report.pk])).status_code == 404
    assert other.get(reverse("finance:report_download", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("year", ["0", "9999", "10000", "99999999999999999999", "abc"])
def test_a_nonsense_year_shows_the_current_year(db, client_as, year):
    page = client_as(Role.FINANCE_OFFICER).get(reverse("finance:overview"), {"year": year})
    assert page.status_code == 200
    assert page.context["year"] == FinancialYear.of(date.today())


def test_a_recommissioning_that_does_not_hang_together_is_explained_not_a_500(db, client_as):
    from finance.models import BaselineService, NewService, Recommissioning

    broken = Recommissioning.objects.create(
        slug="broken", title="Broken", term="3+x", start_date=date(2019, 7, 1)
    )
    officer = client_as(Role.FINANCE_OFFICER)
    assert "cannot be worked out" in officer.get(reverse("finance:recommissioning_list")).text
    assert "cannot be worked out" in officer.get(broken.get_absolute_url()).text
    download = officer.get(reverse("finance:cabinet_summary", args=["broken", "pdf"]))
    assert download.status_code == 409
    closing = Recommissioning.objects.create(
        slug="closing", title="Closing", term="3", start_date=date(2019, 7, 1)
    )
    BaselineService.objects.create(
        recommissioning=closing, name="Day centre", annual=Decimal("50000")
    )
    kept = BaselineService.objects.create(
        recommissioning=closing, name="Outreach", annual=Decimal("40000")
    )
    NewService.objects.create(
        recommissioning=closing, name="New outreach", annual=Decimal("35000")
    ).replaces.add(kept)
    page = officer.get(closing.get_absolute_url())
    assert "No replacement" in page.text
    assert page.context["data"].summary.saving_total == Decimal("55000")


def test_spreadsheets_never_run_what_was_typed(db):
    from finance import reports

    table = [["Name", "Value"], ['\t=HYPERLINK("http://x")', Decimal("1.00")]]
    assert "'\t=HYPERLINK" in reports.table_csv(table).decode("utf-8-sig")
    from openpyxl import load_workbook

    path = io.BytesIO(reports.table_xlsx(table, "ILSS: 2019/20 [draft]"))
    sheet = load_workbook(path).active
    assert sheet.title == "ILSS  2019 20  draft"
    assert sheet["A2"].data_type == "s"


def test_a_contribution_above_the_virtual_budget_is_flagged(db, client_as):
    scheme = Scheme.objects.create(
        reference="ISL-3",
        name="Flats",
        provider=ProviderFactory(),
        core_support_weekly=Decimal("100.00"),
    )
    Resident.objects.create(
        scheme=scheme, reference="R1", weekly_budget=Decimal(500), contribution=Decimal("150.00")
    )
    page = client_as(Role.FINANCE_OFFICER).get(reverse("finance:scheme", args=[scheme.pk]))
    assert "more than their virtual budget" in page.text


def test_a_review_cannot_be_dated_in_the_future(db):
    from finance import services

    scheme = Scheme.objects.create(
        reference="ISL-4",
        name="Flats",
        provider=ProviderFactory(),
        core_support_weekly=Decimal("100.00"),
    )
    resident = Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=Decimal(500))
    with pytest.raises(services.FinanceError, match="future"):
        services.resident_budget_renegotiate(
            resident=resident,
            by=None,
            new_budget=Decimal(600),
            review_reference="CM-9",
            reviewed_on=date(2090, 1, 1),
            reason="x",
        )


def test_joint_commissioning_headroom_is_shown_per_funder(db, client_as):
    # Sefton: the council and the ICB fund supported living jointly.
    ContractFactory(
        service_area="supported_living",
        start_date=date(2025, 4, 1),
        term="3",
        annual_value=Decimal("1000000.00"),
        council_share_percent=Decimal(60),
        icb_share_percent=Decimal(40),
    )
    BudgetLine.objects.create(
        financial_year=2025,
        service_area="supported_living",
        funder="council",
        amount=Decimal("700000.00"),
    )
    BudgetLine.objects.create(
        financial_year=2025,
        service_area="supported_living",
        funder="icb",
        amount=Decimal("350000.00"),
    )
    [row] = selectors.budget_overview(FinancialYear(2025))
    council, icb, _ = row.funders
    assert (council.committed, council.headroom) == (Decimal("600000.00"), Decimal("100000.00"))
    assert (icb.committed, icb.headroom) == (Decimal("400000.00"), Decimal("-50000.00"))
    assert icb.over_committed and not row.over_committed
