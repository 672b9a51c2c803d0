"""The KPI and return pages as each role sees them: officers and
administrators change KPIs and record and review returns; anyone who may
view the contract sees them; a refusal or a bad input changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.terms import add_months, period_end
from core.roles import Role
from performance.models import Kpi, KpiTemplate, MonitoringReturn, Review
from tests.factories import ContractFactory
from tests.html_forms import form_data
from tests.pages import page_text
from tests.performance.helpers import add_kpi, kpi_fields, record, review

MANAGERS = {Role.COMMISSIONING_OFFICER, Role.ADMINISTRATOR}
VIEWERS = MANAGERS | {
    Role.PROCUREMENT_OFFICER,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.AUDITOR,
}
ROLES = list(Role)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2025-12-01 10:00 +00:00")


@pytest.fixture
def contract(db):
    contract = ContractFactory(title="Riverside supported living")
    add_kpi(contract, name="Tenancies <sustained>", target=Decimal(95), tolerance=Decimal(3))
    add_kpi(contract, name="Medication errors", unit="errors", target=Decimal(2),
            direction="lower", tolerance=Decimal(1))  # fmt: skip
    return contract


def url(name, *args):
    return reverse(f"performance:{name}", args=args)


def kpi_post(**overrides):
    fields = kpi_fields(**overrides)
    return {k: ("on" if v is True else "" if v is False else str(v)) for k, v in fields.items()}


def period_post(start: date, end: date) -> dict:
    return {
        "period_start_0": start.day, "period_start_1": start.month, "period_start_2": start.year,
        "period_end_0": end.day, "period_end_1": end.month, "period_end_2": end.year,
    }  # fmt: skip


def review_post(rating="good", on=date(2025, 11, 20), **extra):
    return {
        "overall_rating": rating,
        "reviewed_on_0": on.day,
        "reviewed_on_1": on.month,
        "reviewed_on_2": on.year,
        **extra,
    }


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_the_kpi_list_shows_to_viewers_with_actions_only_for_managers(client_as, contract, role):
    response = client_as(role).get(url("kpi_list", contract.pk))
    if role not in VIEWERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    text = page_text(response)
    assert "Tenancies <sustained>" in text
    assert "95%, higher is better (amber within 3)" in text
    assert ("Set KPIs from a template" in text) == (role in MANAGERS)
    assert ("Record a return" in text) == (role in MANAGERS)


def test_the_contract_page_links_to_the_kpis(client_as, contract):
    response = client_as(Role.AUDITOR).get(contract.get_absolute_url())
    assert url("kpi_list", contract.pk) in response.content.decode()
    assert url("return_add", contract.pk) not in response.content.decode()
    officer = client_as(Role.COMMISSIONING_OFFICER).get(contract.get_absolute_url())
    assert url("return_add", contract.pk) in officer.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_only_managers_may_add_a_kpi(client_as, contract, role):
    response = client_as(role).post(url("kpi_add", contract.pk), kpi_post(name="Outcomes"))
    if role in MANAGERS:
        assert response.status_code == 302
        assert contract.kpis.filter(name="Outcomes").exists()
    else:
        assert response.status_code == 403
        assert not contract.kpis.filter(name="Outcomes").exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": ""}, "Enter the KPI's name"),
        ({"target": "ninety"}, "Enter the target as a number"),
        ({"tolerance": "-2"}, "The tolerance cannot be negative"),
        ({"direction": ""}, "Select whether higher or lower is better"),
        ({"name": "medication errors"}, "already has a KPI called"),
    ],
)
def test_bad_kpi_input_is_shown_and_changes_nothing(client_as, contract, change, error):
    before = list(Kpi.objects.values_list("pk", "version"))
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        url("kpi_add", contract.pk), {**kpi_post(name="New KPI"), **change}
    )
    assert response.status_code == 200
    assert error in page_text(response)
    assert "There is a problem" in page_text(response)
    assert list(Kpi.objects.values_list("pk", "version")) == before


def test_editing_a_kpi_carries_its_version_and_a_stale_copy_is_refused(client_as, contract):
    kpi = contract.kpis.get(name="Medication errors")
    officer = client_as(Role.COMMISSIONING_OFFICER)
    page = officer.get(url("kpi_edit", contract.pk, kpi.pk))
    data = form_data(page.content.decode(), having="version")
    response = officer.post(url("kpi_edit", contract.pk, kpi.pk), {**data, "target": "3"})
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.target, kpi.version) == (Decimal(3), 2)
    stale = officer.post(url("kpi_edit", contract.pk, kpi.pk), {**data, "target": "4"})
    assert stale.status_code == 200
    assert "since you opened it" in page_text(stale)
    kpi.refresh_from_db()
    assert kpi.target == Decimal(3)


def test_set_kpis_from_templates(client_as, contract):
    KpiTemplate.objects.create(
        service_area="supported_living", **kpi_fields(name="Outcomes <achieved>")
    )
    KpiTemplate.objects.create(service_area="supported_living", **kpi_fields(name="Staff turnover"))
    KpiTemplate.objects.create(service_area="ilss", **kpi_fields(name="Accommodation maintained"))
    officer = client_as(Role.COMMISSIONING_OFFICER)
    page = officer.get(url("kpi_templates", contract.pk))
    text = page_text(page)
    assert "Outcomes <achieved>" in text
    assert "Accommodation maintained" not in text
    assert "<achieved>" not in page.content.decode()  # escaped
    chosen = KpiTemplate.objects.get(name="Staff turnover")
    response = officer.post(url("kpi_templates", contract.pk), {"templates": [chosen.pk]})
    assert response.status_code == 302
    assert contract.kpis.get(name="Staff turnover").template == chosen
    # Templates already on the contract are no longer offered.
    assert (
        "Staff turnover"
        not in page_text(officer.get(url("kpi_templates", contract.pk))).split(
            "Already on this contract"
        )[0]
    )


def test_no_template_chosen_is_an_error(client_as, contract):
    KpiTemplate.objects.create(service_area="supported_living", **kpi_fields(name="Outcomes"))
    response = client_as(Role.COMMISSIONING_OFFICER).post(url("kpi_templates", contract.pk), {})
    assert "Select at least one KPI" in page_text(response)
    assert contract.kpis.count() == 2


def test_a_kpi_without_returns_is_deleted_and_one_with_returns_retired(client_as, contract):
    officer = client_as(Role.COMMISSIONING_OFFICER)
    record(contract)
    extra = add_kpi(contract, name="Unused")
    page = officer.get(url("kpi_remove", contract.pk, extra.pk))
    assert "Delete KPI" in page_text(page)
    data = form_data(page.content.decode(), having="version")
    officer.post(url("kpi_remove", contract.pk, extra.pk), data)
    assert not Kpi.objects.filter(pk=extra.pk).exists()
    used = contract.kpis.get(name="Medication errors")
    page = officer.get(url("kpi_remove", contract.pk, used.pk))
    assert "Retire KPI" in page_text(page)
    officer.post(
        url("kpi_remove", contract.pk, used.pk), form_data(page.content.decode(), having="version")
    )
    used.refresh_from_db()
    assert used.retired_on == date(2025, 12, 1)
    listing = page_text(officer.get(url("kpi_list", contract.pk)))
    assert "Retired KPIs (1)" in listing


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_only_managers_may_remove_a_kpi(client_as, contract, role):
    kpi = contract.kpis.first()
    response = client_as(role).post(url("kpi_remove", contract.pk, kpi.pk), {"version": 1})
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert Kpi.objects.filter(pk=kpi.pk).exists() == (role not in MANAGERS)


def _return_post(contract, **actuals):
    data = period_post(date(2025, 7, 1), date(2025, 9, 30))
    for kpi in contract.kpis.all():
        data[f"actual_{kpi.pk}"] = actuals.get(kpi.name, str(kpi.target))
        data[f"evidence_{kpi.pk}"] = "Quarterly return"
    return data


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_only_managers_may_record_a_return(client_as, contract, role):
    response = client_as(role).post(url("return_add", contract.pk), _return_post(contract))
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert MonitoringReturn.objects.exists() == (role in MANAGERS)


def test_recording_and_reviewing_a_return(client_as, contract):
    officer = client_as(Role.COMMISSIONING_OFFICER)
    page = officer.get(url("return_add", contract.pk))
    assert "Tenancies <sustained>" in page_text(page)
    response = officer.post(
        url("return_add", contract.pk),
        _return_post(contract, **{"Tenancies <sustained>": "93", "Medication errors": ""}),
    )
    returned = MonitoringReturn.objects.get()
    assert response.url == url("return_detail", contract.pk, returned.pk)
    detail = page_text(officer.get(response.url))
    assert "Amber" in detail and "Not reported" in detail
    review_page = officer.get(url("return_review", contract.pk, returned.pk))
    assert "Approaching target" in page_text(review_page)  # the suggestion
    data = form_data(review_page.content.decode(), having="version")
    response = officer.post(
        url("return_review", contract.pk, returned.pk),
        {**data, **review_post("approaching_target", meeting_notes="Visited the scheme")},
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == "reviewed"
    assert sorted(returned.actuals.values_list("rating", flat=True)) == ["amber", "not_reported"]
    shown = page_text(client_as(Role.AUDITOR).get(response.url))
    assert "Visited the scheme" in shown and "Approaching target" in shown
    # Reviewed once: the review page sends the officer back.
    again = officer.get(url("return_review", contract.pk, returned.pk))
    assert again.status_code == 302


def test_a_second_return_for_a_period_is_refused_with_a_clear_message(client_as, contract):
    officer = client_as(Role.COMMISSIONING_OFFICER)
    officer.post(url("return_add", contract.pk), _return_post(contract))
    response = officer.post(url("return_add", contract.pk), _return_post(contract))
    assert response.status_code == 200
    assert "A return for 1 July 2025 to 30 September 2025 has already been recorded" in page_text(
        response
    )
    assert MonitoringReturn.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"period_start_0": ""}, "Period start"),
        ({"actual_X": "lots"}, "as a number"),
        ({"actual_X": "1.234"}, "2 decimal places"),
    ],
)
def test_bad_return_input_changes_nothing(client_as, contract, change, error):
    kpi = contract.kpis.first()
    change = {k.replace("X", str(kpi.pk)): v for k, v in change.items()}
    response = client_as(Role.COMMISSIONING_OFFICER).post(
        url("return_add", contract.pk), {**_return_post(contract), **change}
    )
    assert response.status_code == 200
    assert error in page_text(response)
    assert not MonitoringReturn.objects.exists()


def test_a_due_return_is_filled_in_from_its_page(client_as, contract):
    due = MonitoringReturn.objects.create(
        contract=contract, period_start=date(2025, 7, 1), period_end=date(2025, 9, 30),
        due_date=date(2025, 10, 30),
    )  # fmt: skip
    officer = client_as(Role.COMMISSIONING_OFFICER)
    listing = officer.get(url("kpi_list", contract.pk)).content.decode()
    assert url("return_record", contract.pk, due.pk) in listing
    page = officer.get(url("return_record", contract.pk, due.pk))
    assert "1 July 2025 to 30 September 2025" in page_text(page)
    assert "period_start_0" not in page.content.decode()
    data = form_data(page.content.decode(), having="version")
    for kpi in contract.kpis.all():
        data[f"actual_{kpi.pk}"] = str(kpi.target)
    response = officer.post(url("return_record", contract.pk, due.pk), data)
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.status == "submitted"


def test_other_needs_a_reason_on_the_review_page(client_as, contract):
    returned = record(contract)
    officer = client_as(Role.COMMISSIONING_OFFICER)
    page = officer.get(url("return_review", contract.pk, returned.pk))
    data = form_data(page.content.decode(), having="version")
    response = officer.post(
        url("return_review", contract.pk, returned.pk), {**data, **review_post("other")}
    )
    assert "Enter why the rating is Other" in page_text(response)
    assert not Review.objects.exists()
    response = officer.post(
        url("return_review", contract.pk, returned.pk), {**data, **review_post()}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_only_managers_may_review(client_as, contract, role):
    returned = record(contract)
    response = client_as(role).post(
        url("return_review", contract.pk, returned.pk),
        {"version": returned.version, **review_post()},
    )
    assert response.status_code == (302 if role in MANAGERS else 403)
    assert Review.objects.exists() == (role in MANAGERS)


def test_a_return_of_another_contract_is_not_found(client_as, contract):
    returned = record(contract)
    other = ContractFactory()
    response = client_as(Role.AUDITOR).get(url("return_detail", other.pk, returned.pk))
    assert response.status_code == 404


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _quarters(count):
    start = date(2022, 4, 1)
    for _ in range(count):
        yield start, period_end(start, 3)
        start = add_months(start, 3)


def test_the_kpi_list_and_return_pages_query_counts_do_not_grow(db, user_with_role):
    officer = user_with_role(Role.COMMISSIONING_OFFICER)
    client = Client()
    client.force_login(officer)
    counts = []
    for size in (1, 8):
        contract = ContractFactory(start_date=date(2022, 4, 1))
        for n in range(size):
            add_kpi(contract, name=f"KPI {n}")
        returns = [record(contract, period=quarter) for quarter in _quarters(size + 1)]
        for earlier in returns[:-1]:
            review(earlier, officer)
        latest_reviewed, waiting = returns[-2], returns[-1]
        counts.append(
            (
                _queries(client, url("kpi_list", contract.pk)),
                _queries(client, url("return_detail", contract.pk, latest_reviewed.pk)),
                _queries(client, url("return_detail", contract.pk, waiting.pk)),
                _queries(client, url("return_review", contract.pk, waiting.pk)),
            )
        )
    assert counts[0] == counts[1], counts
