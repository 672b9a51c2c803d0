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

import time

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.http import QueryDict
from django.utils.crypto import constant_time_compare

KEPT = "resume_after_sign_in"
# Larger forms than this are not worth a session row; none of ours are.
MAX_CHARACTERS = 64 * 1024
# Kept answers older than this are dropped: the page has moved on.
MAX_AGE_SECONDS = 60 * 60
# Never kept: the token is renewed at sign-in, and a version is not an answer
# the person gave but it is kept, so a change made meanwhile is still caught.
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
    """The form's fields as the person filled them in."""
    return {k: v for k, v in request.POST.lists() if k not in LEFT_OUT}


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
    owner = _expired_owner(request) or _live_owner(request)
    if owner is None:
        return False
    if sum(len(k) + sum(len(v) for v in vs) for k, vs in fields.items()) > MAX_CHARACTERS:
        return False
    request.session[KEPT] = {
        "user": owner[0],
        "hash": owner[1],
        "path": path or request.path,
        "fields": fields,
        "at": time.time(),
    }
    return True


def forget_unless_owner(request) -> None:
    """At sign-in: someone else signing in on this browser sees nothing."""
    kept = request.session.get(KEPT)
    if kept and not _owned(kept, request):
        del request.session[KEPT]


def _owned(kept, request) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and kept["user"] == str(user.pk)
        and constant_time_compare(kept["hash"], user.get_session_auth_hash())
    )


def is_kept(request, *, path: str) -> bool:
    kept = request.session.get(KEPT)
    return bool(kept) and kept["path"] == path.partition("?")[0]


def take(request) -> QueryDict | None:
    """The answers kept for this page and this user, once."""
    kept = request.session.get(KEPT)
    if not kept:
        return None
    del request.session[KEPT]
    if (
        not _owned(kept, request)
        or kept["path"] != request.path
        or time.time() - kept["at"] > MAX_AGE_SECONDS
    ):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["fields"].items():
        data.setlist(name, values)
    return data
