from crispy_forms_gds.layout import Fieldset, Size
from django import forms

from core.forms import GovUKForm, GovUKModelForm
from core.versioned_forms import VersionedFormMixin
from providers import identifiers
from providers.models import Provider, ProviderContact
from providers.services import CONTACT_FIELDS, PROVIDER_FIELDS


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


class ProviderForm(VersionedFormMixin, GovUKModelForm):
    submit_label = "Save provider"
    field_widths = {
        "companies_house_number": 10,
        "charity_number": 10,
        "cqc_provider_id": 20,
        "postcode": 10,
    }

    # Declared here without max_length: officers paste numbers with spaces
    # ("0106 8186") and the cleaners put them in standard form.
    companies_house_number = forms.CharField(
        label="Companies House number (optional)",
        required=False,
        help_text="8 characters, for example 01068186 or SC123456.",
    )
    # Room for stray spaces; the cleaner puts it in standard form.
    postcode = forms.CharField(label="Postcode", required=False, max_length=12)

    website = forms.URLField(
        label="Website (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org"},
    )

    class Meta:
        model = Provider
        fields = list(PROVIDER_FIELDS)
        labels = {
            "legal_name": "Legal name",
            "trading_name": "Trading name (optional)",
            "charity_number": "Charity number (optional)",
            "cqc_provider_id": "CQC provider ID (optional)",
            "is_sme": "Small or medium-sized enterprise (SME): fewer than 250 staff",
            "is_vcse": "Voluntary, community or social enterprise (VCSE)",
            "address_line_1": "Address line 1",
            "address_line_2": "Address line 2",
            "town": "Town or city",
        }
        help_texts = {
            "legal_name": "As registered at Companies House or the Charity Commission.",
            "cqc_provider_id": "From the provider's CQC registration, for example 1-101634421.",
        }
        error_messages = {
            "legal_name": {"required": "Enter the provider's legal name"},
        }

    GROUPS = (
        ("Organisation type (optional)", ("is_sme", "is_vcse")),
        ("Address (optional)", ("address_line_1", "address_line_2", "town", "postcode")),
    )

    def layout_fields(self):
        # Related answers share one legend: the GOV.UK address pattern, and
        # the two size-and-type checkboxes.
        layout, placed = [], set()
        grouped = {name: legend for legend, names in self.GROUPS for name in names}
        by_name = {f.fields[0]: f for f in super().layout_fields()}
        for name, field in by_name.items():
            legend = grouped.get(name)
            if legend is None:
                layout.append(field)
            elif legend not in placed:
                placed.add(legend)
                members = (by_name[n] for n in dict(self.GROUPS)[legend])
                layout.append(Fieldset(*members, legend=legend, legend_size=Size.SMALL))
        return layout

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


class ProviderContactForm(VersionedFormMixin, GovUKModelForm):
    submit_label = "Save contact"

    class Meta:
        model = ProviderContact
        fields = list(CONTACT_FIELDS)
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


class ProviderFilterForm(forms.Form):
    """Rendered by core.filter_form, not crispy-forms: see there why."""

    submit_label = "Apply filters"
