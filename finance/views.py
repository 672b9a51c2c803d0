"""Finance pages: budget overview by year, savings, ISFs, cabinet reports."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from contracts.terms import TermError
from core.permissions import PermissionRequired
from core.service_views import ServiceFormView
from finance import forms, reports, selectors, services
from finance.models import BudgetLine, CabinetReport, ReportStatus, Resident, Scheme
from finance.savings import SavingsError
from finance.years import FinancialYear

VIEW = "finance.view_budgetline"
# Finance officers and administrators add, correct and remove budget lines.
CHANGE_BUDGETS = "finance.add_budgetline"
EXPORT = "finance.export_cabinet_summary"
CHART_WIDTH = 360


class Page(PermissionRequired, TemplateView):
    permission_required = VIEW


class OverviewView(Page):
    template_name = "finance/overview.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = _year_from(self.request, today)
        rows = selectors.budget_overview(year)
        biggest = max([Decimal(1)] + [max(r.budget, r.forecast) for r in rows])
        bars = [
            {
                "row": r,
                **{
                    k: int(CHART_WIDTH * getattr(r, k) / biggest)
                    for k in ("budget", "committed", "forecast")
                },
            }
            for r in rows
        ]
        return super().get_context_data(
            year=year,
            rows=rows,
            bars=bars,
            chart_width=CHART_WIDTH,
            years=sorted({year, *selectors.financial_years_around(today, before=7, after=4)}),
            totals={
                k: sum((getattr(r, k) for r in rows), Decimal(0))
                for k in ("budget", "committed", "forecast", "headroom")
            },
            **kwargs,
        )


def _summary(recommissioning):
    """The summary, or the reason it cannot be worked out (data entered in
    the admin that does not hang together), so one bad record never breaks
    a page."""
    try:
        return selectors.recommissioning_summary(recommissioning), ""
    except (TermError, SavingsError) as exc:
        return None, str(exc)


class RecommissioningListView(Page):
    template_name = "finance/recommissioning_list.html"

    def get_context_data(self, **kwargs):
        items = [(r, *_summary(r)) for r in selectors.recommissionings()]
        return super().get_context_data(items=items, **kwargs)


class _RecommissioningMixin:
    def load_objects(self):
        self.recommissioning = get_object_or_404(
            selectors.recommissionings(), slug=self.kwargs["slug"]
        )


class RecommissioningView(_RecommissioningMixin, Page):
    template_name = "finance/recommissioning.html"

    def get_context_data(self, **kwargs):
        data, problem = _summary(self.recommissioning)
        rows = reports.appendix_rows(data) if data else []
        return super().get_context_data(
            data=data, problem=problem, rows=rows, recommissioning=self.recommissioning, **kwargs
        )


class RecommissioningDownloadView(_RecommissioningMixin, Page):
    permission_required = EXPORT

    def get(self, request, *args, **kwargs):
        data, problem = _summary(self.recommissioning)
        if data is None:
            return render(request, "403.html", {"reason": problem}, status=409)
        fmt = self.kwargs["fmt"]
        if fmt == "pdf":
            content, kind = reports.cabinet_summary_pdf(data), "application/pdf"
        elif fmt == "csv":
            content = reports.table_csv(reports.cabinet_summary_table(data))
            kind = "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            content = reports.table_xlsx(
                reports.cabinet_summary_table(data), self.recommissioning.title
            )
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise Http404
        response = HttpResponse(content, content_type=kind)
        name = f"{self.recommissioning.slug}-cabinet-summary.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class SchemeListView(Page):
    # Residents' budgets and contributions are personal data.
    permission_required = "finance.view_scheme"
    template_name = "finance/scheme_list.html"

    def get_context_data(self, **kwargs):
        schemes = Scheme.objects.select_related("provider").prefetch_related("residents")
        return super().get_context_data(schemes=schemes, **kwargs)


class SchemeView(Page):
    permission_required = "finance.view_scheme"
    template_name = "finance/scheme.html"

    def load_objects(self):
        self.scheme = get_object_or_404(
            Scheme.objects.select_related("provider"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        from finance import isf

        residents = list(self.scheme.residents.prefetch_related("reviews"))
        problem = ""
        try:
            splits = selectors.scheme_split(self.scheme)
        except isf.ISFError as exc:
            # Budgets entered elsewhere that cannot cover core support: say
            # so rather than fail, so someone can put them right.
            splits, problem = [], str(exc)
        by_reference = {s.resident.reference: s for s in splits}
        return super().get_context_data(
            scheme=self.scheme,
            rows=[(r, by_reference.get(r.reference)) for r in residents],
            problem=problem,
            value=sum((r.weekly_budget for r in residents), Decimal(0)),
            totals={
                k: sum((getattr(s, k) for s in splits), Decimal(0))
                for k in ("virtual_budget", "isf", "council_pays_virtual", "contribution_offset")
            },
            **kwargs,
        )


class ResidentReviewView(ServiceFormView):
    permission_required = "finance.change_resident"
    form_class = forms.ReviewForm
    template_name = "finance/review.html"

    def load_objects(self):
        self.resident = get_object_or_404(
            Resident.objects.select_related("scheme"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.resident.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(resident=self.resident, **kwargs)

    def perform(self, data):
        return services.resident_budget_renegotiate(
            resident=self.resident, by=self.request.user, **data
        )

    def success_message(self, review):
        return f"{self.resident.reference}: budget now £{review.new_budget:,.2f} a week"

    def success_url_for(self, review):
        return self.resident.scheme.get_absolute_url()


def _year_from(request, today) -> FinancialYear:
    try:
        return FinancialYear.parse(request.GET["year"])
    except (KeyError, ValueError, OverflowError):
        return FinancialYear.of(today)


class BudgetLineListView(Page):
    """A financial year's budget lines, with the changes made to them and
    why; Change and Remove for those who may change them."""

    template_name = "finance/budget_line_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year = _year_from(self.request, today)
        return super().get_context_data(
            year=year,
            years=FinancialYear.around(today, before=7, after=4, including=[year.start_year]),
            lines=selectors.budget_lines(year),
            changes=selectors.budget_line_changes(year),
            may_change=self.request.user.has_perm(CHANGE_BUDGETS),
            **kwargs,
        )


class _BudgetLineFormView(ServiceFormView):
    permission_required = CHANGE_BUDGETS
    template_name = "finance/budget_line_form.html"
    line = None

    def get_form_kwargs(self):
        including = [self.line.financial_year] if self.line else []
        years = FinancialYear.around(timezone.localdate(), before=7, after=4, including=including)
        return {**super().get_form_kwargs(), "years": years, "line": self.line}

    def get_context_data(self, **kwargs):
        year = FinancialYear(self.line.financial_year) if self.line else None
        return super().get_context_data(line=self.line, line_year=year, **kwargs)

    def success_url_for(self, line):
        return budget_lines_url(FinancialYear(line.financial_year))


class BudgetLineCreateView(_BudgetLineFormView):
    form_class = forms.BudgetLineForm

    def get_initial(self):
        try:
            # The list page's year, chosen there from the list.
            return {"financial_year": FinancialYear.parse(self.request.GET["year"]).start_year}
        except (KeyError, ValueError, OverflowError):
            return {}

    def perform(self, data):
        return services.budget_line_add(by=self.request.user, **data)

    def success_message(self, line):
        return f"Budget line added: {line}"


class _OneLine:
    def load_objects(self):
        self.line = get_object_or_404(BudgetLine, pk=self.kwargs["pk"])


class BudgetLineEditView(_OneLine, _BudgetLineFormView):
    form_class = forms.BudgetLineForm

    def get_initial(self):
        return {
            name: getattr(self.line, name)
            for name in ("financial_year", "service_area", "funder", "description", "amount")
        }

    def perform(self, data):
        return services.budget_line_update(line=self.line, by=self.request.user, **data)

    def success_message(self, line):
        return f"Budget line saved: {line}"


class BudgetLineRemoveView(_OneLine, _BudgetLineFormView):
    form_class = forms.BudgetLineRemoveForm
    template_name = "finance/budget_line_remove.html"

    def get_form_kwargs(self):
        kwargs = super(_BudgetLineFormView, self).get_form_kwargs()
        return {**kwargs, "version": self.line.version}

    def perform(self, data):
        services.budget_line_remove(line=self.line, by=self.request.user, **data)
        return self.line

    def success_message(self, line):
        return f"Budget line removed: {line}"


class ReportCreateView(ServiceFormView):
    permission_required = EXPORT
    form_class = forms.ReportForm
    template_name = "finance/report_form.html"

    def perform(self, data):
        from contracts.models import Contract

        ids = list(
            Contract.objects.filter(
                service_area=data["service_area"],
                is_draft=False,
                current_end_date__gte=timezone.localdate(),
            )
            .order_by("reference")
            .values_list("pk", flat=True)
        )
        return services.report_request(by=self.request.user, title=data["title"], contract_ids=ids)

    def success_message(self, report):
        return f"“{report.title}” is being prepared"

    def success_url_for(self, report):
        return report.get_absolute_url()


class _OwnReport:
    """A user sees the reports they asked for, nobody else's."""

    def load_objects(self):
        self.report = get_object_or_404(
            CabinetReport, pk=self.kwargs["pk"], requested_by=self.request.user
        )


class ReportView(_OwnReport, Page):
    permission_required = EXPORT
    template_name = "finance/report.html"

    def get_context_data(self, **kwargs):
        from core import outbox

        report = self.report
        waiting = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
        lost = (
            report.status == ReportStatus.RUNNING
            and timezone.now() - (report.started_at or report.created_at) > services.STALE_AFTER
        )
        unavailable = report.status == ReportStatus.QUEUED and outbox.is_waiting_for_broker(
            "cabinet_report", report_id=report.pk
        )
        return super().get_context_data(
            report=report, waiting=waiting and not lost, lost=lost, unavailable=unavailable,
            **kwargs,
        )  # fmt: skip


class ReportDownloadView(_OwnReport, Page):
    permission_required = EXPORT

    def get(self, request, *args, **kwargs):
        from django.http import FileResponse

        fmt = request.GET.get("format", "pdf")
        name = f"cabinet-report-{self.report.pk}"
        if fmt == "pdf":
            if self.report.status != ReportStatus.DONE:
                raise Http404
            return FileResponse(
                self.report.file.open("rb"), as_attachment=True, filename=f"{name}.pdf"
            )
        from contracts.models import Contract

        contracts = (
            Contract.objects.filter(pk__in=self.report.contract_ids)
            .select_related("provider")
            .order_by("reference")
        )
        table = reports.contracts_table(reports.contracts_rows(contracts))
        if fmt == "csv":
            content, kind = reports.table_csv(table), "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            content = reports.table_xlsx(table, self.report.title)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise Http404
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


def budget_lines_url(year: FinancialYear) -> str:
    return f"{reverse('finance:budget_line_list')}?year={year.label}"
