from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from core import resume


class NoStoreMiddleware:
    """No browser or proxy keeps a copy of any page or download.

    Pages and downloads show residents' budgets, bids and prices; a copy in a
    shared computer's cache or a proxy would show them to the next person,
    and the back button would bring them back after sign-out. The provider's
    bid page is anonymous but just as private (its link is the key), so
    every response Django builds is marked. Static files are served by
    WhiteNoise, before this middleware, and keep their long cache lifetimes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class IdleSignOutNoticeMiddleware:
    """Tell a user why they are on the sign-in page when their session ran out.

    A request that still carries a session cookie but whose session is gone
    (expired after SESSION_IDLE_MINUTES) gets a one-off notice. Sits after
    the session, authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A POST is told by LoginRequiredMiddleware below, which knows
        # whether what was typed could be kept.
        if request.method != "POST" and _idle_signed_out(request) and not _explains_itself(request):
            messages.info(request, _signed_out_after() + " Sign in again to carry on.")
        return self.get_response(request)


def _idle_signed_out(request) -> bool:
    # Loading an expired session leaves it empty (the backend checks the
    # expiry date); a live anonymous session always holds some data.
    return bool(
        request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.user.is_authenticated
        and request.session.is_empty()
    )


def _signed_out_after() -> str:
    minutes = settings.SESSION_COOKIE_AGE // 60
    return f"You were signed out after {minutes} minutes without activity."


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a form sent after the idle limit is kept for
    its user to check and save after signing in again (core/resume.py).

    Runs after CsrfViewMiddleware, so a form is kept only once its token
    has been accepted."""

    def handle_no_permission(self, request, view_func):
        if (
            request.method == "POST"
            and _idle_signed_out(request)
            and not getattr(view_func, "explains_idle_sign_out", False)
        ):
            if resume.keep(request):
                told = (
                    " Your changes have not been saved yet. Sign in again to see"
                    " what you typed, check it and save it."
                )
            elif request.FILES:
                told = (
                    " Your changes were not saved and files are never kept."
                    " Sign in again and send them again."
                )
            elif set(request.POST) - resume.LEFT_OUT:
                # Something was sent, though perhaps nothing that is kept.
                told = " Your changes were not saved. Sign in again to carry on."
            else:
                told = " Sign in again to carry on."
            messages.info(request, _signed_out_after() + told)
        return super().handle_no_permission(request, view_func)


def _explains_itself(request) -> bool:
    # The signed-out page says why, and the timeout warning's own requests
    # must not leave a notice for the page after (core/sessions.py).
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "explains_idle_sign_out", False)


class AdminScriptPolicyMiddleware:
    """Let the Django admin's own inline scripts run (django-celery-beat's
    schedule widgets use them).

    Only /admin/ is affected, and only administrators can open it; every
    other page keeps the nonce-only policy. Sits after CSPMiddleware so the
    replacement is in place when that middleware writes the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from csp.constants import SELF, UNSAFE_INLINE
        from django.urls import reverse

        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_replace = {"script-src": [SELF, UNSAFE_INLINE]}
        return response
