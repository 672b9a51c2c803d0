from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Fieldset, Size
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from contracts import extension_rules, terms
from contracts.forms_uplift import UpliftCheckMixin
from contracts.models import Contract
from contracts.services import CONTRACT_FIELDS
from contracts.services.register import LIVE_FIGURES, LIVE_FIGURES_REFUSAL, live_figures_text
from core.form_fields import GovUKDateField
from core.forms import GovUKForm, GovUKModelForm
from core.models import User
from core.roles import Role
from core.versioned_forms import VersionedFormMixin


class ContractForm(UpliftCheckMixin, VersionedFormMixin, GovUKModelForm):
    submit_label = "Save contract"
    field_widths = {
        "reference": 20,
        "term": 20,
        "notice_months": 3,
        "annual_value": 10,
        "uplift_percent": 4,
        "council_share_percent": 4,
        "icb_share_percent": 4,
        "other_share_percent": 4,
        "cpv_code": 10,
    }

    start_date = GovUKDateField(label="Start date", help_text="For example, 1 7 2019")
    # The register's titles are read in lists and letters; 255 is the column.
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the contract title"}
    )
    message_names = {
        "council_share_percent": "Council share",
        "icb_share_percent": "ICB share",
        "other_share_percent": "Other share",
    }

    class Meta:
        model = Contract
        fields = [f for f in CONTRACT_FIELDS if f not in ("ocid",)]
        labels = {
            "reference": "Contract reference",
            "title": "Title",
            "description": "Description (optional)",
            "service_area": "Service area",
            "client_group": "Client group",
            "provider": "Provider",
            "lot": "Lot (optional)",
            "owner": "Contract owner",
            "term": "Term",
            "options_may_be_taken_together": "Consecutive options may be taken together",
            "notice_months": "Notice period (months)",
            "annual_value": "Annual value (£)",
            "uplift_percent": "Annual uplift (%)",
            "council_share_percent": "Council",
            "icb_share_percent": "Integrated care board (ICB)",
            "other_share_percent": "Other",
            "procurement_route": "Procurement route",
            "cpv_code": "CPV code (optional)",
            "is_draft": "This is a draft: not yet awarded",
        }
        help_texts = {
            "term": "Initial period and extension options, like 3+2+2 (years) or 36m+12m+12m.",
            "options_may_be_taken_together": (
                "For example two 12-month options taken as a whole or as two separate periods."
            ),
            "notice_months": "How long before the current end the extension decision is due.",
            "annual_value": "Before any uplift, in pounds and pence.",
            "uplift_percent": "Compounded each contract year. 0 if none.",
        }
        error_messages = {
            "reference": {"required": "Enter the contract reference"},
            "title": {"required": "Enter the contract title"},
            "term": {"required": "Enter the term, like 3+2+2"},
            "annual_value": {"required": "Enter the annual value"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = User.objects.filter(
            groups__name=Role.COMMISSIONING_OFFICER.label, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["owner"].queryset = officers
        self.fields["provider"].required = False
        self.fields["provider"].empty_label = "Not yet known"
        self._lock_live_figures()

    def _lock_live_figures(self):
        """A live contract's figures are shown, not edited (decision 19)."""
        self.locked_figures = ()
        if self.instance.pk is None or self.instance.is_draft:
            return
        self.locked_figures = tuple(n for n in LIVE_FIGURES if n in self.fields)
        url = reverse("contracts:change_raise", args=[self.instance.pk])
        for name in self.locked_figures:
            self.fields[name].disabled = True
            self.fields[name].help_text = format_html(
                'The contract is live. <a class="govuk-link" href="{}">Change this through a '
                "contract change</a>.",
                url,
            )

    def _posted_figure_changes(self) -> list[str]:
        """The locked figures a POST tries to change: a disabled field's
        posted value is otherwise ignored without a word."""
        moved = []
        for name in self.locked_figures:
            field = self.fields[name]
            posted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if posted is None or posted == "" or (isinstance(posted, list) and not any(posted)):
                continue
            field.disabled = False
            try:
                if field.has_changed(self.get_initial_for_field(field, name), posted):
                    moved.append(name)
            finally:
                field.disabled = True
        return moved

    def clean(self):
        data = super().clean()
        moved = self._posted_figure_changes()
        if moved:
            raise forms.ValidationError(
                LIVE_FIGURES_REFUSAL.format(fields=live_figures_text(moved))
            )
        return data

    FUNDING = ("council_share_percent", "icb_share_percent", "other_share_percent")

    def layout_fields(self):
        fields = [f for f in super().layout_fields() if f.fields[0] not in self.FUNDING]
        funding = Fieldset(
            *(f for f in super().layout_fields() if f.fields[0] in self.FUNDING),
            legend="Funding split (%)",
            legend_size=Size.SMALL,
        )
        at = next(i for i, f in enumerate(fields) if f.fields[0] == "procurement_route")
        return [*fields[:at], funding, *fields[at:]]

    def clean_term(self):
        try:
            return terms.Term.parse(self.cleaned_data["term"]).notation
        except terms.TermError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_annual_value(self):
        value = self.cleaned_data["annual_value"]
        if value < 0:
            raise forms.ValidationError("Annual value must be £0 or more")
        return value

    def validate_unique(self):
        # The service checks the reference and says which contract has it.
        pass


class ExtensionRequestForm(GovUKForm):
    submit_label = "Send for a decision"
    options_requested = forms.TypedChoiceField(
        label="Which options?", coerce=int, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label="Why should the contract be extended?",
        help_text="Performance, budget availability and the market, as the approver will ask.",
        widget=forms.Textarea,
        error_messages={"required": "Explain why the contract should be extended"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options_requested"].choices = choices
        self.fields["options_requested"].error_messages["required"] = "Choose which options"


class DecisionForm(GovUKForm):
    APPROVE, REJECT, ESCALATE = "approve", "reject", "escalate"
    submit_label = "Record decision"
    field_order = ["decision", "reason", "approved_despite", "authority"]
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, "Approve the extension"),
            (REJECT, "Do not approve: the option will not be taken"),
            (ESCALATE, "Escalate: it is beyond my delegated authority"),
        ],
        error_messages={"required": "Choose a decision"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        help_text="Recorded with your decision.",
        error_messages={"required": "Give the reason for your decision"},
    )
    authority = forms.CharField(
        label="Higher authority (if escalating)",
        required=False,
        help_text="For example Cabinet, or the Executive Director for Adult Social Care.",
    )

    approved_despite = forms.CharField(
        label="If you approve: why, although the evidence is against it?",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, may_approve=True, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons = list(reasons)
        if not may_approve:
            self.fields["decision"].choices = [
                c for c in self.fields["decision"].choices if c[0] != self.APPROVE
            ]
        if not may_approve or not self.reasons:
            del self.fields["approved_despite"]
        else:
            self.fields["approved_despite"].help_text = _despite_hint(self.reasons)

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == self.APPROVE
            and self.reasons
            and not data.get("approved_despite", "").strip()
        ):
            self.add_error("approved_despite", extension_rules.explanation_needed(self.reasons))
        return data


def _despite_hint(reasons) -> str:
    # Printed as the field's hint; EscapedBoundField escapes it.
    return "Needed because " + "; ".join(r.clause for r in reasons) + "."


class WithdrawForm(GovUKForm):
    submit_label = "Withdraw the request"
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for withdrawing the request"},
    )


class AuthorityDecisionForm(GovUKForm):
    submit_label = "Record the decision"
    approved = forms.TypedChoiceField(
        label="What did they decide?",
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        choices=[("yes", "Approved"), ("no", "Not approved")],
        error_messages={"required": "Choose what they decided"},
    )
    reference = forms.CharField(
        label="Decision reference",
        help_text="For example the Cabinet minute, like Cabinet 7 November 2019, item 123.",
        error_messages={"required": "Enter the decision reference"},
    )
    reason = forms.CharField(
        label="Why did they decide this?",
        widget=forms.Textarea,
        help_text="As recorded in the decision, for example the minute's reasons.",
        error_messages={"required": "Give the reason for the decision"},
    )
    approved_despite = forms.CharField(
        label="If they approved: why, although the evidence is against it?",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, reasons=(), authority="", **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons, self.authority = list(reasons), authority
        if not self.reasons:
            del self.fields["approved_despite"]
        else:
            field = self.fields["approved_despite"]
            field.label = f"If {authority} approved: why, although the evidence is against it?"
            field.help_text = _despite_hint(self.reasons) + " As the decision records it."

    def clean(self):
        data = super().clean()
        if data.get("approved") and self.reasons and not data.get("approved_despite", "").strip():
            self.add_error(
                "approved_despite",
                extension_rules.explanation_needed(self.reasons, authority=self.authority),
            )
        return data


class TerminationForm(GovUKForm):
    submit_label = "Terminate contract"
    warning_button = True
    terminated_on = DateInputField(
        label="Last day of the contract", help_text="For example, 31 3 2027"
    )
    reason = forms.CharField(
        label="Reason for ending the contract early",
        widget=forms.Textarea,
        error_messages={"required": "Give the reason for ending the contract early"},
    )


class ContractFilterForm(forms.Form):
    """Rendered by core.filter_form, not crispy-forms: see there why."""

    submit_label = "Apply filters"


class EarlierOptionsForm(GovUKForm):
    submit_label = "Record the options"
    options_taken = forms.TypedChoiceField(
        label="How many options had been taken?", coerce=int, widget=forms.RadioSelect
    )
    rest_not_taken = forms.BooleanField(
        label="The remaining options were not taken", required=False
    )
    note = forms.CharField(
        label="Where is this recorded? (optional)",
        required=False,
        help_text="For example the decision record or the signed variation.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options_taken"].choices = choices
        self.fields["options_taken"].error_messages["required"] = "Choose how many were taken"
