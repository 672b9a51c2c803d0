from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from core.models import Organisation, User
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
