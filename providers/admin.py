from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.versioned_forms import VersionedAdminMixin, VersionedInline
from providers.models import Provider, ProviderContact


class ProviderContactInline(VersionedInline):
    model = ProviderContact
    extra = 0


@admin.register(Provider)
class ProviderAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("legal_name", "companies_house_number", "is_sme", "is_vcse")
    list_filter = ("is_sme", "is_vcse")
    search_fields = ("legal_name", "trading_name", "companies_house_number")
    inlines = [ProviderContactInline]
