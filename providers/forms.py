from django import forms

from core.forms import GovUKForm, GovUKModelForm
from providers import identifiers
from providers.models import Provider, ProviderContact


def _identifier_cleaner(field_name, check):
    def clean(self):
        value = self.cleaned_data.get(field_name, "")
        if not value:
            return "" if field_name != "companies_house_number" else None
        try:
            return check(value)
        except identifiers.InvalidIdentifier as exc:
            raise forms.ValidationError(str(exc)) from exc

    return clean


class ProviderForm(GovUKModelForm):
    submit_label = "Save provider"

    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org"},
    )

    class Meta:
        model = Provider
        fields = [
            "legal_name",
            "trading_name",
            "companies_house_number",
            "charity_number",
            "cqc_provider_id",
            "is_sme",
            "is_vcse",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "website",
        ]
        labels = {
            "legal_name": "Legal name",
            "trading_name": "Trading name (optional)",
            "companies_house_number": "Companies House number (optional)",
            "charity_number": "Charity number (optional)",
            "cqc_provider_id": "CQC provider ID (optional)",
            "is_sme": "Small or medium-sized enterprise (SME)",
            "is_vcse": "Voluntary, community or social enterprise (VCSE)",
            "address_line_1": "Address line 1 (optional)",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city (optional)",
            "postcode": "Postcode (optional)",
        }
        help_texts = {
            "legal_name": "As registered at Companies House or the Charity Commission.",
            "companies_house_number": "8 characters, for example 01068186 or SC123456.",
            "cqc_provider_id": "From the provider's CQC registration, for example 1-101634421.",
            "is_sme": "Fewer than 250 staff.",
        }
        error_messages = {
            "legal_name": {"required": "Enter the provider's legal name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies_house_number"].max_length = None
        self.fields["companies_house_number"].widget.attrs.pop("maxlength", None)
        self.fields["companies_house_number"].govuk_width = 10
        self.fields["charity_number"].govuk_width = 10
        self.fields["cqc_provider_id"].govuk_width = 20
        self.fields["postcode"].govuk_width = 10
        self.fields["postcode"].max_length = None
        self.fields["postcode"].widget.attrs.pop("maxlength", None)

    clean_companies_house_number = _identifier_cleaner(
        "companies_house_number", identifiers.companies_house_number
    )
    clean_charity_number = _identifier_cleaner("charity_number", identifiers.charity_number)
    clean_cqc_provider_id = _identifier_cleaner("cqc_provider_id", identifiers.cqc_provider_id)
    clean_postcode = _identifier_cleaner("postcode", identifiers.postcode)

    def validate_unique(self):
        # Uniqueness is the service's rule (providers.services), which gives
        # the message naming the provider that already holds the number.
        pass


class ProviderContactForm(GovUKModelForm):
    submit_label = "Save contact"

    class Meta:
        model = ProviderContact
        fields = ["name", "job_title", "email", "phone", "is_main_contact"]
        labels = {
            "name": "Full name",
            "job_title": "Job title (optional)",
            "email": "Email address (optional)",
            "phone": "Telephone (optional)",
            "is_main_contact": "Main contact for this provider",
        }
        error_messages = {
            "name": {"required": "Enter the contact's full name"},
            "email": {"invalid": "Enter an email address like name@example.org"},
        }


class ConfirmRemoveForm(GovUKForm):
    submit_label = "Yes, remove"


class ProviderFilterForm(GovUKForm):
    submit_label = "Apply filters"
    small_checkboxes = True
