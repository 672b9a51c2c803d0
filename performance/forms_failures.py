"""Forms for performance failures and improvement plans. Each runs the same
rules as its service (performance/failure_rules.py) so every problem is
shown at once; the service still refuses whatever reaches it."""

import dataclasses
from datetime import date

from django import forms
from django.utils import timezone

from core import form_fields as core_fields
from core.forms import GovUKForm
from core.versioned_forms import VersionedFormMixin
from performance import failure_rules
from performance.constants import FailureOutcome, ImprovementPlanStatus
from performance.services.failures import REQUIRED_TEXT


class GovUKDateField(core_fields.GovUKDateField):
    """A date input whose "Enter the date ..." message is written here."""

    def __init__(self, *, label, required_message, **kwargs):
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = required_message


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value) -> bool:
    return value == "yes"


def _add_problems(form, problems) -> None:
    for name, message in problems:
        # One message a field: the first thing to put right.
        if name in form.fields and name not in form.errors:
            form.add_error(name, message)


class FailureForm(VersionedFormMixin, GovUKForm):
    submit_label = "Save the failure"
    field_widths = {"damages_amount": 10}

    obligation = forms.CharField(
        label="Which obligation was not met?",
        help_text="The clause of the contract or the requirement of the service specification.",
        widget=forms.Textarea,
    )
    what_happened = forms.CharField(label="What happened?", widget=forms.Textarea)
    impact = forms.CharField(
        label="What was the impact?",
        help_text="On the people supported, their families and the council.",
        widget=forms.Textarea,
    )
    started_on = GovUKDateField(
        label="Date it started",
        help_text="For example, 14 3 2026",
        required_message="Enter the date it started",
    )
    is_ongoing = forms.TypedChoiceField(
        label="Is it still happening?",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if it is still happening"},
    )
    ended_on = GovUKDateField(
        label="Date it ended (optional)",
        help_text="Leave empty while it is still happening.",
        required_message="Enter the date it ended",
        required=False,
    )
    provider_mitigation = forms.CharField(
        label="What has the provider done to put it right? (optional)",
        widget=forms.Textarea,
        required=False,
    )
    warning_notices = forms.CharField(
        label="Warning notices sent (optional)",
        help_text="Each notice's date and what it said.",
        widget=forms.Textarea,
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=FailureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    damages_amount = forms.DecimalField(
        label="Amount of damages (£) (optional)",
        help_text="Only when the outcome is damages, in pounds and pence.",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "Amount of damages must be a number, like 1500.00",
            "max_decimal_places": "Amount of damages must be in pounds and pence, like 1500.00",
            "max_digits": "Amount of damages must be less than £1,000,000,000,000",
            "max_whole_digits": "Amount of damages must be less than £1,000,000,000,000",
        },
    )
    outcome_notes = forms.CharField(
        label="About the outcome (optional)",
        help_text="Needed when the outcome is Other: for example the terms of a settlement.",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, contract, **kwargs):
        self.contract = contract
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_TEXT.items():
            self.fields[name].error_messages["required"] = message

    def clean(self):
        cleaned = super().clean()
        needed = ("started_on", "is_ongoing", "outcome")
        if any(cleaned.get(n) is None for n in needed) or "damages_amount" in self.errors:
            return cleaned
        facts = failure_rules.FailureFacts(
            started_on=cleaned["started_on"],
            ended_on=cleaned.get("ended_on"),
            is_ongoing=cleaned["is_ongoing"],
            outcome=cleaned["outcome"],
            damages_amount=cleaned.get("damages_amount"),
            outcome_notes=cleaned.get("outcome_notes", ""),
        )
        if "ended_on" in self.errors:
            facts = dataclasses.replace(facts, ended_on=None)
        _add_problems(
            self,
            failure_rules.failure_problems(
                facts, today=timezone.localdate(), contract_start=self.contract.start_date
            ),
        )
        return cleaned


class WarnForm(GovUKForm):
    submit_label = "Record the warning"
    message_names = {"improve_by": "The date to improve by"}
    warned_on = GovUKDateField(
        label="Date of the warning",
        help_text="The date of the letter or notice to the provider, for example 2 3 2026",
        required_message="Enter the date of the warning",
    )
    must_improve = forms.CharField(
        label="What must improve?",
        help_text="As the warning put it to the provider.",
        widget=forms.Textarea,
        error_messages={"required": "Enter what must improve"},
    )
    improve_by = GovUKDateField(
        label="Improve by",
        help_text="The date by which the improvement must be made, for example 31 5 2026",
        required_message="Enter the date to improve by",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("warned_on") and cleaned.get("improve_by"):
            _add_problems(
                self,
                failure_rules.plan_warning_problems(
                    warned_on=cleaned["warned_on"],
                    improve_by=cleaned["improve_by"],
                    today=timezone.localdate(),
                ),
            )
        return cleaned


class ClosePlanForm(VersionedFormMixin, GovUKForm):
    submit_label = "Close the improvement plan"
    status = forms.ChoiceField(
        label="Was the improvement made?",
        choices=[
            (ImprovementPlanStatus.MET.value, "Yes: improvement made"),
            (ImprovementPlanStatus.NOT_MET.value, "No: improvement not made"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the improvement was made"},
    )
    closed_on = GovUKDateField(
        label="Date it was closed",
        help_text="For example, 31 5 2026",
        required_message="Enter the date it was closed",
    )
    outcome_notes = forms.CharField(
        label="What did the council find?",
        help_text="For example from the monitoring visit, and what happens next.",
        widget=forms.Textarea,
        error_messages={"required": "Describe what the council found"},
    )

    def __init__(self, *args, warned_on: date, **kwargs):
        self.warned_on = warned_on
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closed_on"):
            _add_problems(
                self,
                failure_rules.plan_closing_problems(
                    warned_on=self.warned_on,
                    closed_on=cleaned["closed_on"],
                    today=timezone.localdate(),
                ),
            )
        return cleaned
