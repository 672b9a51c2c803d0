from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from core import forms
from core.services import account_unlock


@method_decorator(login_not_required, name="dispatch")
class AccessibilityView(TemplateView):
    template_name = "core/accessibility.html"


@method_decorator(login_not_required, name="dispatch")
class CookiesView(TemplateView):
    template_name = "core/cookies.html"


@login_not_required
def healthz(request):
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


class SignInView(auth_views.LoginView):
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cooloff=timedelta(hours=settings.AXES_COOLOFF_TIME),
            **kwargs,
        )


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been signed out.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's email may set its password, so a
        # reset also lifts a sign-in lockout.
        account_unlock(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.ChangePasswordForm
    success_url = reverse_lazy("password_change_done")
