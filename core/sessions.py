"""The idle sign-out: how long a session has left, without renewing it.

Every request renews the session (SESSION_SAVE_EVERY_REQUEST), which is
what "idle" means. The timeout warning must still ask the server how long
is left, because another tab's request may have renewed it; asking must not
count as activity, or the warning would keep its own session alive for
ever. So a view marked `session_left_alone` is answered without the
session being saved (decision 0039).
"""

import math
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers


def session_left_alone(view):
    """The request neither renews nor saves the session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.session_left_alone = True
        return view(request, *args, **kwargs)

    return wrapped


def signed_in_or_401(view):
    """For the timeout warning's requests: a signed-out person gets 401, not
    the sign-in page, and their expired session's cookie stays, so that the
    signed-out page can still keep what they typed (core/resume.py)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            request.session_left_alone = True
            return JsonResponse({"seconds_left": None}, status=401)
        return view(request, *args, **kwargs)

    return login_not_required(wrapped)


def explains_idle_sign_out(view):
    """The view says itself why the person is signed out, or is asked by a
    script: no "You were signed out" notice on it (core/middleware.py)."""
    view.explains_idle_sign_out = True
    return view


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that it leaves alone the session of a request whose
    view says so."""

    def process_response(self, request, response):
        if getattr(request, "session_left_alone", False):
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)


def seconds_left(request) -> int:
    """Seconds until the signed-in user's session expires if nothing renews it.

    The database session store (Django's default, which the service uses)
    keeps the expiry in the session's row; the session data does not hold
    it, so the row is read."""
    store = request.session
    expires = (
        store.get_model_class()
        .objects.filter(session_key=store.session_key)
        .values_list("expire_date", flat=True)
        .first()
    )
    if expires is None:
        return 0
    # Rounded up: 0 only once the session has really ended.
    return max(0, math.ceil((expires - timezone.now()).total_seconds()))
