"""Cancelling a call-off or a care package: a confirmation page asking for
the reason (GOV.UK: "Enter the reason for cancelling")."""

from procurement import change_forms
from procurement.services import cancel
from procurement.views.call_offs import _CallOffForm
from procurement.views.packages import _PackageForm


class CallOffCancelView(_CallOffForm):
    form_class = change_forms.CancelForm
    heading = "Cancel the call-off"
    intro = (
        "No contract will be awarded from it: no more bids are accepted, "
        "and nothing more is scored, moderated or approved. This cannot be undone."
    )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "submit_label": "Cancel the call-off",
            "told": "Every provider invited to bid is sent this reason by email.",
        }

    def perform(self, data):
        return cancel.call_off_cancel(call_off=self.call_off, by=self.request.user, **data)

    def success_message(self, call_off):
        return f"{call_off.reference} cancelled"


class PackageCancelView(_PackageForm):
    form_class = change_forms.CancelForm
    heading = "Cancel the care package"
    intro = (
        "No contract will be awarded from it and no more bids are recorded. This cannot be undone."
    )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "submit_label": "Cancel the care package",
            "told": "Every provider that bid is sent this reason by email.",
        }

    def perform(self, data):
        return cancel.package_cancel(package=self.package, by=self.request.user, **data)

    def success_message(self, package):
        return f"{package.reference} cancelled"
