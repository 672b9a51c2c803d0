"""The admin refuses a save from a stale copy too, and moves the version on."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from finance.models import BudgetLine, Resident, Scheme
from tests.factories import ProviderFactory, UserFactory
from tests.html_forms import form_data

VERSION = "seen_version"


def _administrator(**names):
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, **names))
    return client


@pytest.fixture
def lisa():
    return _administrator(first_name="Lisa", last_name="Lopez")


@pytest.fixture
def sam():
    return _administrator(first_name="Sam", last_name="Patel")


def _opened(client, url):
    return form_data(client.get(url).text, having=VERSION)


def test_an_admin_save_from_a_stale_copy_is_refused(db, lisa, sam):
    provider = ProviderFactory(legal_name="Arch Care Ltd", town="Bootle")
    url = reverse("admin:providers_provider_change", args=[provider.pk])
    lisa_form, sam_form = _opened(lisa, url), _opened(sam, url)
    assert lisa_form[VERSION] == "1"

    assert lisa.post(url, {**lisa_form, "legal_name": "Arch Care Group Ltd"}).status_code == 302
    refused = sam.post(url, {**sam_form, "town": "Southport"})

    assert refused.status_code == 200
    assert "This provider was changed by Lisa Lopez at" in refused.text
    assert _opened_from(refused)["town"] == "Southport"
    provider.refresh_from_db()
    assert (provider.legal_name, provider.town, provider.version) == (
        "Arch Care Group Ltd",
        "Bootle",
        2,
    )


def _opened_from(response):
    return form_data(response.text, having=VERSION)


def test_every_admin_save_moves_the_version_on(db, lisa):
    line = BudgetLine.objects.create(financial_year=2025, service_area="ilss", amount=100)
    url = reverse("admin:finance_budgetline_change", args=[line.pk])
    for amount in ("200.00", "300.00"):
        assert lisa.post(url, {**_opened(lisa, url), "amount": amount}).status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.version) == (Decimal("300.00"), 3)
    assert line.history.first().history_user.get_full_name() == "Lisa Lopez"


def _scheme():
    scheme = Scheme.objects.create(
        reference="ISL-1", name="Flats", provider=ProviderFactory(), core_support_weekly=1000
    )
    resident = Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=500)
    return scheme, resident, reverse("admin:finance_scheme_change", args=[scheme.pk])


def _inline(form, resident):
    """The inline row's prefix for this resident."""
    for key, value in form.items():
        if key.endswith("-id") and value == str(resident.pk):
            return key.removesuffix("-id")
    raise AssertionError("resident not in the form")


def test_an_inline_row_saved_in_the_admin_moves_its_version_on(db, lisa):
    _, resident, url = _scheme()
    form = _opened(lisa, url)
    row = _inline(form, resident)
    assert lisa.post(url, {**form, f"{row}-weekly_budget": "550.00"}).status_code == 302
    resident.refresh_from_db()
    assert (resident.weekly_budget, resident.version) == (Decimal("550.00"), 2)


def test_a_stale_inline_row_is_refused_and_an_inline_edit_leaves_its_parent_alone(db, lisa, sam):
    scheme, resident, url = _scheme()
    lisa_form, sam_form = _opened(lisa, url), _opened(sam, url)
    row = _inline(lisa_form, resident)
    assert lisa.post(url, {**lisa_form, f"{row}-weekly_budget": "550.00"}).status_code == 302

    refused = sam.post(url, {**sam_form, f"{row}-contribution": "20.00"})
    assert refused.status_code == 200
    assert "This resident&#x27;s record was changed by Lisa Lopez at" in refused.text
    resident.refresh_from_db()
    assert (resident.weekly_budget, resident.contribution) == (Decimal("550.00"), 0)

    # Saving only what changed: the scheme itself did not move on.
    scheme.refresh_from_db()
    assert scheme.version == 1
