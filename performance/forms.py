from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Fieldset, Size
from django import forms
from django.utils.html import format_html

from core.forms import GovUKForm, GovUKModelForm
from core.versioned_forms import VersionedFormMixin
from performance import ratings
from performance.constants import Direction, PerformanceRating
from performance.models import MEASURE, Kpi
from performance.services import KPI_FIELDS

_MAX = 10 ** (MEASURE["max_digits"] - MEASURE["decimal_places"])


def _number_input():
    # GOV.UK: a text input with a numeric keyboard, not type=number, which
    # browsers round, scroll and reject in ways users cannot see.
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def describe_target(kpi) -> str:
    """'Target 90%, higher is better, amber within 5': from stored data, so
    plain text that the form escapes."""
    better = "higher" if kpi.direction == Direction.HIGHER else "lower"
    unit = kpi.unit if kpi.unit in ("%",) else f" {kpi.unit}" if kpi.unit else ""
    text = f"Target {kpi.target:g}{unit}, {better} is better"
    if kpi.tolerance:
        text += f", amber within {kpi.tolerance:g}"
    return text


class KpiForm(VersionedFormMixin, GovUKModelForm):
    submit_label = "Save KPI"
    field_widths = {"unit": 10, "target": 10, "tolerance": 10}

    class Meta:
        model = Kpi
        fields = list(KPI_FIELDS)
        labels = {
            "name": "Name",
            "measure": "What is measured",
            "unit": "Unit",
            "target": "Target",
            "direction": "Which is better?",
            "tolerance": "Tolerance for amber",
            "frequency": "How often is it reported?",
            "most_material": "One of the contract's three most material KPIs",
        }
        help_texts = {
            "measure": "How the provider counts it, for example “People supported who "
            "maintained their tenancy, as a percentage of people supported”.",
            "unit": "For example %, people, hours or days.",
            "tolerance": "How far short of the target is still amber, in the KPI's unit. "
            "0 if anything short of the target is red.",
            "most_material": "Published on the contract details notice (Procurement Act 2023).",
        }
        widgets = {
            "direction": forms.RadioSelect,
            "frequency": forms.RadioSelect,
            "target": _number_input(),
            "tolerance": _number_input(),
        }
        error_messages = {
            "name": {"required": "Enter the KPI's name"},
            "measure": {"required": "Enter what is measured"},
            "unit": {"required": "Enter the unit, for example %"},
            "target": {"required": "Enter the target", "invalid": "Enter the target as a number"},
            "tolerance": {
                "required": "Enter the tolerance, 0 if none",
                "invalid": "Enter the tolerance as a number",
            },
            "direction": {"required": "Select whether higher or lower is better"},
            "frequency": {"required": "Select how often the KPI is reported"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons without a blank "---------" choice.
        for name in ("direction", "frequency"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]

    def clean_tolerance(self):
        tolerance = self.cleaned_data["tolerance"]
        if tolerance is not None and tolerance < 0:
            raise forms.ValidationError("The tolerance cannot be negative")
        return tolerance

    def validate_unique(self):
        # The service checks names and says which KPI has it.
        pass


class KpiTemplatesForm(GovUKForm):
    submit_label = "Add the selected KPIs"
    templates = forms.MultipleChoiceField(
        label="Which KPIs should this contract have?",
        help_text="Select all that apply. You can change each KPI afterwards.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one KPI"},
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["templates"].choices = [
            Choice(key, t.name, hint=f"{t.measure} {describe_target(t)}.")
            for key, t in self.templates.items()
        ]

    def clean_templates(self):
        return [self.templates[key] for key in self.cleaned_data["templates"]]


class KpiRemoveForm(VersionedFormMixin, GovUKForm):
    warning_button = True

    def __init__(self, *args, has_returns: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = "Retire KPI" if has_returns else "Delete KPI"


def _actual_field(kpi) -> forms.DecimalField:
    unit = f" ({kpi.unit})" if kpi.unit else ""
    return forms.DecimalField(
        label=f"Actual{unit}",
        help_text=f"{describe_target(kpi)}. Leave blank if the provider did not report it.",
        required=False,
        widget=_number_input(),
        max_digits=MEASURE["max_digits"],
        decimal_places=MEASURE["decimal_places"],
        max_value=_MAX - 1,
        min_value=-(_MAX - 1),
        error_messages={
            "invalid": f"Enter the actual for {kpi.name} as a number",
            "max_decimal_places": f"Enter the actual for {kpi.name} to 2 decimal places or fewer",
        },
    )


class ReturnForm(VersionedFormMixin, GovUKForm):
    """The period (unless the contract's calendar fixed it) and, for each
    current KPI, the provider's actual and its evidence."""

    submit_label = "Record the return"

    def __init__(self, *args, kpis, fixed_period: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        self.field_widths = {}
        if not fixed_period:
            self.fields["period_start"] = DateInputField(
                label="Period start", help_text="For example, 1 4 2026"
            )
            self.fields["period_end"] = DateInputField(
                label="Period end", help_text="For example, 30 6 2026"
            )
            self.fields["period_start"].error_messages["required"] = (
                "Enter the date the period starts"
            )
            self.fields["period_end"].error_messages["required"] = "Enter the date the period ends"
        for kpi in self.kpis:
            self.fields[f"actual_{kpi.pk}"] = _actual_field(kpi)
            self.field_widths[f"actual_{kpi.pk}"] = 10
            self.fields[f"evidence_{kpi.pk}"] = forms.CharField(
                label="Evidence",
                help_text="What the provider sent or what you saw (optional).",
                required=False,
                widget=forms.Textarea,
            )

    def layout_fields(self):
        fields = super().layout_fields()
        by_name = {f.fields[0]: f for f in fields}
        layout = [f for f in fields if not f.fields[0].startswith(("actual_", "evidence_"))]
        for kpi in self.kpis:
            layout.append(
                Fieldset(
                    by_name[f"actual_{kpi.pk}"],
                    by_name[f"evidence_{kpi.pk}"],
                    legend=kpi.name,  # escaped by GovUKFormMixin.helper
                    legend_size=Size.MEDIUM,
                )
            )
        return layout


class ReviewForm(VersionedFormMixin, GovUKForm):
    submit_label = "Save the review"

    overall_rating = forms.ChoiceField(
        label="Overall rating",
        help_text="On the Procurement Act 2023 scale, as a contract performance notice gives it.",
        choices=[
            Choice(value, label, hint=hint)
            for (value, label), hint in zip(
                PerformanceRating.choices,
                (
                    "The KPIs were met.",
                    "Close to the targets.",
                    "Short of the targets: the provider must improve.",
                    "Well short of the targets.",
                    "None of these describes it: say why below.",
                ),
                strict=True,
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the overall rating"},
    )
    other_reason = forms.CharField(
        label="Reason for Other (if Other)",
        required=False,
        widget=forms.Textarea,
    )
    meeting_notes = forms.CharField(
        label="Notes of the monitoring meeting or visit (optional)",
        required=False,
        widget=forms.Textarea,
    )
    care_manager_reviews = forms.CharField(
        label="Care managers' reviews (optional)",
        help_text="What service users' reviews by care managers found.",
        required=False,
        widget=forms.Textarea,
    )
    reviewed_on = DateInputField(label="Review date", help_text="For example, 28 7 2026")

    def __init__(self, *args, suggestion: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].error_messages["required"] = "Enter the review date"
        if suggestion:
            self.fields["overall_rating"].help_text = format_html(
                "{} From the KPI ratings alone this looks like <strong>{}</strong>; "
                "the meeting and the care managers' reviews may say otherwise.",
                self.fields["overall_rating"].help_text,
                ratings.pa_rating_label(suggestion),
            )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("overall_rating") == PerformanceRating.OTHER
            and not (cleaned.get("other_reason") or "").strip()
        ):
            self.add_error("other_reason", "Enter why the rating is Other")
        return cleaned
