from django.conf import settings
from django.contrib import messages
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers


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
        # Loading an expired session leaves it empty (the backend checks the
        # expiry date); a live anonymous session always holds some data.
        if (
            request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and not request.user.is_authenticated
            and request.session.is_empty()
            and not _explains_itself(request)
        ):
            minutes = settings.SESSION_COOKIE_AGE // 60
            messages.info(
                request,
                f"You were signed out after {minutes} minutes without activity. "
                "Sign in again to carry on.",
            )
        return self.get_response(request)


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
