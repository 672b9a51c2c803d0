"""Forms for changing a call-off while it is prepared, and for cancelling a
call-off or a care package. Error messages follow the GOV.UK Design
System: each names its field and says how to put it right."""

from django import forms

from core.forms import GovUKForm
from core.versioned_forms import VersionedFormMixin
from procurement.constants import CriterionKind

REASON_MAX = 1000


class CriterionEditForm(VersionedFormMixin, GovUKForm):
    submit_label = "Save criterion"
    field_widths = {"weight": 4, "max_score": 3}
    name = forms.CharField(
        label="Criterion",
        max_length=200,
        help_text="Up to 200 characters",
        error_messages={
            "required": "Enter the criterion",
            "max_length": "Criterion must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What it assesses",
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the criterion assesses"},
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        min_value=0,
        max_value=100,
        decimal_places=2,
        # Not type=number: browsers round, step and scroll it.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="A percentage, for example 45 or 2.5. All the weights must add up to 100",
        # Django formats these with their limits: "%%" shows as "%".
        error_messages={
            "required": "Enter the weight",
            "invalid": "Weight must be a number, like 45 or 2.5",
            "min_value": "Weight must be 0%% or more",
            "max_value": "Weight must be 100%% or less",
            "max_decimal_places": "Weight must have no more than 2 decimal places",
            "max_digits": "Weight must be 100%% or less",
            "max_whole_digits": "Weight must be 100%% or less",
        },
    )
    max_score = forms.IntegerField(
        label="Highest score",
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text="A whole number from 1 to 100: scored from 0 to this. Not used for price",
        error_messages={
            "required": "Enter the highest score",
            "invalid": "Highest score must be a whole number, like 5",
            "min_value": "Highest score must be 1 or more",
            "max_value": "Highest score must be 100 or less",
        },
    )
    descriptors = forms.CharField(
        label="Score descriptors (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="Up to 2,000 characters: what each score means, "
        "for example 0 no answer, 1 poor ... 5 excellent",
        error_messages={"max_length": "Score descriptors must be 2,000 characters or fewer"},
    )


class CriterionRemoveForm(GovUKForm):
    submit_label = "Remove criterion"
    warning_button = True


class CancelForm(GovUKForm):
    submit_label = "Cancel it"
    warning_button = True
    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=REASON_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the reason for cancelling",
            "max_length": f"Reason for cancelling must be {REASON_MAX:,} characters or fewer",
        },
    )

    def __init__(self, *args, submit_label: str, told: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label
        self.fields[
            "reason"
        ].help_text = f"Up to {REASON_MAX:,} characters. {told} It stays in the history."
