from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView, View
from django_filters.views import FilterView

from contracts import export, selectors, services, timeline
from contracts.approval import ApprovalRefused, check_may_approve
from contracts.extension_evidence import extension_evidence
from contracts.filters import ContractFilter
from contracts.forms import (
    AuthorityDecisionForm,
    ContractForm,
    DecisionForm,
    EarlierOptionsForm,
    ExtensionRequestForm,
    TerminationForm,
    WithdrawForm,
)
from contracts.models import Contract, ExtensionRequest
from contracts.selectors_due import Audience, audience_for, decisions_due
from core.permissions import PermissionRequired
from core.roles import Role
from core.service_views import ServiceFormView
from performance.selectors import contract_performance

REGISTER_LIST_FIELDS = (
    "pk",
    "reference",
    "title",
    "provider__legal_name",
    "current_end_date",
    "annual_value",
    "status",
    "other_provider_count",
)


class ContractListView(PermissionRequired, FilterView):
    permission_required = "contracts.view_contract"
    filterset_class = ContractFilter
    template_name = "contracts/contract_list.html"
    paginate_by = 50
    strict = False

    def get_queryset(self):
        # Plain rows, only what the table shows: the register is read far more
        # often than anything else, and model instances would cost more than
        # the rows' HTML.
        return selectors.contract_register().values(*REGISTER_LIST_FIELDS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(register_url=reverse("contracts:list"), **kwargs)


class ContractExportView(PermissionRequired, View):
    permission_required = "contracts.view_contract"

    def get(self, request, fmt):
        filterset = ContractFilter(request.GET, queryset=selectors.contract_register())
        contracts = filterset.qs if filterset.is_valid() else filterset.queryset
        stamp = timezone.localdate().isoformat()
        # Streamed from rows read a chunk at a time: the whole register is
        # never held in memory, and the first bytes leave at once.
        if fmt == "csv":
            response = StreamingHttpResponse(
                export.csv_lines(contracts), content_type="text/csv; charset=utf-8"
            )
        elif fmt == "xlsx":
            response = FileResponse(
                export.xlsx_file(contracts),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            raise Http404("Unknown format")
        response["Content-Disposition"] = f'attachment; filename="contracts-register-{stamp}.{fmt}"'
        return response


class _ContractMixin:
    def load_objects(self):
        try:
            self.contract = selectors.contract_detail(self.kwargs["pk"])
        except Contract.DoesNotExist as exc:
            raise Http404("No such contract") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.contract, **kwargs)


class ContractDetailView(_ContractMixin, PermissionRequired, DetailView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_detail.html"

    def get_object(self, queryset=None):
        return self.contract

    def get_context_data(self, **kwargs):
        contract = self.contract
        segments = timeline.for_contract(contract, today=timezone.localdate())
        return super().get_context_data(
            timeline=segments,
            has_unrecorded_options=any(s.state == "not_recorded" for s in segments),
            reminders=selectors.contract_reminders(contract),
            extension_refusal=selectors.extension_refusal(contract),
            performance=contract_performance(contract, today=timezone.localdate()),
            **kwargs,
        )


class DecisionsDueView(PermissionRequired, TemplateView):
    """The in-app copy of the reminders: what is still waiting on someone."""

    permission_required = "contracts.view_contract"
    template_name = "contracts/decisions_due.html"

    def get_context_data(self, **kwargs):
        everyone = self.request.GET.get("show") == "all"
        today = timezone.localdate()
        audience = Audience() if everyone else audience_for(self.request.user)
        groups = decisions_due(audience, today=today)
        return super().get_context_data(
            everyone=everyone,
            today=today,
            waiting=groups["extensions"],
            changes=groups["changes"],
            decisions=groups["decisions"],
            endings=groups["endings"],
            returns=groups["returns"],
            reviews=groups["reviews"],
            total=sum(len(rows) for rows in groups.values()),
            **kwargs,
        )


class ContractHistoryView(_ContractMixin, PermissionRequired, DetailView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_history.html"

    def get_object(self, queryset=None):
        return self.contract

    def get_context_data(self, **kwargs):
        from contracts.history import contract_history

        return super().get_context_data(history=contract_history(self.contract), **kwargs)


class _ServiceFormView(ServiceFormView):
    def success_url_for(self, result):
        return self.contract.get_absolute_url()


class ContractCreateView(ServiceFormView):
    permission_required = "contracts.add_contract"
    form_class = ContractForm
    template_name = "contracts/contract_form.html"

    def perform(self, data):
        return services.contract_create(by=self.request.user, **data)

    def success_message(self, contract):
        return f"{contract.reference} added to the register"


class ContractUpdateView(_ContractMixin, _ServiceFormView):
    permission_required = "contracts.change_contract"
    form_class = ContractForm
    template_name = "contracts/contract_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Contract.objects.get(pk=self.contract.pk)}

    def perform(self, data):
        return services.contract_update(contract=self.contract, by=self.request.user, **data)

    def success_message(self, contract):
        return f"{contract.reference} updated"


class ExtensionRequestView(_ContractMixin, _ServiceFormView):
    permission_required = "contracts.raise_extension"
    form_class = ExtensionRequestForm
    template_name = "contracts/extension_request.html"

    def load_objects(self):
        super().load_objects()
        self.refusal = selectors.extension_refusal(self.contract)

    def get(self, request, *args, **kwargs):
        return self._refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refused() or super().post(request, *args, **kwargs)

    def _refused(self):
        # Lapsed, ended, terminated or every option decided: back to the
        # contract, saying why, rather than a form whose every answer fails.
        if not self.refusal:
            return None
        messages.error(self.request, self.refusal)
        return redirect(self.contract.get_absolute_url())

    def get_form_kwargs(self):
        choices = selectors.extension_choices(self.contract)
        return {**super().get_form_kwargs(), "choices": choices}

    def get_context_data(self, **kwargs):
        # The officer sees what the approver will see, for the next option.
        evidence = None
        if self.contract.decision_deadline is not None and selectors.extension_choices(
            self.contract
        ):
            evidence = extension_evidence(
                self.contract, options_requested=1, today=timezone.localdate()
            )
        return super().get_context_data(evidence=evidence, **kwargs)

    def perform(self, data):
        return services.extension_request_raise(
            contract=self.contract, by=self.request.user, **data
        )

    def success_message(self, request):
        return (
            f"Extension request for {request.option_label} sent for a decision "
            f"(value £{request.value:,.2f})"
        )


class _ExtensionMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        self.extension = get_object_or_404(
            ExtensionRequest, pk=self.kwargs["request_pk"], contract=self.contract
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(extension=self.extension, evidence=self.evidence, **kwargs)

    @cached_property
    def evidence(self):
        return extension_evidence(
            self.contract,
            options_requested=self.extension.options_requested,
            today=timezone.localdate(),
        )


class ExtensionDecideView(_ExtensionMixin, _ServiceFormView):
    permission_required = "contracts.decide_extension"
    form_class = DecisionForm
    template_name = "contracts/extension_decide.html"

    def approval_refusal(self) -> str | None:
        """Why this user may not approve the request themselves, if so."""
        user = self.request.user
        try:
            check_may_approve(
                requester_id=self.extension.requested_by_id,
                approver_id=user.pk,
                approver_is_manager=user.has_role(Role.APPROVING_MANAGER),
                approver_limit=user.delegated_authority_limit,
                value=self.extension.value,
            )
        except ApprovalRefused as exc:
            return str(exc)
        return None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "may_approve": self.approval_refusal() is None,
            "reasons": self.evidence.reasons,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(approval_refusal=self.approval_refusal(), **kwargs)

    def perform(self, data):
        user, extension = self.request.user, self.extension
        if data["decision"] == DecisionForm.APPROVE:
            return services.extension_approve(
                request=extension,
                by=user,
                reason=data["reason"],
                approved_despite=data.get("approved_despite", ""),
            )
        if data["decision"] == DecisionForm.REJECT:
            return services.extension_reject(request=extension, by=user, reason=data["reason"])
        return services.extension_escalate(
            request=extension, by=user, authority=data["authority"], reason=data["reason"]
        )

    def success_message(self, extension):
        return f"Decision recorded: {extension.get_status_display().lower()}"


class ExtensionWithdrawView(_ExtensionMixin, _ServiceFormView):
    permission_required = "contracts.raise_extension"
    form_class = WithdrawForm
    template_name = "contracts/extension_withdraw.html"

    def perform(self, data):
        return services.extension_withdraw(
            request=self.extension, by=self.request.user, reason=data["reason"]
        )

    def success_message(self, extension):
        return f"Request for {extension.option_label} withdrawn"


class AuthorityDecisionView(_ExtensionMixin, _ServiceFormView):
    permission_required = "contracts.decide_extension"
    form_class = AuthorityDecisionForm
    template_name = "contracts/extension_authority.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "reasons": self.evidence.reasons,
            "authority": self.extension.higher_authority,
        }

    def perform(self, data):
        return services.extension_record_authority_decision(
            request=self.extension, by=self.request.user, **data
        )

    def success_message(self, extension):
        return f"{extension.higher_authority} decision recorded"


class EarlierOptionsView(_ContractMixin, _ServiceFormView):
    """For contracts registered after an option's decision deadline: record
    what was decided before the register knew of them."""

    permission_required = "contracts.change_contract"
    form_class = EarlierOptionsForm
    template_name = "contracts/earlier_options.html"

    def get_form_kwargs(self):
        choices = selectors.earlier_option_choices(self.contract)
        return {**super().get_form_kwargs(), "choices": choices}

    def perform(self, data):
        return services.options_record_taken(contract=self.contract, by=self.request.user, **data)

    def success_message(self, contract):
        return f"Options recorded: the contract now ends on {contract.current_end_date:%-d %B %Y}"


class ContractTerminateView(_ContractMixin, _ServiceFormView):
    permission_required = "contracts.terminate_contract"
    form_class = TerminationForm
    template_name = "contracts/contract_terminate.html"

    def perform(self, data):
        return services.contract_terminate(contract=self.contract, by=self.request.user, **data)

    def success_message(self, contract):
        return f"{contract.reference} will end on {contract.terminated_on:%-d %B %Y}"
