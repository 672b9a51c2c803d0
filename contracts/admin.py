from django.contrib import admin
from django.contrib.auth import get_user_model
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import (
    Contract,
    ExtensionRequest,
    Reminder,
    ReminderRecipient,
    ReminderSweep,
    ServiceAreaSettings,
)


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


@admin.register(ServiceAreaSettings)
class ServiceAreaSettingsAdmin(SimpleHistoryAdmin):
    """Administrators set each service area's reminder lead times, approving
    managers and team mailbox here, and when its monitoring returns and
    reviews fall due."""

    list_display = (
        "service_area",
        "expiry_lead_times",
        "team_mailbox",
        "return_due_days",
        "review_due_days",
    )
    filter_horizontal = ("managers",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "managers":
            from core.roles import Role

            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name=Role.APPROVING_MANAGER.label, is_active=True)
                .order_by("last_name", "first_name")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReminderRecipientInline(admin.TabularInline):
    model = ReminderRecipient
    extra = 0
    can_delete = False
    readonly_fields = ("email", "user", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("contract", "kind", "due_date", "status", "sent_at", "is_late")
    list_filter = ("status", "kind", "is_late")
    search_fields = ("contract__reference",)
    date_hierarchy = "due_date"
    inlines = [ReminderRecipientInline]


@admin.register(ReminderSweep)
class ReminderSweepAdmin(ReadOnlyAdmin):
    list_display = ("ran_at", "swept_from", "swept_to", "reminders_written")
