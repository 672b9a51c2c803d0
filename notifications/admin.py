from django.contrib import admin

from notifications.models import AuthorityContact, KindPolicy, Notification


@admin.register(KindPolicy)
class KindPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mandatory"]
    list_editable = ["mandatory"]
    fields = ["kind", "mandatory"]
    readonly_fields = ["kind"]

    # The kinds are the code's; the council only chooses which are mandatory.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuthorityContact)
class AuthorityContactAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "email"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The record of what was sent to whom; nobody edits it."""

    list_display = ["subject", "email", "kind", "delivery", "status", "created_at", "sent_at"]
    list_filter = ["kind", "delivery", "status"]
    search_fields = ["subject", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
