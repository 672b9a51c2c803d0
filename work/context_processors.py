"""The number of items waiting, for the service navigation's "Your work"."""

import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

# Counting every kind costs a page several milliseconds (building and
# compiling each source's query), which every page would pay for a figure in
# its navigation. So a count is kept in the session for
# WORK_QUEUE_COUNT_SECONDS: Your work itself always counts afresh, and any
# write by the person forgets the kept count (work.middleware), so only
# items raised by someone else reach the figure late, by at most that long;
# their email tells them at once.
SESSION_KEY = "work_queue_count"


def _kept(request) -> int | None:
    seconds = settings.WORK_QUEUE_COUNT_SECONDS
    session = getattr(request, "session", None)
    if not seconds or session is None:
        return None
    kept = session.get(SESSION_KEY)
    if kept and kept[0] == request.user.pk and time.time() - kept[2] < seconds:
        return kept[1]
    return None


def _keep(request, total: int) -> None:
    session = getattr(request, "session", None)
    if settings.WORK_QUEUE_COUNT_SECONDS and session is not None:
        session[SESSION_KEY] = (request.user.pk, total, time.time())


def _total(request) -> int:
    from work.selectors import queue_total

    known = getattr(request, "work_queue_total", None)
    if known is None:
        known = _kept(request)
        if known is not None:
            return known
        known = queue_total(request.user)
    _keep(request, known)
    return known


def queue_count(request):
    """Counted only when a page shows the navigation, in one COUNT query
    (with the roles and areas it needs), never by reading the list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"work_queue_count": SimpleLazyObject(lambda: _total(request))}
