"""Every form in the service speaks GOV.UK: each error message names its
field and says how to put it right, never Django's own wording; dates are
date inputs, numbers are text inputs, money has a £ prefix, and every text
field's hint states its length limit.

The forms are found by tests/form_discovery.py, so a new form
fails test_every_form_has_a_wording_case until it is given one below.
"""

import importlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.test import RequestFactory

from contracts.extension_rules import Reason
from core.form_messages import field_noun
from core.forms import GovUKFormMixin
from finance.years import FinancialYear
from tests.factories import ContractFactory, UserFactory
from tests.form_discovery import discovered_forms, invalid_answers

# Django's and crispy-forms-gds's own wording, which names no field.
DJANGO_WORDING = (
    "This field",
    "Ensure this",
    "Ensure that",
    "out of range",
    "must be in 1..12",
    "Enter a valid",
    "Select a valid",
    "Enter a whole number.",
    "Enter a number.",
    "Enter the day, month and year",
    "No file was submitted",
    "already exists.",
)


def _criterion(pk, name, kind="quality"):
    return SimpleNamespace(
        pk=pk, name=name, weight=Decimal(60), max_score=5, descriptors="", kind=kind
    )


def _question(pk):
    return SimpleNamespace(pk=pk, number=pk, text="CQC registration", guidance="")


def _related(*items):
    return SimpleNamespace(all=lambda: list(items))


def _bid(pk):
    return SimpleNamespace(pk=pk, provider=SimpleNamespace(legal_name=f"Provider {pk}"))


def _kpi(pk):
    from performance.constants import Direction

    return SimpleNamespace(
        pk=pk,
        name="Tenancies maintained",
        measure="People who kept their tenancy.",
        unit="%",
        target=Decimal(90),
        tolerance=Decimal(5),
        direction=Direction.HIGHER,
    )


REASONS = [Reason(rule="kpis", clause="a KPI is red")]

# How to build each form: a function of a user, returning its keyword
# arguments. Every form the service has must be here.
CASES = {
    "core.forms.SignInForm": lambda user: {},
    "core.forms.PasswordResetRequestForm": lambda user: {},
    "core.forms.NewPasswordForm": lambda user: {},
    "core.forms.ChangePasswordForm": lambda user: {},
    "contracts.forms.ContractForm": lambda user: {},
    "contracts.forms.ExtensionRequestForm": lambda user: {"choices": [(1, "One option")]},
    "contracts.forms.DecisionForm": lambda user: {"reasons": REASONS},
    "contracts.forms.WithdrawForm": lambda user: {},
    "contracts.forms.AuthorityDecisionForm": lambda user: {
        "reasons": REASONS,
        "authority": "Cabinet",
    },
    "contracts.forms.TerminationForm": lambda user: {},
    "contracts.forms.EarlierOptionsForm": lambda user: {"choices": [(0, "None"), (1, "One")]},
    "contracts.forms_changes.ChangeForm": lambda user: {"contract": ContractFactory()},
    "contracts.forms_changes.ChangeDecisionForm": lambda user: {},
    "contracts.forms_changes.ChangeWithdrawForm": lambda user: {},
    "documents.forms.DocumentUploadForm": lambda user: {},
    "documents.forms.DocumentWithdrawForm": lambda user: {"version": 1},
    "finance.forms.ReviewForm": lambda user: {"version": 1},
    "finance.forms.ReportForm": lambda user: {},
    "finance.forms.BudgetLineForm": lambda user: {
        "version": 1,
        "years": FinancialYear.around(date(2026, 12, 1), before=7, after=4),
    },
    "performance.forms.KpiForm": lambda user: {},
    "performance.forms.KpiTemplatesForm": lambda user: {"templates": [_kpi(1)]},
    "performance.forms.KpiRemoveForm": lambda user: {"has_returns": True},
    "performance.forms.ReturnForm": lambda user: {"kpis": [_kpi(1)], "fixed_period": False},
    "performance.forms.ReviewForm": lambda user: {},
    "performance.forms_failures.FailureForm": lambda user: {"contract": ContractFactory()},
    "performance.forms_failures.WarnForm": lambda user: {},
    "performance.forms_failures.ClosePlanForm": lambda user: {"warned_on": date(2026, 3, 2)},
    "procurement.forms.ConfirmForm": lambda user: {},
    "procurement.forms.SystemForm": lambda user: {},
    "procurement.forms.LotForm": lambda user: {},
    "procurement.forms.WindowForm": lambda user: {},
    "procurement.forms.QuestionForm": lambda user: {},
    "procurement.forms.ApplicationForm": lambda user: {
        "system": SimpleNamespace(
            lots=SimpleNamespace(all=lambda: _lots()), questions=_related(_question(1))
        )
    },
    "procurement.forms.AnswersForm": lambda user: {"application": _application()},
    "procurement.forms.AdmissionForm": lambda user: {"admission": _admission()},
    "procurement.forms.CallOffForm": lambda user: {},
    "procurement.forms.CriterionForm": lambda user: {},
    "procurement.forms_award.AwardForm": lambda user: {
        "first": [_bid(1), _bid(2)],
        "owners": _owners(),
    },
    "procurement.forms_award.PackageAwardForm": lambda user: {"owners": _owners()},
    "procurement.forms.ClarificationForm": lambda user: {},
    "procurement.forms.DirectAwardForm": lambda user: {
        "providers": _providers(),
        "owners": _owners(),
    },
    "procurement.forms.EvaluatorForm": lambda user: {},
    "procurement.forms.DeclarationForm": lambda user: {},
    "procurement.forms.ScoreForm": lambda user: {"criteria": [_criterion(1, "Quality")]},
    "procurement.forms.ConsensusForm": lambda user: {"criteria": [_criterion(1, "Quality")]},
    "procurement.forms.ProviderBidForm": lambda user: {
        "criteria": [_criterion(1, "Quality"), _criterion(2, "Price", kind="price")]
    },
    "procurement.forms.PackageForm": lambda user: {},
    "procurement.forms.PackageBidForm": lambda user: {"providers": _providers()},
    "procurement.forms.PanelForm": lambda user: {},
    "procurement.forms.MeetAndGreetForm": lambda user: {},
    "procurement.forms.ChoiceForm": lambda user: {"bids": _bids()},
    "providers.forms.ProviderForm": lambda user: {},
    "providers.forms.ProviderContactForm": lambda user: {},
    "providers.forms.ConfirmRemoveForm": lambda user: {},
    "procurement.change_forms.CriterionEditForm": lambda user: {"version": 1},
    "procurement.change_forms.CriterionRemoveForm": lambda user: {},
    "procurement.change_forms.CancelForm": lambda user: {
        "submit_label": "Cancel the call-off",
        "told": "Every invited provider is told.",
    },
    "notifications.forms.PreferencesForm": lambda user: _preferences(),
    "search.forms.SearchForm": lambda user: {},
    "contracts.forms_import.RegisterUploadForm": lambda user: {},
    "finance.forms.BudgetLineRemoveForm": lambda user: {"version": 1},
}

# Forms whose every answer may be left empty, or which ask nothing.
NOTHING_REQUIRED = {
    "performance.forms.KpiRemoveForm",
    "procurement.forms.ConfirmForm",
    "procurement.change_forms.CriterionRemoveForm",
    "providers.forms.ConfirmRemoveForm",
}


def _preferences():
    from notifications.kinds import Delivery, Kind

    return {"kinds": list(Kind), "current": dict.fromkeys(Kind, Delivery.IMMEDIATE)}


def _lots():
    from procurement.models import Lot

    return Lot.objects.none()


def _owners():
    from procurement.services.call_offs import contract_owners

    return contract_owners()


def _providers():
    from providers.models import Provider

    return Provider.objects.none()


def _bids():
    from procurement.models import PackageBid

    return PackageBid.objects.none()


def _application():
    answer = SimpleNamespace(question_id=1, question=_question(1), passed=True, evidence="")
    related = SimpleNamespace(select_related=lambda *a: [answer])
    return SimpleNamespace(answers=related, version=1)


def _admission():
    from procurement.constants import AdmissionStatus

    return SimpleNamespace(status=AdmissionStatus.PENDING)


def build(path, data=None, files=None):
    module, name = path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    kwargs = CASES[path](UserFactory())
    if cls.__name__ in ("NewPasswordForm", "ChangePasswordForm"):
        return cls(UserFactory(), data=data, **kwargs)
    if cls.__name__ in ("SignInForm",):
        return cls(RequestFactory().post("/"), data=data, **kwargs)
    return cls(data=data, files=files, **kwargs)


def _too_big(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if field.disabled or field.widget.is_hidden:
            continue
        if isinstance(field, DateInputField):
            data.update({f"{key}_0": "1", f"{key}_1": "1", f"{key}_2": "1989"})
        elif isinstance(field, forms.DecimalField):
            data[key] = "-123456789012345678.123"
        elif isinstance(field, forms.IntegerField):
            data[key] = "-1000000"
    return data


def _problems(form) -> list[str]:
    """Each message that breaks the GOV.UK pattern, with why."""
    problems = []
    for name, messages in form.errors.items():
        for message in messages:
            if any(wording in message for wording in DJANGO_WORDING):
                problems.append(f"{name}: Django's wording: {message}")
        if len(messages) != len(set(messages)):
            problems.append(f"{name}: said twice: {messages}")
        if name == "__all__" or name not in form.fields:
            continue
        field = form.fields[name]
        noun = field_noun(field).lower().removeprefix("the answer to ")
        written = {str(m) for m in field.error_messages.values()}
        for message in messages:
            if noun.strip("“”") not in message.lower() and message not in written:
                problems.append(f"{name}: does not name “{field_noun(field)}”: {message}")
    return problems


@pytest.mark.django_db
def test_every_form_has_a_wording_case():
    missing = discovered_forms() - set(CASES)
    assert not missing, f"Add these forms to CASES in {__name__}: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(CASES))
def test_form_messages_name_their_field_in_govuk_wording(path):
    empty = build(path, data={})
    assert empty.is_valid() is (path in NOTHING_REQUIRED), empty.errors
    assert _problems(empty) == []
    for answers in (invalid_answers, _too_big):
        form = build(path, data=answers(build(path)))
        form.is_valid()
        assert _problems(form) == [], answers.__name__


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(CASES))
def test_form_inputs_follow_the_design_system(path):
    form = build(path)
    html = render_crispy_form(form)
    assert 'type="number"' not in html
    for name, field in form.fields.items():
        assert type(field) is not forms.DateField, f"{name} is not a date input"
        bound = form[name]
        if field.widget.is_hidden:
            continue
        if isinstance(field, forms.DecimalField | forms.IntegerField):
            assert field.widget.attrs.get("inputmode") in ("decimal", "numeric"), name
        if isinstance(field, forms.DecimalField) and "£" in str(field.label):
            assert "govuk-input__prefix" in bound.as_widget(), name
        is_text = isinstance(field, forms.CharField) and not isinstance(
            field.widget, forms.PasswordInput
        )
        if is_text and not field.widget.is_hidden and not field.disabled and form.length_hints:
            assert "character" in str(bound.help_text), f"{name} states no limit"


class _Stored(GovUKFormMixin, forms.Form):
    """A form whose label and hint come from stored data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.CharField(
            label="<b>Smith & Sons</b>", help_text="<i>Ours</i> & theirs", max_length=50
        )


def test_a_hint_from_stored_data_stays_escaped_once_its_limit_is_added():
    html = render_crispy_form(_Stored())
    assert "&lt;i&gt;Ours&lt;/i&gt; &amp; theirs. 50 characters or fewer." in html
    assert "<i>" not in html
    assert "&amp;amp;" not in html


def test_a_message_the_form_wrote_is_kept():
    class Written(GovUKFormMixin, forms.Form):
        reason = forms.CharField(
            label="Reason", error_messages={"required": "Give the reason for your decision"}
        )

    assert Written(data={}).errors == {"reason": ["Give the reason for your decision"]}


def test_each_field_is_given_one_message():
    class Amount(GovUKFormMixin, forms.Form):
        amount = forms.DecimalField(
            label="Amount (£)", min_value=0, max_digits=14, decimal_places=2
        )

    assert Amount(data={"amount": "-1000000000000000.123"}).errors == {
        "amount": ["Amount must be £0 or more"]
    }
