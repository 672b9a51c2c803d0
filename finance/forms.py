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


class BudgetLineForm(GovUKForm):
    submit_label = "Add budget line"
    field_widths = {"financial_year": 10, "amount": 10}
    financial_year = forms.CharField(label="Financial year", help_text="For example 2025/26")
    service_area = forms.ChoiceField(label="Service area", choices=ServiceArea.choices)
    funder = forms.ChoiceField(label="Funder", choices=Funder.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        help_text="For example Gross council budget, or ICB-funded packages",
    )
    amount = forms.DecimalField(label="Amount (£)", min_value=0, max_digits=14, decimal_places=2)

    def clean_financial_year(self):
        from finance.years import FinancialYear

        try:
            return FinancialYear.parse(self.cleaned_data["financial_year"]).start_year
        except ValueError as exc:
            raise forms.ValidationError("Enter the financial year like 2025/26") from exc
