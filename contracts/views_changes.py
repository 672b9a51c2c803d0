"""Pages for contract changes: raise one (a form, then check your answers),
see it, and decide it under delegated authority."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from contracts.forms import AuthorityDecisionForm
from contracts.forms_changes import ChangeDecisionForm, ChangeForm, ChangeWithdrawForm
from contracts.models_changes import ContractChange
from contracts.selectors_changes import contract_changes_summary
from contracts.services import changes as change_services
from contracts.views import _ContractMixin, _ServiceFormView
from core.errors import ServiceError
from core.permissions import PermissionRequired


class ChangeRaiseView(_ContractMixin, _ServiceFormView):
    permission_required = "contracts.raise_change"
    form_class = ChangeForm
    template_name = "contracts/change_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.contract}

    def form_valid(self, form):
        if "edit" in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        if "confirmed" in self.request.POST:
            return super().form_valid(form)
        try:
            preview = change_services.change_preview(
                contract=self.contract, by=self.request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        answers = [
            (name, value)
            for name, values in self.request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirmed", "edit")
            for value in values
        ]
        return self.response_class(
            request=self.request,
            template=["contracts/change_check.html"],
            context=self.get_context_data(form=form, preview=preview, answers=answers),
        )

    def perform(self, data):
        return change_services.change_raise(contract=self.contract, by=self.request.user, **data)

    def success_url_for(self, change):
        return change.get_absolute_url()

    def success_message(self, change):
        return "Change sent for a decision"


class _ChangeMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        self.change = get_object_or_404(
            ContractChange.objects.select_related(
                "requested_by", "decided_by", "escalated_by", "old_provider", "new_provider"
            ),
            pk=self.kwargs["change_pk"],
            contract=self.contract,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(change=self.change, **kwargs)

    def success_url_for(self, change):
        return change.get_absolute_url()


class ChangeListView(_ContractMixin, PermissionRequired, TemplateView):
    """Every change to the contract, newest first, with the cumulative
    change against the award (the contract page shows only the latter)."""

    permission_required = "contracts.view_contract"
    template_name = "contracts/change_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=contract_changes_summary(self.contract), **kwargs)


class ChangeDetailView(_ChangeMixin, PermissionRequired, TemplateView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/change_detail.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())


class ChangeDecideView(_ChangeMixin, _ServiceFormView):
    permission_required = "contracts.decide_change"
    form_class = ChangeDecisionForm
    template_name = "contracts/change_decide.html"

    def refusal(self) -> str | None:
        return change_services.approval_refusal(self.change, self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_approve": self.refusal() is None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(approval_refusal=self.refusal(), **kwargs)

    def perform(self, data):
        user, change = self.request.user, self.change
        if data["decision"] == ChangeDecisionForm.APPROVE:
            return change_services.change_approve(change=change, by=user, reason=data["reason"])
        if data["decision"] == ChangeDecisionForm.REJECT:
            return change_services.change_reject(change=change, by=user, reason=data["reason"])
        return change_services.change_escalate(
            change=change, by=user, authority=data["authority"], reason=data["reason"]
        )

    def success_message(self, change):
        return f"Decision recorded: {change.get_status_display().lower()}"


class ChangeAuthorityDecisionView(_ChangeMixin, _ServiceFormView):
    permission_required = "contracts.decide_change"
    form_class = AuthorityDecisionForm
    template_name = "contracts/change_authority.html"

    def perform(self, data):
        return change_services.change_record_authority_decision(
            change=self.change, by=self.request.user, **data
        )

    def success_message(self, change):
        return f"{change.higher_authority} decision recorded"


class ChangeWithdrawView(_ChangeMixin, _ServiceFormView):
    permission_required = "contracts.raise_change"
    form_class = ChangeWithdrawForm
    template_name = "contracts/change_withdraw.html"

    def perform(self, data):
        return change_services.change_withdraw(
            change=self.change, by=self.request.user, reason=data["reason"]
        )

    def success_message(self, change):
        return "Change withdrawn"
