"""No markup from stored data on any form page.

crispy-forms-gds prints labels, legends and hints with `|safe`, and many are
built from what officers type in: a selection question, a criterion's name
and descriptors, a provider's or a user's name. Here every stored text that
feeds a form's label, hint, legend or choice carries a script payload, every
such form is rendered on its page, and the payload must come back escaped,
once. test_every_form_is_walked keeps the list complete.
"""

import inspect
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core.forms import GovUKFormMixin
from core.roles import Role
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind, PackageKind
from procurement.services import call_offs, evaluation, packages, systems
from tests.factories import ProviderFactory, UserFactory

PAYLOAD = '"><img src=x onerror=alert(1)>'
ESCAPED = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

DEADLINE = datetime(2027, 3, 1, 12, tzinfo=UTC)
SET_UP = DEADLINE - timedelta(days=20)
BID_RECEIVED = DEADLINE - timedelta(days=3)
AFTER = DEADLINE + timedelta(hours=2)

# Forms whose labels, hints or choices come from stored data, and are
# rendered below with the payload in that data.
WALKED = {
    "procurement.forms.ProviderBidForm",
    "procurement.forms.ApplicationForm",
    "procurement.forms.AnswersForm",
    "procurement.forms.EvaluatorForm",
    "procurement.forms.DirectAwardForm",
    "procurement.forms.PackageBidForm",
    "contracts.forms.ContractForm",
    "procurement.forms.ScoreForm",
    "procurement.forms.ConsensusForm",
    "procurement.forms_award.AwardForm",
    "procurement.forms.ChoiceForm",
}

# Forms whose labels, hints, legends and choices are all written in code.
CONSTANT_LABELS = {
    "core.forms.SignInForm",
    "core.forms.PasswordResetRequestForm",
    "core.forms.NewPasswordForm",
    "core.forms.ChangePasswordForm",
    "procurement.forms.ConfirmForm",
    "procurement.forms.SystemForm",
    "procurement.forms.LotForm",
    "procurement.forms.WindowForm",
    "procurement.forms.QuestionForm",
    "procurement.forms.AdmissionForm",
    "procurement.forms.CallOffForm",
    "procurement.forms.CriterionForm",
    "procurement.forms.ClarificationForm",
    "procurement.forms.DeclarationForm",
    "procurement.forms.PackageForm",
    "procurement.forms.PanelForm",
    "procurement.forms.MeetAndGreetForm",
    "providers.forms.ProviderForm",
    "providers.forms.ProviderContactForm",
    "providers.forms.ConfirmRemoveForm",
    # The options offered are worked out from the contract's term.
    "contracts.forms.ExtensionRequestForm",
    "contracts.forms.EarlierOptionsForm",
    "contracts.forms.DecisionForm",
    "contracts.forms.WithdrawForm",
    "contracts.forms.AuthorityDecisionForm",
    "contracts.forms.TerminationForm",
    "finance.forms.ReviewForm",
    "finance.forms.ReportForm",
    "finance.forms.BudgetLineForm",
    "finance.forms.BudgetLineRemoveForm",
    "documents.forms.DocumentUploadForm",
    "documents.forms.DocumentWithdrawForm",
    "performance.forms.KpiForm",
    "performance.forms.KpiRemoveForm",
    "performance.forms.ReviewForm",
    "performance.forms_failures.FailureForm",
    "performance.forms_failures.WarnForm",
    "performance.forms_failures.ClosePlanForm",
}


def _form_classes():
    import contracts.forms
    import core.forms
    import documents.forms
    import finance.forms
    import performance.forms
    import performance.forms_failures
    import procurement.forms
    import providers.forms

    modules = (
        core.forms,
        contracts.forms,
        providers.forms,
        finance.forms,
        procurement.forms,
        documents.forms,
        performance.forms,
        performance.forms_failures,
    )
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, GovUKFormMixin)
                and cls.__module__ == module.__name__
                and not cls.__name__.startswith("GovUK")
            ):
                yield f"{cls.__module__}.{cls.__name__}"


def _admit(system, lot, question, officer, provider):
    application = systems.application_record(
        system=system,
        by=officer,
        provider=provider,
        lots=[lot],
        received_on=SET_UP.date(),
        answers={question: (True, PAYLOAD)},
    )
    systems.admission_decide(
        admission=application.admissions.get(), by=officer, status=AdmissionStatus.ADMITTED
    )
    return application


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def _escaped_page(client, url, rendered):
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    assert "<img" not in text, f"{url}: the payload is printed as markup"
    assert ESCAPED in text, f"{url}: the payload is not shown at all"
    assert "&amp;lt;" not in text, f"{url}: the payload is escaped twice"
    if rendered is not None:
        form = type(response.context["form"])
        rendered.add(f"{form.__module__}.{form.__name__}")
    return response


@pytest.fixture
def rendered():
    return set()


def test_labels_hints_legends_and_choices_from_data_are_escaped(db, time_machine, rendered):
    time_machine.move_to(SET_UP)
    officer = UserFactory(role=Role.PROCUREMENT_OFFICER)
    commissioner = UserFactory(
        role=Role.COMMISSIONING_OFFICER, first_name=PAYLOAD, last_name="Owner"
    )
    evaluator = UserFactory(role=Role.EVALUATOR, first_name=PAYLOAD, last_name="Scorer")
    approver = UserFactory(role=Role.APPROVING_MANAGER)
    system = systems.system_create(
        by=officer,
        reference="XSS-PDPS",
        name=PAYLOAD,
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2026, 9, 1),
        ends_on=date(2031, 8, 31),
    )
    systems.window_open(
        system=system, by=officer, opens_on=date(2026, 9, 1), closes_on=date(2027, 8, 31)
    )
    question = systems.question_add(system=system, by=officer, text=PAYLOAD, guidance=PAYLOAD)
    lot = systems.lot_add(system=system, by=officer, name=PAYLOAD)
    providers = [ProviderFactory(legal_name=f"{PAYLOAD} {n}") for n in ("One", "Two")]
    applications = [_admit(system, lot, question, officer, p) for p in providers]

    call_off = call_offs.call_off_create(
        lot=lot,
        by=officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="XSS-CO-1",
        title=PAYLOAD,
        start_date=date(2027, 6, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=DEADLINE,
    )
    call_offs.criterion_add(
        call_off=call_off,
        by=officer,
        name=PAYLOAD,
        weight=Decimal(60),
        kind=CriterionKind.QUALITY,
        descriptors=PAYLOAD,
    )
    call_offs.criterion_add(
        call_off=call_off,
        by=officer,
        name=f"{PAYLOAD} price",
        weight=Decimal(40),
        kind=CriterionKind.PRICE,
    )
    invitations = call_offs.call_off_open(call_off=call_off, by=officer)
    quality = call_off.criteria.get(kind=CriterionKind.QUALITY)
    bids = [
        call_offs.bid_submit(
            invitation=invitation,
            answers={quality.pk: PAYLOAD},
            price=Decimal("1000.00"),
            now=BID_RECEIVED,
        )
        for invitation in invitations
    ]
    direct = call_offs.call_off_create(
        lot=lot,
        by=officer,
        route=CallOffRoute.DIRECT_AWARD,
        reference="XSS-DA-1",
        title=PAYLOAD,
        start_date=date(2027, 6, 1),
        annual_value=Decimal("50000.00"),
    )
    package = packages.package_advertise(
        lot=lot,
        by=officer,
        reference="XSS-PKG-1",
        kind=PackageKind.SCHEME,
        outcomes=PAYLOAD,
        weekly_budget=Decimal("800.00"),
        start_date=date(2027, 6, 1),
        bid_deadline=DEADLINE,
    )
    package_bids = [
        packages.package_bid_record(
            package=package,
            by=officer,
            provider=provider,
            proposal=PAYLOAD,
            weekly_price=Decimal("700.00"),
            received_at=BID_RECEIVED,
            now=BID_RECEIVED,
        )
        for provider in providers
    ]

    # Before the deadline: the provider's bid form, the application forms.
    time_machine.move_to(BID_RECEIVED)
    po, anonymous = _client(officer), _client()
    _escaped_page(
        anonymous, reverse("procurement:provider_bid", args=[invitations[0].token]), rendered
    )
    _escaped_page(po, reverse("procurement:application_create", args=[system.pk]), rendered)
    _escaped_page(
        po, reverse("procurement:application_answers", args=[applications[0].pk]), rendered
    )
    _escaped_page(po, reverse("procurement:evaluator_add", args=[call_off.pk]), rendered)
    _escaped_page(po, reverse("procurement:direct_award", args=[direct.pk]), rendered)
    _escaped_page(po, reverse("procurement:package_bid_create", args=[package.pk]), rendered)
    _escaped_page(_client(commissioner), reverse("contracts:create"), rendered)
    # The register's filter panel (core.filter_form, not crispy) offers owners.
    _escaped_page(_client(commissioner), reverse("contracts:list"), None)

    # After it: scoring, moderation, the panel's choice, and a tied award.
    time_machine.move_to(AFTER)
    po, anonymous = _client(officer), _client()
    call_offs.evaluation_start(call_off=call_off, by=officer)
    assignment = evaluation.evaluator_assign(call_off=call_off, by=officer, evaluator=evaluator)
    evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
    _escaped_page(
        _client(evaluator),
        reverse("procurement:score_bid", args=[assignment.pk, bids[0].pk]),
        rendered,
    )
    for bid in bids:
        evaluation.scores_save(
            assignment=assignment, by=evaluator, bid=bid, scores={quality: (3, PAYLOAD)}
        )
    evaluation.scores_submit(assignment=assignment, by=evaluator)
    _escaped_page(po, reverse("procurement:moderation", args=[call_off.pk, bids[0].pk]), rendered)
    for bid in bids:
        evaluation.consensus_record(
            bid=bid, criterion=quality, by=officer, score=3, rationale="Level"
        )
    evaluation.results_approve(call_off=call_off, by=approver)
    _escaped_page(po, reverse("procurement:award", args=[call_off.pk]), rendered)

    for bid in package_bids:
        packages.package_panel_decide(bid=bid, by=officer, shortlisted=True, notes="Both good")
    _escaped_page(po, reverse("procurement:package_choice", args=[package.pk]), rendered)

    assert rendered == WALKED


def test_every_form_is_walked():
    """A new form must be walked above with the payload in the data its
    labels come from, or listed as having labels written in code."""
    unaccounted = set(_form_classes()) - WALKED - PERFORMANCE_WALKED - CONSTANT_LABELS
    assert not unaccounted, f"Walk these forms or list them in CONSTANT_LABELS: {unaccounted}"


def test_a_label_written_as_markup_in_code_is_not_escaped_twice():
    from django.utils.html import format_html

    from core.forms import GovUKForm

    class Form(GovUKForm):
        pass

    form = Form()
    from django import forms

    form.fields["name"] = forms.CharField(
        label=format_html('Name <span class="govuk-visually-hidden">{}</span>', PAYLOAD),
        help_text="Costs & charges",
    )
    assert form["name"].label == f'Name <span class="govuk-visually-hidden">{ESCAPED}</span>'
    # The base form states the length limit after the hint (core.form_fields).
    assert form["name"].help_text == "Costs &amp; charges. 200 characters or fewer."


# A KPI's name, measure and unit feed the template checkboxes' labels and
# hints and the return's legends, labels and hints.
PERFORMANCE_WALKED = {"performance.forms.KpiTemplatesForm", "performance.forms.ReturnForm"}


def test_kpi_names_and_units_are_escaped_on_the_kpi_forms(db, time_machine, rendered):
    from performance.models import KpiTemplate
    from tests.factories import ContractFactory
    from tests.performance.helpers import add_kpi, kpi_fields

    time_machine.move_to("2025-12-01 10:00 +00:00")
    contract = ContractFactory(service_area="supported_living")
    KpiTemplate.objects.create(
        service_area="supported_living",
        **kpi_fields(name=PAYLOAD, measure=PAYLOAD, unit=PAYLOAD),
    )
    add_kpi(contract, name=f"{PAYLOAD} on the contract", unit=PAYLOAD)
    officer = _client(UserFactory(role=Role.COMMISSIONING_OFFICER))
    _escaped_page(officer, reverse("performance:kpi_templates", args=[contract.pk]), rendered)
    _escaped_page(officer, reverse("performance:return_add", args=[contract.pk]), rendered)
    assert rendered == PERFORMANCE_WALKED
