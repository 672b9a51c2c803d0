from crispy_forms_gds.fields import DateInputField
from django import forms

from contracts.constants import ServiceArea
from core.forms import GovUKForm
from core.versioned_forms import VersionedFormMixin
from finance.models import Funder


class ReviewForm(VersionedFormMixin, GovUKForm):
    submit_label = "Save the new budget"
    field_widths = {"new_budget": 10, "review_reference": 20}
    new_budget = forms.DecimalField(
        label="New weekly individual budget (£)", min_value=0, max_digits=10, decimal_places=2
    )
    review_reference = forms.CharField(label="Care management review reference", max_length=100)
    reviewed_on = DateInputField(label="Date of the review")
    reason = forms.CharField(label="Why the budget changes", widget=forms.Textarea)


class ReportForm(GovUKForm):
    submit_label = "Prepare the report"
    message_names = {"service_area": "service area"}
    service_area = forms.ChoiceField(label="Contracts in", choices=ServiceArea.choices)
    title = forms.CharField(
        label="Report title",
        max_length=200,
        help_text="For example: Supported living contracts for Cabinet",
    )


REASON_MAX = 500


def _reason_field(label: str, error: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=f"Kept in the budget line's history. {REASON_MAX} characters or fewer.",
        max_length=REASON_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": error,
            "max_length": f"{label} must be {REASON_MAX} characters or fewer",
        },
    )


class BudgetLineForm(VersionedFormMixin, GovUKForm):
    """Add a budget line, or (with `line`) correct one, saying why. The
    financial year is chosen from a list, never typed."""

    field_widths = {"amount": 10}
    financial_year = forms.TypedChoiceField(
        label="Financial year",
        help_text="1 April to 31 March",
        coerce=int,
        error_messages={"required": "Select the financial year"},
    )
    service_area = forms.ChoiceField(
        label="Service area",
        choices=[("", "Select a service area"), *ServiceArea.choices],
        error_messages={"required": "Select the service area"},
    )
    funder = forms.ChoiceField(
        label="Funder",
        choices=Funder.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the funder"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        help_text="For example Gross council budget, or ICB-funded packages. "
        "200 characters or fewer.",
        error_messages={"max_length": "Description must be 200 characters or fewer"},
    )
    amount = forms.DecimalField(
        label="Amount (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": "Enter the amount",
            "invalid": "Enter the amount as a number, like 4150000.00",
            "min_value": "Amount must be £0 or more",
            "max_digits": "Amount must be less than £1,000,000,000,000",
            "max_whole_digits": "Amount must be less than £1,000,000,000,000",
            "max_decimal_places": "Enter the amount to the penny: 2 decimal places or fewer",
        },
    )

    def __init__(self, *args, years, line=None, **kwargs):
        if line is not None:
            kwargs["version"] = line.version
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [
            ("", "Select a financial year"),
            *((year.start_year, year.name) for year in years),
        ]
        if line is not None:
            self.submit_label = "Save the budget line"
            self.fields["reason"] = _reason_field(
                "Why are you changing this budget line?",
                "Enter why you are changing the budget line",
            )
        else:
            self.submit_label = "Add budget line"


class BudgetLineRemoveForm(VersionedFormMixin, GovUKForm):
    submit_label = "Remove budget line"
    warning_button = True
    reason = _reason_field(
        "Why are you removing this budget line?", "Enter why you are removing the budget line"
    )
