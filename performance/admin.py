from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_forms import VersionedAdminMixin
from performance.models import KpiTemplate


@admin.register(KpiTemplate)
class KpiTemplateAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Administrators keep each service area's KPI templates here; officers
    copy them onto a contract from its KPIs page, where each copy can then
    be changed without changing the template."""

    list_display = ("name", "service_area", "target", "unit", "direction", "tolerance", "frequency")
    list_filter = ("service_area", "frequency", "most_material")
    search_fields = ("name", "measure")
    ordering = ("service_area", "order", "name")
