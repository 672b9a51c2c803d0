from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from core import forms, resume, sessions
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


@sessions.explains_idle_sign_out
@sessions.signed_in_or_401
@sessions.session_left_alone
@require_GET
def session_status(request):
    """How long the session has left; asking is not activity."""
    return JsonResponse({"seconds_left": sessions.seconds_left(request)})


@sessions.explains_idle_sign_out
@sessions.signed_in_or_401
@require_POST
def session_keep_alive(request):
    """Stay signed in: one request renews the session like any other."""
    request.session.modified = True
    return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})


@sessions.explains_idle_sign_out
@login_not_required
@require_http_methods(["GET", "POST"])
def signed_out(request):
    """Where the timeout warning takes a person it has signed out. It posts
    here what they had typed on the page, to be kept (core/resume.py)."""
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get(resume.NEXT, "")
    # Only a path on this site: a bare word would be taken for a URL name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    if request.method == "POST":
        resume.keep(request, path=next_url)
    if request.user.is_authenticated:
        # Another tab kept the session alive in the meantime.
        return HttpResponseRedirect(next_url or reverse("home"))
    query = "?" + urlencode({resume.NEXT: next_url}) if next_url else ""
    if request.method == "POST":
        # Reloading the page must not send the answers again.
        return redirect(reverse("signed_out") + query)
    sign_in = reverse("login") + query
    return render(
        request,
        "registration/signed_out.html",
        {
            "idle": timedelta(seconds=settings.SESSION_COOKIE_AGE),
            "sign_in_url": sign_in,
            "kept": resume.is_kept(request, path=next_url),
        },
    )
