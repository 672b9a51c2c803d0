from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from core.models import Organisation, OutboxMessage, User
from core.services import delegated_authority_problem


class CouncilUserChangeForm(UserAdmin.form):
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        labels = {g.name for g in groups} if groups is not None else set()
        problem = delegated_authority_problem(
            role_labels=labels, limit=cleaned.get("delegated_authority_limit")
        )
        if problem:
            raise forms.ValidationError(problem)
        return cleaned


@admin.register(User)
class CouncilUserAdmin(UserAdmin, SimpleHistoryAdmin):
    form = CouncilUserChangeForm
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Role details", {"fields": ("job_title", "delegated_authority_limit")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    list_filter = ("groups", "is_active")


# Roles are declared in core/roles.py and re-applied on every migrate
# (docs/decisions/0002-roles-as-groups.md): an edit here would be silently
# undone, so the admin shows them read-only.
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What pages asked the workers to do, and how it went (decision 0014).
    Read only: the payload (an email's body, with any link in it) stays out
    of sight, and a row is never changed by hand."""

    list_display = ("kind", "status", "created_at", "attempts", "done_at")
    list_filter = ("kind", "status")
    fields = ("kind", "status", "created_at", "publish_after", "attempts", "last_error", "done_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
