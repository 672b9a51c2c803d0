"""The contract form's messages and inputs, as the GOV.UK Design System
writes them: the issue's examples, through the page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.forms import ContractForm
from contracts.forms_uplift import CONFIRM_LABEL
from contracts.models import Contract
from core.roles import Role
from tests.core.test_plain_text import contract_data
from tests.factories import ProviderFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_contract(client_as, user_with_role):
    client = client_as(Role.COMMISSIONING_OFFICER)
    owner, provider = user_with_role(Role.COMMISSIONING_OFFICER), ProviderFactory()

    def post(**changes):
        data = contract_data(provider, owner, **changes)
        for name, value in list(data.items()):
            if value is None:
                del data[name]
        return client.post(reverse("contracts:create"), data)

    return post


def _errors(response):
    return response.context["form"].errors


def test_an_empty_contract_form_names_every_field_and_never_says_this_field_is_required(
    client_as,
):
    response = client_as(Role.COMMISSIONING_OFFICER).post(reverse("contracts:create"), {})
    text = page_text(response)
    errors = _errors(response)
    assert errors["reference"] == ["Enter the contract reference"]
    assert errors["title"] == ["Enter the contract title"]
    assert errors["start_date"] == ["Enter the start date"]
    assert errors["annual_value"] == ["Enter the annual value"]
    assert errors["service_area"] == ["Select the service area"]
    assert errors["council_share_percent"] == ["Enter the council share"]
    assert "This field is required" not in text
    # Once in the summary and once at the field, no more.
    assert text.count("Enter the start date") == 2


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2019", "Start date must be a real date"),
        ("1", "13", "2019", "Start date must be a real date"),
        ("first", "7", "2019", "Start date must be a real date"),
        ("1", "", "2019", "Start date must include a month"),
        ("", "", "2019", "Start date must include a day and month"),
        ("1", "7", "19", "Start date must include a year with 4 numbers, like 2019"),
        ("31", "12", "1989", "Start date must be the same as or after 1 January 1990"),
    ],
)
def test_the_start_date_must_be_a_real_plausible_date(add_contract, day, month, year, message):
    response = add_contract(start_date_0=day, start_date_1=month, start_date_2=year)
    assert _errors(response)["start_date"] == [message]
    text = page_text(response)
    assert "out of range" not in text
    assert "Enter a valid" not in text
    assert not Contract.objects.exists()


def test_a_start_on_1_january_1990_is_accepted(add_contract):
    assert add_contract(start_date_0="1", start_date_1="1", start_date_2="1990").status_code == 302


def test_the_annual_value_must_be_0_or_more(add_contract):
    response = add_contract(annual_value="-1")
    assert _errors(response)["annual_value"] == ["Annual value must be £0 or more"]


def test_an_annual_value_of_15_digits_is_told_the_largest_allowed(add_contract):
    response = add_contract(annual_value="1234567890123456")
    assert _errors(response)["annual_value"] == ["Annual value must be £999,999,999,999.99 or less"]
    assert "Ensure that there are no more than" not in page_text(response)


def test_an_annual_value_in_words_is_asked_for_in_pounds(add_contract):
    response = add_contract(annual_value="half a million")
    assert _errors(response)["annual_value"] == [
        "Annual value must be in pounds, like 1250 or 1250.50"
    ]


def test_an_annual_value_typed_with_a_pound_sign_and_commas_is_read_as_the_number(add_contract):
    assert add_contract(annual_value="£491,804.50").status_code == 302
    assert Contract.objects.get().annual_value == Decimal("491804.50")


def test_a_title_over_200_characters_is_refused(add_contract):
    response = add_contract(title="x" * 201)
    assert _errors(response)["title"] == ["Title must be 200 characters or fewer"]
    assert add_contract(title="x" * 200).status_code == 302


def test_the_title_hint_states_its_limit():
    form = ContractForm()
    assert "200 characters or fewer." in form["title"].help_text
    assert "10,000 characters or fewer." in form["description"].help_text
    # The browser would cut a longer paste short without saying so.
    assert "maxlength" not in form["title"].as_widget()


def test_money_is_a_text_input_with_a_pound_prefix_and_a_numeric_keyboard():
    html = ContractForm()["annual_value"].as_widget()
    assert 'type="text"' in html
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in html


@pytest.mark.parametrize("uplift", ["25", "-20.01", "100"])
def test_an_uplift_outside_20_percent_is_refused_with_a_checkbox_to_confirm_it(
    add_contract, uplift
):
    response = add_contract(uplift_percent=uplift)
    [message] = _errors(response)["uplift_percent"]
    assert message.startswith("Annual uplift must be between −20% and 20%.")
    assert CONFIRM_LABEL in message
    assert CONFIRM_LABEL in page_text(response)
    assert not Contract.objects.exists()


def test_a_confirmed_unusual_uplift_is_saved(add_contract):
    assert add_contract(uplift_percent="25", confirm_uplift="on").status_code == 302
    assert Contract.objects.get().uplift_percent == Decimal(25)


@pytest.mark.parametrize("uplift", ["20", "-20", "2.5", "0"])
def test_an_ordinary_uplift_needs_no_confirmation(add_contract, uplift):
    assert add_contract(uplift_percent=uplift).status_code == 302


def test_the_confirmation_checkbox_is_not_offered_before_the_error(client_as):
    response = client_as(Role.COMMISSIONING_OFFICER).get(reverse("contracts:create"))
    assert CONFIRM_LABEL not in page_text(response)


def test_the_uplift_message_holds_for_a_contract_change(user_with_role):
    from contracts.forms_changes import ChangeForm
    from tests.factories import ContractFactory

    contract = ContractFactory()
    data = {
        "reason": ChangeForm.base_fields["reason"].choices[0][0],
        "explanation": "Fee uplift",
        "effective_from_0": "1",
        "effective_from_1": "4",
        "effective_from_2": "2026",
        "new_uplift_percent": "30",
    }
    form = ChangeForm(data=data, contract=contract)
    assert form.errors["new_uplift_percent"][0].startswith(
        "New annual uplift must be between −20% and 20%."
    )
    assert ChangeForm(data={**data, "confirm_uplift": "on"}, contract=contract).is_valid()
