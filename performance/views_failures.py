"""Pages for a contract's performance failures and improvement plans.
Anyone who may see the contract sees them; recording and changing them
needs performance.manage_performance."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from contracts.models import Contract
from core.permissions import PermissionRequired
from core.service_views import ServiceFormView
from performance import selectors_failures as selectors
from performance.forms_failures import ClosePlanForm, FailureForm, WarnForm
from performance.models import ImprovementPlan, PerformanceFailure
from performance.services import failures as failure_services
from performance.services import improvement

VIEW = "contracts.view_contract"
MANAGE = failure_services.MANAGE


class _ContractMixin:
    def load_objects(self):
        try:
            self.contract = Contract.objects.select_related("provider").get(pk=self.kwargs["pk"])
        except Contract.DoesNotExist as exc:
            raise Http404("No such contract") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.contract, **kwargs)


class _FailureMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        self.failure = get_object_or_404(
            PerformanceFailure.objects.select_related("recorded_by"),
            pk=self.kwargs["failure_pk"],
            contract=self.contract,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(failure=self.failure, **kwargs)


class _PlanMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        self.plan = selectors.with_state(
            get_object_or_404(
                ImprovementPlan.objects.select_related("raised_by"),
                pk=self.kwargs["plan_pk"],
                contract=self.contract,
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


def failure_url(failure) -> str:
    return reverse("failures:detail", args=[failure.contract_id, failure.pk])


def plan_url(plan) -> str:
    return reverse("failures:plan_detail", args=[plan.contract_id, plan.pk])


class FailureListView(_ContractMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/failure_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failures=selectors.contract_failures(self.contract),
            plan=selectors.open_improvement_plan(self.contract),
            **kwargs,
        )


class FailureDetailView(_FailureMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/failure_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=selectors.failure_history(self.failure), **kwargs)


class FailureCreateView(_ContractMixin, ServiceFormView):
    permission_required = MANAGE
    form_class = FailureForm
    template_name = "performance/failure_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.contract}

    def perform(self, data):
        return failure_services.failure_record(contract=self.contract, by=self.request.user, **data)

    def success_url_for(self, failure):
        return failure_url(failure)

    def success_message(self, failure):
        return "Performance failure recorded"


class FailureUpdateView(_FailureMixin, ServiceFormView):
    permission_required = MANAGE
    form_class = FailureForm
    template_name = "performance/failure_form.html"

    def get_initial(self):
        initial = {name: getattr(self.failure, name) for name in failure_services.FAILURE_FIELDS}
        initial["is_ongoing"] = "yes" if self.failure.is_ongoing else "no"
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "contract": self.contract,
            "version": self.failure.version,
        }

    def perform(self, data):
        version = data.pop("version", None)
        return failure_services.failure_update(
            failure=self.failure, by=self.request.user, version=version, **data
        )

    def success_url_for(self, failure):
        return failure_url(failure)

    def success_message(self, failure):
        return "Performance failure updated"


class PlanListView(_ContractMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/plan_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plans=selectors.contract_improvement_plans(self.contract), **kwargs
        )


class PlanDetailView(_PlanMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/plan_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=selectors.plan_history(self.plan), **kwargs)


class PlanWarnView(_ContractMixin, ServiceFormView):
    permission_required = MANAGE
    form_class = WarnForm
    template_name = "performance/plan_warn.html"

    def get_initial(self):
        return {"warned_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            open_plan=selectors.open_improvement_plan(self.contract), **kwargs
        )

    def perform(self, data):
        return improvement.improvement_plan_warn(
            contract=self.contract, by=self.request.user, **data
        )

    def success_url_for(self, plan):
        return plan_url(plan)

    def success_message(self, plan):
        return f"Provider warned: improvement due by {plan.improve_by:%-d %B %Y}"


class PlanCloseView(_PlanMixin, ServiceFormView):
    permission_required = MANAGE
    form_class = ClosePlanForm
    template_name = "performance/plan_close.html"

    def get_initial(self):
        return {"closed_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "warned_on": self.plan.warned_on,
            "version": self.plan.version,
        }

    def perform(self, data):
        version = data.pop("version", None)
        return improvement.improvement_plan_close(
            plan=self.plan, by=self.request.user, version=version, **data
        )

    def success_url_for(self, plan):
        return plan_url(plan)

    def success_message(self, plan):
        return f"Improvement plan closed: {plan.get_status_display().lower()}"
