from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_forms import VersionedAdminMixin, VersionedInline
from finance.models import (
    BaselineService,
    BudgetLine,
    CabinetReport,
    NewService,
    Recommissioning,
    Resident,
    Scheme,
)


@admin.register(BudgetLine)
class BudgetLineAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("financial_year", "service_area", "funder", "description", "amount")
    list_filter = ("financial_year", "service_area", "funder")


class BaselineInline(admin.TabularInline):
    model = BaselineService
    extra = 0


class NewServiceInline(admin.TabularInline):
    model = NewService
    extra = 0
    filter_horizontal = ("replaces",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A new service replaces baselines of its own recommissioning only.
        if db_field.name == "replaces":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = BaselineService.objects.filter(recommissioning_id=object_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Recommissioning)
class RecommissioningAdmin(SimpleHistoryAdmin):
    list_display = ("title", "slug", "baseline_year", "start_date", "term")
    inlines = [BaselineInline, NewServiceInline]


class ResidentInline(VersionedInline):
    model = Resident
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("reference", "name", "provider", "core_support_weekly")
    inlines = [ResidentInline]


@admin.register(CabinetReport)
class CabinetReportAdmin(admin.ModelAdmin):
    list_display = ("title", "requested_by", "status", "progress", "created_at")
    readonly_fields = ("requested_by", "contract_ids", "status", "progress", "file", "error")
