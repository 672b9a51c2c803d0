"""Budget lines: a list per financial year, chosen from a list of years;
added, corrected and removed by finance officers and administrators, each
change with its reason kept in the line's history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.concurrency import StaleEdit
from core.roles import Role
from finance import services
from finance.models import BudgetLine
from finance.years import FinancialYear
from tests.html_forms import form_data
from tests.pages import page_text

CHANGERS = {Role.FINANCE_OFFICER, Role.ADMINISTRATOR}
VIEWERS = {
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.AUDITOR,
} | CHANGERS
LIST = reverse("finance:budget_line_list")


@pytest.fixture
def now(time_machine):
    time_machine.move_to("2026-11-16 09:00 +00:00")


@pytest.fixture
def line(db, now):
    return services.budget_line_add(
        by=None,
        financial_year=2026,
        service_area="supported_living",
        funder="council",
        description="Gross council budget",
        amount=Decimal("1000000.00"),
    )


def test_financial_years_are_named_as_govuk_writes_them():
    assert FinancialYear(2026).name == "2026 to 2027"


def test_the_years_offered_include_a_records_own_year_outside_the_range():
    from datetime import date

    years = FinancialYear.around(date(2026, 11, 16), before=1, after=1, including=[2019])
    assert [y.start_year for y in years] == [2019, 2025, 2026, 2027]


def test_the_list_shows_the_chosen_years_lines_only(line, client_as):
    services.budget_line_add(
        by=None,
        financial_year=2025,
        service_area="home_care",
        funder="icb",
        description="Last year's ICB money",
        amount=Decimal("5.00"),
    )
    page = client_as(Role.AUDITOR).get(LIST, {"year": "2026/27"})
    text = page_text(page)
    assert "Budget lines 2026 to 2027" in text
    assert "Gross council budget" in text
    assert "Last year's ICB money" not in text
    # Chosen from a list of financial years, never typed.
    assert '<option value="2025/26">2025 to 2026</option>' in page.content.decode()


@pytest.mark.parametrize("role", sorted(VIEWERS, key=str), ids=lambda r: r.value)
def test_only_finance_officers_and_administrators_see_change_and_remove(line, client_as, role):
    text = page_text(client_as(role).get(LIST, {"year": "2026/27"}))
    assert "Gross council budget" in text
    offered = "Change" in text.split("Changes to these")[0] and "Remove" in text
    assert offered == (role in CHANGERS)
    assert ("Add a budget line" in text) == (role in CHANGERS)


def test_the_add_form_offers_the_financial_years_to_choose_from(db, now, client_as):
    page = client_as(Role.FINANCE_OFFICER).get(
        reverse("finance:budget_line_create"), {"year": "2027/28"}
    )
    html = page.content.decode()
    assert '<option value="2027" selected>2027 to 2028</option>' in html
    assert 'name="financial_year" type="text"' not in html


def test_a_finance_officer_corrects_a_budget_line_giving_a_reason(line, client_as):
    officer = client_as(Role.FINANCE_OFFICER)
    url = reverse("finance:budget_line_edit", args=[line.pk])
    form = form_data(officer.get(url).content.decode(), having="reason")
    assert form["financial_year"] == "2026"
    refused = officer.post(url, {**form, "amount": "1200000.00", "reason": ""})
    assert "Enter why you are changing the budget line" in page_text(refused)
    line.refresh_from_db()
    assert line.amount == Decimal("1000000.00")

    done = officer.post(
        url, {**form, "amount": "1200000.00", "reason": "Cabinet agreed the growth bid"}
    )
    assert done.url == LIST + "?year=2026/27"
    line.refresh_from_db()
    assert line.amount == Decimal("1200000.00")
    latest = line.history.latest()
    assert latest.history_change_reason == "Cabinet agreed the growth bid"
    assert latest.history_user is not None
    text = page_text(officer.get(done.url))
    assert "Changed" in text and "Cabinet agreed the growth bid" in text
    assert "£1,200,000.00" in text


def test_a_line_moved_to_another_year_says_so_in_the_years_changes(line, client_as):
    officer = client_as(Role.FINANCE_OFFICER)
    url = reverse("finance:budget_line_edit", args=[line.pk])
    form = form_data(officer.get(url).content.decode(), having="reason")
    officer.post(url, {**form, "financial_year": "2027", "reason": "Entered in the wrong year"})
    text = page_text(officer.get(LIST, {"year": "2026/27"}))
    assert "No budget lines are recorded for 2026 to 2027" in text
    assert "(now in 2027 to 2028)" in text
    assert "Entered in the wrong year" in text


def test_removing_a_budget_line_asks_for_confirmation_and_a_reason(line, client_as):
    officer = client_as(Role.FINANCE_OFFICER)
    url = reverse("finance:budget_line_remove", args=[line.pk])
    page = officer.get(url)
    text = page_text(page)
    assert "Are you sure you want to remove this budget line?" in text
    assert "£1,000,000.00" in text
    form = form_data(page.content.decode(), having="reason")
    refused = officer.post(url, form)
    assert "Enter why you are removing the budget line" in page_text(refused)
    assert BudgetLine.objects.filter(pk=line.pk).exists()

    done = officer.post(url, {**form, "reason": "Duplicate of the ICB line"})
    assert done.url == LIST + "?year=2026/27"
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    removal = BudgetLine.history.filter(id=line.pk).latest()
    assert removal.history_type == "-"
    assert removal.history_change_reason == "Duplicate of the ICB line"
    text = page_text(officer.get(done.url))
    assert "Removed" in text and "Duplicate of the ICB line" in text


@pytest.mark.parametrize("name", ["budget_line_edit", "budget_line_remove"])
@pytest.mark.parametrize(
    "role", [Role.COMMISSIONING_OFFICER, Role.APPROVING_MANAGER, Role.AUDITOR], ids=str
)
def test_others_cannot_change_or_remove_a_budget_line(line, client_as, name, role):
    url = reverse(f"finance:{name}", args=[line.pk])
    client = client_as(role)
    assert client.get(url).status_code == 403
    response = client.post(url, {"reason": "Because", "amount": "1", "version": line.version})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.amount == Decimal("1000000.00")


def test_a_correction_from_a_page_opened_before_another_is_refused(line):
    services.budget_line_update(
        line=line,
        by=None,
        reason="First",
        version=1,
        financial_year=2026,
        service_area="supported_living",
        funder="council",
        description="Gross council budget",
        amount=Decimal("1.00"),
    )
    with pytest.raises(StaleEdit):
        services.budget_line_remove(line=line, by=None, reason="Second", version=1)


def test_a_correction_that_duplicates_another_line_is_refused(line):
    other = services.budget_line_add(
        by=None,
        financial_year=2026,
        service_area="supported_living",
        funder="icb",
        description="Gross council budget",
        amount=Decimal("2.00"),
    )
    with pytest.raises(services.FinanceError, match="already recorded"):
        services.budget_line_update(
            line=other,
            by=None,
            reason="Typo",
            financial_year=2026,
            service_area="supported_living",
            funder="council",
            description="Gross council budget",
            amount=Decimal("2.00"),
        )
