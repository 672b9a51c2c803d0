from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Contract, ExtensionRequest


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Contracts change only through the service's pages and commands, which
    keep the derived dates and the decision trail; the admin only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "service_area", "current_end_date", "annual_value")
    list_filter = ("service_area", "procurement_route")
    search_fields = ("reference", "title", "provider__legal_name")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("contract", "first_option", "options_requested", "status", "value")
    list_filter = ("status",)
