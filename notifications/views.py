from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from notifications import services
from notifications.forms import PreferencesForm
from notifications.kinds import LABELS


class PreferencesView(FormView):
    """Your notifications: every signed-in person chooses for themselves."""

    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        offered = services.kinds_offered(self.request.user)
        mandatory = services.mandatory_kinds()
        self.mandatory = [kind for kind in offered if kind in mandatory]
        return {
            **super().get_form_kwargs(),
            "kinds": [kind for kind in offered if kind not in self.mandatory],
            "current": services.preferences_of(self.request.user),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "mandatory": [LABELS[kind] for kind in self.mandatory],
            "email": self.request.user.email,
        }

    def form_valid(self, form):
        services.preferences_save(user=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, "Your notification choices are saved")
        return redirect("notifications:preferences")
