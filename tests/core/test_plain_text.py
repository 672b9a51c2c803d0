"""Control characters are refused at every text input, with a message
naming the field, before anything is stored."""

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contracts.models import Contract
from core.forms import GovUKForm
from core.roles import Role
from core.text import control_character
from providers.models import Provider, ProviderContact
from tests.factories import ProviderFactory

CONTROLS = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
KEPT_IN_LONG_TEXT = ("\t", "\n", "\r")
printable = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")).filter(lambda c: c not in "\ufffe\uffff")
)


@given(before=printable, after=printable, control=st.sampled_from(CONTROLS))
def test_any_control_character_is_found_in_a_single_line(before, after, control):
    found = control_character(before + control + after)
    assert found == f"U+{ord(control):04X} at character {len(before) + 1}"


@given(text=printable)
def test_ordinary_text_in_any_script_is_plain_text(text):
    assert control_character(text) is None
    assert control_character(text, multiline=True) is None


@pytest.mark.parametrize("control", CONTROLS)
def test_long_text_keeps_only_tab_and_line_breaks(control):
    found = control_character(f"First line{control}second", multiline=True)
    assert (found is None) == (control in KEPT_IN_LONG_TEXT)


def contract_data(provider, owner, **changes):
    return {
        "reference": "ILSS-1",
        "title": "Mainstream ASC ILSS",
        "service_area": "ilss",
        "client_group": "mixed",
        "provider": provider.pk,
        "owner": owner.pk,
        "start_date_0": "1",
        "start_date_1": "7",
        "start_date_2": "2019",
        "term": "3+2+2",
        "notice_months": "3",
        "annual_value": "491804",
        "uplift_percent": "0",
        "council_share_percent": "100",
        "icb_share_percent": "0",
        "other_share_percent": "0",
        "procurement_route": "open_tender",
        **changes,
    }


@pytest.fixture
def add_contract(client_as, user_with_role):
    client = client_as(Role.COMMISSIONING_OFFICER)
    owner, provider = user_with_role(Role.COMMISSIONING_OFFICER), ProviderFactory()

    def post(**changes):
        return client.post(reverse("contracts:create"), contract_data(provider, owner, **changes))

    return post


@pytest.mark.parametrize("control", ["\x01", "\x0b", "\x00", "\x1b", "\x85", "\t", "\n"])
def test_contract_form_refuses_a_title_with_a_control_character(add_contract, control):
    response = add_contract(title=f"Mainstream{control}ASC ILSS")
    assert response.status_code == 200
    errors = response.context["form"].errors
    # One message, even for NUL, which Django's own check also refuses.
    assert errors["title"] == ["Title must not contain control characters"]
    assert "Title must not contain control characters" in response.content.decode()
    assert not Contract.objects.exists()


def test_contract_form_refuses_control_characters_in_the_description(add_contract):
    response = add_contract(description="Line one\x0bline two")
    assert response.context["form"].errors["description"] == [
        "Description must not contain control characters"
    ]
    assert not Contract.objects.exists()


def test_contract_description_keeps_tabs_and_line_breaks(add_contract):
    response = add_contract(description="Lot 1:\tday care\r\nLot 2:\tnight care")
    assert response.status_code == 302
    assert Contract.objects.get().description == "Lot 1:\tday care\r\nLot 2:\tnight care"


class _QuestionsForm(GovUKForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.CharField(label="Your answer", widget=forms.Textarea)
        self.fields["reference"] = forms.CharField(label="Reference (optional)", required=False)


def test_fields_a_form_adds_in_its_init_are_checked_too():
    form = _QuestionsForm({"answer": "We\x07 care", "reference": "A\tB"})
    assert form.errors == {
        "answer": ["Your answer must not contain control characters"],
        "reference": ["Reference must not contain control characters"],
    }


def test_sign_in_refuses_a_control_character_without_a_server_error(client):
    response = client.post(reverse("login"), {"username": "admin\x00", "password": "x"})
    assert response.status_code == 200
    assert "Username must not contain control characters" in response.content.decode()


def test_admin_forms_and_their_inlines_refuse_control_characters(client_as):
    admin = client_as(Role.ADMINISTRATOR)
    response = admin.post(
        reverse("admin:providers_provider_add"),
        {
            "legal_name": "Arch\x01 Futures Ltd",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Sam\x1b Jones",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Legal name must not contain control characters" in html
    assert "Name must not contain control characters" in html
    assert not Provider.objects.exists()
    assert not ProviderContact.objects.exists()
