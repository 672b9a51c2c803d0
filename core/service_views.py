from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from core import resume
from core.concurrency import StaleEdit
from core.errors import ServiceError
from core.permissions import PermissionRequired


class ServiceFormView(PermissionRequired, FormView):
    """A form whose valid data is handed to a service (`perform`). A
    ServiceError becomes a form error, shown in the error summary, and
    nothing is saved; success shows `success_message` on the next page. A
    form editing an object carries its version (core/versioned_forms.py),
    which arrives in `data` for the service to check."""

    # A form sent after the idle limit is kept and shown here again after
    # signing in (core/resume.py); only views that show it may keep it.
    keeps_typed_answers = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            # Sent after the idle limit, before signing in again: shown as
            # typed, checked like any answers, saved only when sent again.
            kept = resume.take(self.request)
            if kept is not None:
                kwargs["data"] = kept
                messages.info(
                    self.request,
                    "You were signed out before your changes were saved. "
                    "Here is what you typed: check it and save it.",
                )
        return kwargs

    def perform(self, data):
        raise NotImplementedError

    def success_message(self, result) -> str:
        raise NotImplementedError

    def success_url_for(self, result) -> str:
        return result.get_absolute_url()

    def form_valid(self, form):
        try:
            result = self.perform(form.cleaned_data)
        except ServiceError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
            if isinstance(exc, StaleEdit):
                form.show_refusal(exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(self.success_url_for(result))
