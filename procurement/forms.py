"""Procurement forms: labels, hints and error messages live here; the rules
live in procurement.services."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator

from contracts import terms
from contracts.constants import ServiceArea
from core.forms import GovUKForm
from core.models import User
from core.versioned_forms import VersionedFormMixin
from procurement.constants import (
    CallOffRoute,
    CriterionKind,
    PackageKind,
    SystemKind,
)
from procurement.forms_award import owner_field
from providers.models import Provider

TIME_HELP = "UK time, 24-hour clock, for example 12:00"
DOCUMENT_TYPES = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "txt", "rtf"]


def _deadline(day, hour):
    return datetime.combine(day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE))


class ConfirmForm(GovUKForm):
    """A page whose only question is "are you sure?"."""

    def __init__(self, *args, submit_label="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label


class SystemForm(GovUKForm):
    submit_label = "Add purchasing system"
    field_widths = {"reference": 10}
    reference = forms.CharField(label="Reference", max_length=60)
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=SystemKind.choices, widget=forms.RadioSelect)
    service_area = forms.ChoiceField(label="Service area", choices=ServiceArea.choices)
    starts_on = DateInputField(label="Start date", help_text="For example, 1 9 2020")
    ends_on = DateInputField(label="End date", help_text="Sefton's PDPS runs for 5 years")
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )


class LotForm(GovUKForm):
    submit_label = "Add lot"
    name = forms.CharField(
        label="Lot name",
        max_length=200,
        help_text="For example Supported living, or Complex health needs",
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )


class WindowForm(GovUKForm):
    submit_label = "Open for applications"
    opens_on = DateInputField(label="Opening date")
    closes_on = DateInputField(label="Closing date")
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)


class QuestionForm(GovUKForm):
    submit_label = "Add question"
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea,
        help_text="Every applicant must pass it, for example CQC registration",
    )
    guidance = forms.CharField(
        label="Guidance for the assessor (optional)", required=False, widget=forms.Textarea
    )


PASS_FAIL = [("pass", "Pass"), ("fail", "Fail")]


class _SelectionAnswersMixin:
    """A pass/fail and evidence field for each selection question."""

    def add_question_fields(self, questions, answers=None):
        self.questions = list(questions)
        for question in self.questions:
            answer = (answers or {}).get(question.pk)
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=PASS_FAIL,
                widget=forms.RadioSelect,
                help_text=question.guidance,
                initial=None if answer is None else ("pass" if answer.passed else "fail"),
                error_messages={
                    "required": f"Record a pass or fail for question {question.number}"
                },
            )
            self.fields[f"q{question.pk}_evidence"] = forms.CharField(
                label=f"Evidence for question {question.number}",
                required=False,
                widget=forms.Textarea,
                initial=None if answer is None else answer.evidence,
            )

    def answers(self):
        return {
            q: (self.cleaned_data[f"q{q.pk}"] == "pass", self.cleaned_data[f"q{q.pk}_evidence"])
            for q in self.questions
        }


class ApplicationForm(_SelectionAnswersMixin, GovUKForm):
    submit_label = "Record application"
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.none())
    lots = forms.ModelMultipleChoiceField(
        label="Lots applied for", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    received_on = DateInputField(label="Date received")

    def __init__(self, *args, system, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.order_by("legal_name")
        self.fields["lots"].queryset = system.lots.all()
        self.add_question_fields(system.questions.all())


class AnswersForm(VersionedFormMixin, _SelectionAnswersMixin, GovUKForm):
    submit_label = "Save answers"

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        answers = {a.question_id: a for a in application.answers.select_related("question")}
        self.add_question_fields([a.question for a in answers.values()], answers)


class AdmissionForm(GovUKForm):
    submit_label = "Record decision"
    status = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="Required unless admitting: the provider is told why",
    )

    def __init__(self, *args, admission, **kwargs):
        from procurement.services.systems import DECISIONS

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label)
            for status, allowed_from in DECISIONS.items()
            if admission.status in allowed_from
        ]


class CallOffForm(GovUKForm):
    submit_label = "Create call-off"
    field_widths = {
        "reference": 10,
        "term": 10,
        "notice_months": 3,
        "annual_value": 10,
        "deadline_time": 5,
    }
    route = forms.ChoiceField(label="Route", choices=CallOffRoute.choices, widget=forms.RadioSelect)
    reference = forms.CharField(label="Reference", max_length=60)
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    start_date = DateInputField(label="Contract start date")
    term = forms.CharField(
        label="Term", initial="3+1+1", help_text="Sefton: 3 years plus two 12-month options (3+1+1)"
    )
    options_may_be_taken_together = forms.BooleanField(
        label="The options may be taken as a whole or separately", required=False, initial=True
    )
    notice_months = forms.IntegerField(
        label="Notice period (months)", initial=3, min_value=0, max_value=60
    )
    annual_value = forms.DecimalField(
        label="Annual value (£)",
        min_value=0,
        decimal_places=2,
        max_digits=14,
        help_text="The council sets the price",
    )
    deadline_date = DateInputField(label="Deadline for bids (mini-competition)", required=False)
    deadline_time = forms.TimeField(
        label="Time of the deadline", required=False, initial=time(12), help_text=TIME_HELP
    )

    def clean_term(self):
        try:
            return terms.Term.parse(self.cleaned_data["term"]).notation
        except terms.TermError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        data["bid_deadline"] = None
        if data.get("deadline_date"):
            data["bid_deadline"] = _deadline(
                data["deadline_date"], data.get("deadline_time") or time(12)
            )
        data.pop("deadline_date", None)
        data.pop("deadline_time", None)
        return data


class CriterionForm(GovUKForm):
    submit_label = "Add criterion"
    field_widths = {"weight": 4, "max_score": 3}
    name = forms.CharField(label="Criterion", max_length=200)
    kind = forms.ChoiceField(
        label="What it assesses", choices=CriterionKind.choices, widget=forms.RadioSelect
    )
    weight = forms.DecimalField(
        label="Weight (%)",
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text="All the weights must add up to 100",
    )
    max_score = forms.IntegerField(
        label="Highest score",
        initial=5,
        min_value=1,
        max_value=100,
        help_text="Scored from 0 to this; not used for price",
    )
    descriptors = forms.CharField(
        label="Score descriptors (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="What each score means: 0 no answer, 1 poor ... 5 excellent",
    )


class ClarificationForm(GovUKForm):
    submit_label = "Publish to every invited provider"
    question = forms.CharField(label="Question asked", widget=forms.Textarea)
    answer = forms.CharField(label="The council's answer", widget=forms.Textarea)


class DirectAwardForm(GovUKForm):
    submit_label = "Award the contract"
    warning_button = False
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.none())
    justification = forms.CharField(
        label="Why this provider is awarded directly", widget=forms.Textarea
    )
    owner = owner_field()

    def __init__(self, *args, providers, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["owner"].queryset = owners


class EvaluatorForm(GovUKForm):
    submit_label = "Add evaluator"
    evaluator = forms.ModelChoiceField(label="Evaluator", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        from django.db.models import Q

        super().__init__(*args, **kwargs)
        may_score = Q(groups__permissions__codename="score_bids") | Q(is_superuser=True)
        self.fields["evaluator"].queryset = (
            User.objects.filter(may_score, is_active=True).distinct().order_by("last_name")
        )


class DeclarationForm(GovUKForm):
    submit_label = "Make declaration"
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with any bidder?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="For example a family member, a recent job, or shares in a bidder",
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    statement = forms.CharField(label="If yes, describe it", required=False, widget=forms.Textarea)


class ScoreForm(GovUKForm):
    """One bid's scores on every criterion an evaluator scores."""

    submit_label = "Save scores"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} ({criterion.weight:g}%)",
                choices=[(n, str(n)) for n in range(criterion.max_score + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.descriptors,
                error_messages={"required": f"Score “{criterion.name}”"},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Why this score for {criterion.name}",
                required=False,
                widget=forms.Textarea,
            )

    def scores(self):
        return {
            c: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class ConsensusForm(ScoreForm):
    submit_label = "Save consensus scores"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in self.criteria:
            comment = self.fields[f"comment_{criterion.pk}"]
            comment.label = f"Rationale for the consensus on {criterion.name}"
            comment.required = True
            comment.error_messages["required"] = f"Record the rationale for {criterion.name}"


class ProviderBidForm(GovUKForm):
    submit_label = "Submit bid"

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            if criterion.kind == CriterionKind.PRICE:
                self.fields["price"] = forms.DecimalField(
                    label=f"{criterion.name}: your price (£)",
                    min_value=0,
                    decimal_places=2,
                    max_digits=12,
                )
                self.fields["price"].message_name = "Your price"
            else:
                self.fields[f"answer_{criterion.pk}"] = forms.CharField(
                    label=f"{criterion.name} ({criterion.weight:g}%)",
                    widget=forms.Textarea,
                    help_text=criterion.descriptors,
                    error_messages={"required": f"Answer “{criterion.name}”"},
                )
        self.fields["document"] = forms.FileField(
            # Its size is limited by core.uploads, as every upload's is.
            validators=[FileExtensionValidator(DOCUMENT_TYPES)],
            help_text="PDF, Word, Excel, OpenDocument or text; up to 10 MB",
            label="Supporting document (optional)",
            required=False,
        )

    def answers(self):
        return {
            c.pk: self.cleaned_data[f"answer_{c.pk}"]
            for c in self.criteria
            if f"answer_{c.pk}" in self.cleaned_data
        }


class PackageForm(GovUKForm):
    submit_label = "Advertise package"
    field_widths = {"reference": 10, "weekly_budget": 10, "term": 10, "deadline_time": 5}
    reference = forms.CharField(
        label="Package reference",
        max_length=60,
        help_text="A reference, never the person's name: providers and panels see it",
    )
    kind = forms.ChoiceField(
        label="For",
        choices=PackageKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the package is for"},
    )
    outcomes = forms.CharField(
        label="Outcomes", widget=forms.Textarea, help_text="From the co-produced care plan"
    )
    weekly_budget = forms.DecimalField(
        label="Weekly individual budget (£)", min_value=0, decimal_places=2, max_digits=10
    )
    start_date = DateInputField(label="Start date")
    term = forms.CharField(
        label="Term of the award", initial="1", help_text="For example 1 (one year) or 3+1+1"
    )
    deadline_date = DateInputField(label="Deadline for bids")
    deadline_time = forms.TimeField(
        label="Time of the deadline", initial=time(12), help_text=TIME_HELP
    )

    def clean_term(self):
        try:
            return terms.Term.parse(self.cleaned_data["term"]).notation
        except terms.TermError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if data.get("deadline_date") and data.get("deadline_time"):
            data["bid_deadline"] = _deadline(data.pop("deadline_date"), data.pop("deadline_time"))
        return data


class PackageBidForm(GovUKForm):
    submit_label = "Record bid"
    field_widths = {"weekly_price": 10, "received_time": 5}
    provider = forms.ModelChoiceField(label="Provider", queryset=Provider.objects.none())
    proposal = forms.CharField(label="How they would meet the outcomes", widget=forms.Textarea)
    weekly_price = forms.DecimalField(
        label="Weekly price (£)", min_value=0, decimal_places=2, max_digits=10
    )
    received_date = DateInputField(label="Date received")
    received_time = forms.TimeField(label="Time received", help_text=TIME_HELP)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers

    def clean(self):
        data = super().clean()
        if data.get("received_date") and data.get("received_time"):
            data["received_at"] = _deadline(data.pop("received_date"), data.pop("received_time"))
        return data


class PanelForm(GovUKForm):
    submit_label = "Record panel decision"
    shortlisted = forms.TypedChoiceField(
        label="Shortlist this provider?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the provider is shortlisted"},
    )
    notes = forms.CharField(label="The panel's reasons", widget=forms.Textarea)


class MeetAndGreetForm(GovUKForm):
    submit_label = "Record meet and greet"
    met_on = DateInputField(label="Date of the meet and greet")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)


class ChoiceForm(GovUKForm):
    submit_label = "Record the choice"
    bid = forms.ModelChoiceField(label="Provider chosen", queryset=None, widget=forms.RadioSelect)
    chosen_by = forms.CharField(
        label="Who made the choice",
        help_text="The person, their family or their advocate; for a scheme, the panel",
    )

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = bids
        self.fields["bid"].label_from_instance = lambda b: (
            f"{b.provider} (£{b.weekly_price:,.2f} a week)"
        )
