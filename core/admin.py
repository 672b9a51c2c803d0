from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from simple_history.admin import SimpleHistoryAdmin

from core.audit import user_has_history
from core.models import Organisation, OutboxMessage, User
from core.services import delegated_authority_problem, user_deactivate


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
    actions = ["deactivate"]

    # Deleting a user who has changed anything would leave their changes
    # without an author (and the database refuses it: core/audit.py), so
    # they are deactivated instead. Only an account that never did anything
    # (made by mistake, say) can be deleted, one at a time from its page.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._is_author(obj):
            return False
        return super().has_delete_permission(request, obj)

    def _is_author(self, user) -> bool:
        # Asked several times while one page renders.
        if not hasattr(user, "_is_author"):
            user._is_author = user_has_history(user)
        return user._is_author

    @admin.action(description="Deactivate selected users", permissions=["change"])
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                done += user_deactivate(user=user, by=request.user)
            except ValueError as problem:
                self.message_user(request, str(problem), messages.ERROR)
        self.message_user(request, f"{done} user{'s' if done != 1 else ''} deactivated")


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
