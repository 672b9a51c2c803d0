from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.models import Organisation, User


@admin.register(User)
class CouncilUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Role details", {"fields": ("job_title", "delegated_authority_limit")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
