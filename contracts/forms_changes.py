from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Fieldset, Size
from django import forms

from contracts.forms import DecisionForm
from contracts.forms_uplift import UpliftCheckMixin
from contracts.models_changes import ChangeReason
from core.forms import GovUKForm
from providers.models import Provider

SHARES = ("new_council_share_percent", "new_icb_share_percent", "new_other_share_percent")


def _money_field(label, hint):
    return forms.DecimalField(
        label=label,
        help_text=hint,
        required=False,
        max_digits=14,
        decimal_places=2,
    )


def _percent_field(label, hint=""):
    return forms.DecimalField(
        label=label,
        help_text=hint,
        required=False,
        max_digits=5,
        decimal_places=2,
    )


class ChangeForm(UpliftCheckMixin, GovUKForm):
    """One form, then a check-your-answers page that shows the value effect
    before the change is sent for a decision."""

    submit_label = "Continue"
    uplift_field = "new_uplift_percent"
    message_names = {
        "effective_from": "The date the change takes effect",
        "new_council_share_percent": "New council share",
        "new_icb_share_percent": "New ICB share",
        "new_other_share_percent": "New other share",
    }
    field_widths = {
        "new_annual_value": 10,
        "new_uplift_percent": 4,
        "months_added": 3,
        **dict.fromkeys(SHARES, 4),
    }

    reason = forms.ChoiceField(
        label="Why is the contract changing?",
        widget=forms.RadioSelect,
        choices=ChangeReason.choices,
        error_messages={"required": "Select why the contract is changing"},
    )
    explanation = forms.CharField(
        label="Explain what is changing and why",
        help_text="The approver reads this, and it stays on the contract's history.",
        widget=forms.Textarea,
        error_messages={"required": "Explain what is changing and why"},
    )
    effective_from = DateInputField(
        label="From when does the change take effect?", help_text="For example, 1 10 2026"
    )
    new_annual_value = _money_field("New annual value (£)", "")
    new_uplift_percent = _percent_field("New annual uplift (%)")
    months_added = forms.IntegerField(
        label="Months added beyond the extension options",
        help_text="Only once every option has been decided. Leave empty if none.",
        required=False,
        min_value=1,
        max_value=120,
        error_messages={
            "invalid": "Enter the number of months, like 6",
            "min_value": "Enter at least 1 month, or leave it empty",
            "max_value": "Enter 120 months or fewer",
        },
    )
    new_provider = forms.ModelChoiceField(
        label="New provider (novation)",
        queryset=Provider.objects.order_by("legal_name"),
        required=False,
        empty_label="No change",
    )
    new_council_share_percent = _percent_field("Council")
    new_icb_share_percent = _percent_field("Integrated care board (ICB)")
    new_other_share_percent = _percent_field("Other")

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].error_messages["required"] = (
            "Enter the date the change takes effect"
        )
        # Plain text built from the contract's figures, escaped by the form.
        self.fields["new_annual_value"].help_text = (
            f"Before any uplift. Now £{contract.annual_value:,.2f}. Leave empty if it does not "
            "change."
        )
        self.fields[
            "new_uplift_percent"
        ].help_text = f"Now {contract.uplift_percent:g}%. Leave empty if it does not change."
        self.fields["new_provider"].queryset = Provider.objects.exclude(
            pk=contract.provider_id
        ).order_by("legal_name")

    def layout_fields(self):
        fields = [f for f in super().layout_fields() if f.fields[0] not in SHARES]
        funding = Fieldset(
            *(f for f in super().layout_fields() if f.fields[0] in SHARES),
            legend="New funding split (%), if it changes",
            legend_size=Size.SMALL,
        )
        return [*fields, funding]

    def clean(self):
        data = super().clean()
        data["months_added"] = data.get("months_added") or 0
        return data


class ChangeDecisionForm(DecisionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            self.APPROVE: "Approve the change",
            self.REJECT: "Do not approve: the contract stays as it is",
            self.ESCALATE: "Escalate: it is beyond my delegated authority",
        }
        field = self.fields["decision"]
        field.choices = [(value, labels[value]) for value, _ in field.choices]


class ChangeWithdrawForm(GovUKForm):
    submit_label = "Withdraw the change"
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for withdrawing the change"},
    )
