"""A contract's KPIs, monitoring returns and reviews. Anyone who may view
the contract may view these; only `performance.manage_performance` changes
them (checked before anything is looked up: core/permissions.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from contracts.models import Contract
from core.permissions import PermissionRequired
from core.service_views import ServiceFormView
from performance import ratings, selectors, services
from performance.constants import ReturnStatus
from performance.forms import KpiForm, KpiRemoveForm, KpiTemplatesForm, ReturnForm, ReviewForm
from performance.models import Kpi, MonitoringReturn
from performance.services.kpis import current_kpis
from performance.services.returns import derived_ratings, period_of

VIEW = "contracts.view_contract"
MANAGE = "performance.manage_performance"


class _ContractMixin:
    def load_objects(self):
        try:
            self.contract = Contract.objects.select_related("provider").get(pk=self.kwargs["pk"])
        except Contract.DoesNotExist as exc:
            raise Http404("No such contract") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.contract, **kwargs)

    def kpis_url(self):
        return reverse("performance:kpi_list", args=[self.contract.pk])


class _KpiMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        try:
            self.kpi = Kpi.objects.get(pk=self.kwargs["kpi_pk"], contract=self.contract)
        except Kpi.DoesNotExist as exc:
            raise Http404("No such KPI") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(kpi=self.kpi, **kwargs)


class _ReturnMixin(_ContractMixin):
    def load_objects(self):
        super().load_objects()
        try:
            self.monitoring_return = selectors.return_detail(
                self.contract, self.kwargs["return_pk"]
            )
        except MonitoringReturn.DoesNotExist as exc:
            raise Http404("No such return") from exc

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            monitoring_return=self.monitoring_return,
            period=period_of(self.monitoring_return),
            **kwargs,
        )


class _FormView(ServiceFormView):
    permission_required = MANAGE

    def success_url_for(self, result):
        return self.kpis_url()


class KpiListView(_ContractMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/kpi_list.html"

    def get_context_data(self, **kwargs):
        kpis = selectors.contract_kpis(self.contract)
        return super().get_context_data(
            kpis=[k for k in kpis if k.retired_on is None],
            retired=[k for k in kpis if k.retired_on is not None],
            returns=selectors.contract_returns(self.contract),
            may_manage=self.request.user.has_perm(MANAGE),
            **kwargs,
        )


class KpiTemplatesView(_ContractMixin, _FormView):
    form_class = KpiTemplatesForm
    template_name = "performance/kpi_templates.html"

    def load_objects(self):
        super().load_objects()
        taken = set(current_kpis(self.contract).values_list("name", flat=True))
        templates = selectors.templates_for(self.contract.service_area)
        self.templates = [t for t in templates if t.name not in taken]
        self.already = [t for t in templates if t.name in taken]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "templates": self.templates}

    def get_context_data(self, **kwargs):
        return super().get_context_data(templates=self.templates, already=self.already, **kwargs)

    def perform(self, data):
        return services.kpis_set_from_templates(
            contract=self.contract, by=self.request.user, templates=data["templates"]
        )

    def success_message(self, kpis):
        return f"{len(kpis)} KPI{'s' if len(kpis) != 1 else ''} added from the templates"


class KpiAddView(_ContractMixin, _FormView):
    form_class = KpiForm
    template_name = "performance/kpi_form.html"

    def perform(self, data):
        return services.kpi_add(contract=self.contract, by=self.request.user, **data)

    def success_message(self, kpi):
        return f"KPI “{kpi.name}” added"


class KpiEditView(_KpiMixin, _FormView):
    form_class = KpiForm
    template_name = "performance/kpi_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Kpi.objects.get(pk=self.kpi.pk)}

    def get(self, request, *args, **kwargs):
        if self.kpi.retired_on is not None:
            messages.error(request, "This KPI has been retired and cannot be changed")
            return redirect(self.kpis_url())
        return super().get(request, *args, **kwargs)

    def perform(self, data):
        return services.kpi_update(kpi=self.kpi, by=self.request.user, **data)

    def success_message(self, kpi):
        return f"KPI “{kpi.name}” saved"


class KpiRemoveView(_KpiMixin, _FormView):
    form_class = KpiRemoveForm
    template_name = "performance/kpi_remove.html"

    def load_objects(self):
        super().load_objects()
        self.has_returns = self.kpi.actuals.exists()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "version": self.kpi.version,
            "has_returns": self.has_returns,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(has_returns=self.has_returns, **kwargs)

    def perform(self, data):
        self.deleted = services.kpi_remove(
            kpi=self.kpi, by=self.request.user, version=data.get("version")
        )
        return self.kpi

    def success_message(self, kpi):
        return f"KPI “{kpi.name}” {'deleted' if self.deleted else 'retired'}"


class ReturnRecordView(_ContractMixin, _FormView):
    """Either a due return the contract's calendar made (`return_pk`) or a
    period the officer gives."""

    form_class = ReturnForm
    template_name = "performance/return_form.html"

    def load_objects(self):
        super().load_objects()
        self.due = None
        if "return_pk" in self.kwargs:
            self.due = MonitoringReturn.objects.filter(
                contract=self.contract, pk=self.kwargs["return_pk"]
            ).first()
            if self.due is None:
                raise Http404("No such return")
        self.kpis = list(current_kpis(self.contract).order_by("order", "pk"))

    def get(self, request, *args, **kwargs):
        if self.due is not None and self.due.status != ReturnStatus.DUE:
            messages.error(
                request, f"The return for {period_of(self.due)} has already been recorded"
            )
            return redirect(self.due_detail_url())
        return super().get(request, *args, **kwargs)

    def due_detail_url(self):
        return reverse("performance:return_detail", args=[self.contract.pk, self.due.pk])

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "kpis": self.kpis, "fixed_period": bool(self.due)}
        if self.due is not None:
            kwargs["version"] = self.due.version
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            due=self.due, period=period_of(self.due) if self.due else None, kpis=self.kpis,
            **kwargs,
        )  # fmt: skip

    def perform(self, data):
        return services.return_record(
            contract=self.contract,
            by=self.request.user,
            actuals=self._actuals(data),
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            monitoring_return=self.due,
            version=data.get("version"),
        )

    def _actuals(self, data):
        return {
            kpi.pk: (data.get(f"actual_{kpi.pk}"), data.get(f"evidence_{kpi.pk}", ""))
            for kpi in self.kpis
        }

    def success_url_for(self, result):
        return reverse("performance:return_detail", args=[self.contract.pk, result.pk])

    def success_message(self, result):
        return f"Return for {period_of(result)} recorded: review it when you are ready"


class ReturnDetailView(_ReturnMixin, PermissionRequired, TemplateView):
    permission_required = VIEW
    template_name = "performance/return_detail.html"

    def get_context_data(self, **kwargs):
        monitoring_return = self.monitoring_return
        reviewed = monitoring_return.status == ReturnStatus.REVIEWED
        # Before the review, what the ratings would be against today's
        # targets; after it, the ratings the review fixed.
        preview = {} if reviewed else derived_ratings(monitoring_return)
        rows = [
            (row, row.rating if reviewed else preview.get(row.pk))
            for row in monitoring_return.actuals.all()
        ]
        return super().get_context_data(
            rows=rows,
            reviewed=reviewed,
            review=getattr(monitoring_return, "review", None) if reviewed else None,
            may_manage=self.request.user.has_perm(MANAGE),
            **kwargs,
        )


class ReturnReviewView(_ReturnMixin, _FormView):
    form_class = ReviewForm
    template_name = "performance/return_review.html"

    def get(self, request, *args, **kwargs):
        if self.monitoring_return.status != ReturnStatus.SUBMITTED:
            messages.error(
                request,
                "This return has already been reviewed"
                if self.monitoring_return.status == ReturnStatus.REVIEWED
                else "Record the return before reviewing it",
            )
            return redirect(self.detail_url())
        return super().get(request, *args, **kwargs)

    def detail_url(self):
        return reverse(
            "performance:return_detail", args=[self.contract.pk, self.monitoring_return.pk]
        )

    def derived(self):
        if not hasattr(self, "_derived"):
            try:
                self._derived = derived_ratings(self.monitoring_return)
            except ratings.RatingError:
                self._derived = {}
        return self._derived

    def get_form_kwargs(self):
        suggestion = ratings.suggested_overall_rating(self.derived().values())
        return {
            **super().get_form_kwargs(),
            "version": self.monitoring_return.version,
            "suggestion": suggestion,
        }

    def get_context_data(self, **kwargs):
        rows = [(row, self.derived().get(row.pk)) for row in self.monitoring_return.actuals.all()]
        return super().get_context_data(rows=rows, **kwargs)

    def perform(self, data):
        return services.return_review(
            monitoring_return=self.monitoring_return, by=self.request.user, **data
        )

    def success_url_for(self, review):
        return self.detail_url()

    def success_message(self, review):
        return f"Review saved: {review.get_overall_rating_display()}"
