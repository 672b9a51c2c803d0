"""What someone typed is not lost when their session ran out before they
pressed Save (decision 0039).

A POST that arrives after the idle limit is not carried out. Its fields
(never its files) are kept in the fresh, anonymous session that the
sign-in page starts, with the user the expired session belonged to. Django
keeps an anonymous session's data when someone signs in with it, so after
signing in as that same user, and only that user, the form page they were
sent back to shows what they typed, for them to check and save again.
Nothing is ever sent again on their behalf, and the kept answers are shown
once.
"""

import json
import time

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare

KEPT = "resume_after_sign_in"
# Larger forms than this are not worth a session row; none of ours are.
# Counted as the session stores it (JSON), so escaped characters count whole.
MAX_BYTES = 64 * 1024
# Kept answers older than this are dropped: the page has moved on.
MAX_AGE_SECONDS = 60 * 60
# The token is renewed at sign-in, so an old one is worth nothing. A form's
# version field is kept, though nobody typed it: saving the kept answers
# then still refuses to overwrite a change made in the meantime.
LEFT_OUT = {"csrfmiddlewaretoken"}
# The timeout warning posts a page's typed answers to the signed-out page
# with the page they belong to under this name.
NEXT = "next"


def _expired_owner(request) -> tuple[str, str] | None:
    """The user and password hash of the session the request's cookie named,
    now expired. The cookie's key is the proof: only that browser had it."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    store = request.session
    if not key or not hasattr(store, "get_model_class"):
        return None
    row = store.get_model_class().objects.filter(session_key=key).first()
    if row is None:
        return None
    data = store.decode(row.session_data)
    if SESSION_KEY not in data:
        return None
    return str(data[SESSION_KEY]), data.get(HASH_SESSION_KEY, "")


def typed(request) -> dict[str, list[str]]:
    """The form's fields as the person filled them in. A password is never
    one of them, whatever page it came from: a session row is not a place
    for it, even for an hour."""
    return {
        k: v for k, v in request.POST.lists() if k not in LEFT_OUT and "password" not in k.lower()
    }


def page_keeps_answers(path: str) -> bool:
    """Only pages that show kept answers again keep them: the service's own
    forms (core.service_views.ServiceFormView). Anywhere else (the admin,
    password forms, notification choices) nothing could ever show them, so
    storing them would only be a promise broken and data held for nothing."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return view_keeps_answers(match.func)


def view_keeps_answers(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return bool(getattr(view_class, "keeps_typed_answers", False))


def _live_owner(request) -> tuple[str, str] | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return str(user.pk), user.get_session_auth_hash()


def keep(request, *, path: str | None = None) -> bool:
    """Keep a POST that came after its session expired, for that session's
    user, as answers to the page at `path` (by default the POST's own);
    False when it cannot be kept (nothing was typed, a file came with it,
    it is too large, or whose it was is unknown)."""
    fields = typed(request)
    if path is not None:
        # From the timeout warning: the page's answers, under its address.
        fields.pop(NEXT, None)
        path = path.partition("?")[0]
    if request.FILES or not fields or path == "":
        return False
    if not page_keeps_answers(path or request.path_info):
        return False
    owner = _expired_owner(request) or _live_owner(request)
    if owner is None:
        return False
    if len(json.dumps(fields).encode()) > MAX_BYTES:
        return False
    request.session[KEPT] = {
        "user": owner[0],
        "hash": owner[1],
        "path": path or request.path,
        "fields": fields,
        "at": time.time(),
    }
    return True


def forget_unless_owner(request, user) -> None:
    """At sign-in: someone else signing in on this browser sees nothing,
    and their session does not carry the other person's answers either."""
    kept = request.session.get(KEPT)
    if kept and (not _owned(kept, user) or _too_old(kept)):
        del request.session[KEPT]


def forget_on_sign_in(sender, request, user, **kwargs) -> None:
    """Every way of signing in (ours, the admin's, after a password reset)
    reaches user_logged_in; core.apps connects this to it."""
    if request is not None and hasattr(request, "session"):
        forget_unless_owner(request, user)


def _too_old(kept) -> bool:
    return time.time() - kept["at"] > MAX_AGE_SECONDS


def _owned(kept, user) -> bool:
    return (
        user.is_authenticated
        and kept["user"] == str(user.pk)
        and constant_time_compare(kept["hash"], user.get_session_auth_hash())
    )


def is_kept(request, *, path: str) -> bool:
    kept = request.session.get(KEPT)
    return bool(kept) and not _too_old(kept) and kept["path"] == path.partition("?")[0]


def take(request) -> QueryDict | None:
    """The answers kept for this page and this user, once."""
    kept = request.session.get(KEPT)
    if not kept:
        return None
    # Gone whatever page this is: the answers are offered on the first
    # service form opened after signing in, or not at all.
    del request.session[KEPT]
    if not _owned(kept, request.user) or kept["path"] != request.path or _too_old(kept):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["fields"].items():
        data.setlist(name, values)
    return data
