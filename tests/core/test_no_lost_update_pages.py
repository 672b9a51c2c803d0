"""Every edit page: two people open it, the first saves, and the second's
save is refused with who changed it and when, keeping what they typed."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import ContractFactory, ProviderContactFactory, ProviderFactory, UserFactory
from tests.html_forms import form_data

REFUSAL = (
    "This {noun} was changed by Lisa Lopez at 10:42 since you opened it. "
    "Check the new details and make your change again."
)
REVIEW = {
    "review_reference": "CM-7",
    "reviewed_on_0": "2",
    "reviewed_on_1": "3",
    "reviewed_on_2": "2026",
    "reason": "Needs reviewed",
}


@dataclass
class EditPage:
    noun: str
    make: Callable  # -> (url, object)
    first: dict  # what the first person changes
    second: dict  # what the second person changes
    # The object's fields that show each change, as stored.
    stored: Callable
    role: Role = Role.COMMISSIONING_OFFICER
    # The first person's change is to fields of the form itself, so the
    # page can say beside each what it now reads.
    shows_new_values: bool = True

    def changes(self, obj):
        """The two people's changes; a callable where field names depend on
        the object (one pair of fields per selection question)."""
        return [c(obj) if callable(c) else c for c in (self.first, self.second)]


def _contract():
    contract = ContractFactory(title="Supported living", description="First words")
    return reverse("contracts:edit", args=[contract.pk]), contract


def _provider():
    provider = ProviderFactory(legal_name="Arch Care Ltd", town="Bootle")
    return reverse("providers:edit", args=[provider.pk]), provider


def _contact():
    contact = ProviderContactFactory(name="Raymond Murphy", job_title="", phone="")
    return reverse("providers:contact_edit", args=[contact.provider.pk, contact.pk]), contact


def _resident():
    from finance.models import Resident, Scheme

    scheme = Scheme.objects.create(
        reference="ISL-1", name="Flats", provider=ProviderFactory(), core_support_weekly=1000
    )
    resident = Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=500)
    Resident.objects.create(scheme=scheme, reference="R2", weekly_budget=500)
    return reverse("finance:resident_review", args=[resident.pk]), resident


def _application():
    from datetime import date

    from procurement.services import systems

    officer = UserFactory(role=Role.PROCUREMENT_OFFICER)
    system = systems.system_create(
        by=officer,
        reference="SL-PDPS",
        name="Supported living PDPS",
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 12, 31),
    )
    systems.window_open(
        system=system, by=officer, opens_on=date(2026, 1, 1), closes_on=date(2026, 12, 31)
    )
    question = systems.question_add(system=system, by=officer, text="CQC registration")
    application = systems.application_record(
        system=system,
        by=officer,
        provider=ProviderFactory(),
        lots=[systems.lot_add(system=system, by=officer, name="Supported living")],
        received_on=date(2026, 2, 1),
        answers={question: (False, "")},
    )
    return reverse("procurement:application_answers", args=[application.pk]), application


def _kpi():
    from tests.performance.helpers import add_kpi

    kpi = add_kpi(ContractFactory(), name="Tenancies sustained")
    return reverse("performance:kpi_edit", args=[kpi.contract_id, kpi.pk]), kpi


def _evidence(text):
    def change(application):
        return {f"q{application.answers.get().question_id}_evidence": text}

    return change


PAGES = {
    "contract": EditPage(
        "contract",
        _contract,
        first={"title": "Supported living, Bootle"},
        second={"description": "Second words"},
        stored=lambda c: {"title": c.title, "description": c.description},
    ),
    "provider": EditPage(
        "provider",
        _provider,
        first={"legal_name": "Arch Care Group Ltd"},
        second={"town": "Southport"},
        stored=lambda p: {"legal_name": p.legal_name, "town": p.town},
    ),
    "contact": EditPage(
        "contact",
        _contact,
        first={"job_title": "Registered manager"},
        second={"phone": "0151 934 2000"},
        stored=lambda c: {"job_title": c.job_title, "phone": c.phone},
    ),
    "resident": EditPage(
        "resident's record",
        _resident,
        first={**REVIEW, "new_budget": "550.00"},
        second={**REVIEW, "new_budget": "600.00", "reason": "Second review"},
        stored=lambda r: {"weekly_budget": r.weekly_budget, "reviews": r.reviews.count()},
        shows_new_values=False,
    ),
    "kpi": EditPage(
        "KPI",
        _kpi,
        first={"name": "Tenancies kept"},
        second={"measure": "Tenancies kept, as a percentage of tenancies at the start"},
        stored=lambda k: {"name": k.name, "measure": k.measure},
    ),
    "application": EditPage(
        "application",
        _application,
        first=_evidence("Certificate received"),
        second=_evidence("Certificate to follow"),
        stored=lambda a: {"evidence": a.answers.get().evidence},
        role=Role.PROCUREMENT_OFFICER,
        shows_new_values=False,
    ),
}


def _signed_in(role=Role.COMMISSIONING_OFFICER, **names):
    client = Client()
    client.force_login(UserFactory(role=role, **names))
    return client


@pytest.fixture
def clock():
    # One frozen clock for the whole test, so sessions do not time out
    # between a moved clock and the real one.
    with time_machine.travel("2026-03-02 10:30 +00:00", tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("name", PAGES)
def test_a_save_from_a_page_opened_before_another_change_is_refused(db, clock, name):
    page = PAGES[name]
    url, obj = page.make()
    first, second = page.changes(obj)
    lisa = _signed_in(page.role, first_name="Lisa", last_name="Lopez")
    sam = _signed_in(page.role, first_name="Sam", last_name="Patel")
    lisa_form = form_data(lisa.get(url).text, having="version")
    sam_form = form_data(sam.get(url).text, having="version")
    assert lisa_form["version"] == sam_form["version"] == "1"

    clock.move_to("2026-03-02 10:42 +00:00")
    saved = lisa.post(url, {**lisa_form, **first})
    assert saved.status_code == 302, saved.context["form"].errors
    obj.refresh_from_db()
    after_first = page.stored(obj)

    clock.move_to("2026-03-02 10:50 +00:00")
    refused = sam.post(url, {**sam_form, **second})
    assert refused.status_code == 200
    html = refused.text
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert REFUSAL.format(noun=page.noun).replace("'", "&#x27;") in html
    if page.shows_new_values:
        for field, value in first.items():
            assert f"This was changed to “{value}” since you opened the page" in html
            assert f'href="#id_{field}"' in html
    # What the second person typed is still in the form.
    again = form_data(html, having="version")
    for field, value in second.items():
        assert again[field] == value
    obj.refresh_from_db()
    assert page.stored(obj) == after_first
    assert obj.version == 2

    # Once told, saving again from this page is their choice, and works.
    assert again["version"] == "2"
    resaved = sam.post(url, again)
    assert resaved.status_code == 302, resaved.context["form"].errors
    assert "sign-in" not in resaved.url
    obj.refresh_from_db()
    assert obj.version == 3


@pytest.mark.parametrize("name", PAGES)
def test_a_save_from_an_up_to_date_page_goes_through(db, name):
    page = PAGES[name]
    url, obj = page.make()
    sam = _signed_in(page.role, first_name="Sam", last_name="Patel")
    for change in page.changes(obj):
        form = form_data(sam.get(url).text, having="version")
        response = sam.post(url, {**form, **change})
        assert response.status_code == 302, response.context["form"].errors
    obj.refresh_from_db()
    assert obj.version == 3


def test_a_post_without_the_version_is_refused_and_changes_nothing(db):
    url, contract = _contract()
    sam = _signed_in(first_name="Sam", last_name="Patel")
    form = form_data(sam.get(url).text, having="version")
    del form["version"]
    response = sam.post(url, {**form, "title": "Renamed"})
    assert response.status_code == 200
    assert "This page is out of date. Open it again and make your change." in response.text
    contract.refresh_from_db()
    assert (contract.title, contract.version) == ("Supported living", 1)


def test_the_resident_page_shows_the_budget_as_it_now_stands(db):
    url, resident = _resident()
    lisa = _signed_in(first_name="Lisa", last_name="Lopez")
    sam = _signed_in(first_name="Sam", last_name="Patel")
    sam_form = form_data(sam.get(url).text, having="version")
    lisa.post(url, {**form_data(lisa.get(url).text, having="version"), **PAGES["resident"].first})
    refused = sam.post(url, {**sam_form, **PAGES["resident"].second})
    assert "Currently £550.00 a week" in refused.text
    resident.refresh_from_db()
    assert resident.weekly_budget == Decimal("550.00")
