from crispy_forms_gds.fields import DateInputField
from django import forms

from contracts.constants import ServiceArea
from core.forms import GovUKForm


class ReviewForm(GovUKForm):
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
    service_area = forms.ChoiceField(label="Contracts in", choices=ServiceArea.choices)
    title = forms.CharField(
        label="Report title",
        max_length=200,
        help_text="For example: Supported living contracts for Cabinet",
    )
