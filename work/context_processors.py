"""The number of items waiting, for the service navigation's "Your work"."""

from django.utils.functional import SimpleLazyObject


def _total(request) -> int:
    from work.selectors import queue_total

    known = getattr(request, "work_queue_total", None)
    if known is not None:
        return known
    return queue_total(request.user)


def queue_count(request):
    """Counted only when a page shows the navigation, in one COUNT query
    (with the roles and areas it needs), never by reading the list."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"work_queue_count": SimpleLazyObject(lambda: _total(request))}
