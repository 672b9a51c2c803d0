from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from core import resume


def _navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    # "Your work" carries the count of items waiting (work.context_processors).
    items = [("Your work", reverse("home"), "home")]
    if user.has_perm("contracts.view_contract"):
        items.append(("Contracts", reverse("contracts:list"), "contracts"))
        items.append(("Decisions due", reverse("contracts:decisions_due"), "decisions_due"))
    if user.has_perm("procurement.view_purchasingsystem"):
        items.append(("Procurement", reverse("procurement:system_list"), "procurement"))
    if user.has_perm("finance.view_budgetline"):
        items.append(("Finance", reverse("finance:overview"), "finance"))
    if user.has_perm("procurement.score_bids"):
        items.append(("Your evaluations", reverse("procurement:my_evaluations"), "evaluations"))
    if user.has_perm("providers.view_provider"):
        items.append(("Providers", reverse("providers:list"), "providers"))
    if user.is_administrator:
        items.append(("Administration", reverse("admin:index"), "admin"))
    section = _SECTIONS.get(here) or here.partition(":")[0] or here
    return [
        {"label": label, "href": href, "active": key == section, "key": key}
        for label, href, key in items
    ]


# Pages that have a navigation item of their own inside another app's URLs.
_SECTIONS = {
    "contracts:decisions_due": "decisions_due",
    "procurement:my_evaluations": "evaluations",
    "procurement:evaluation": "evaluations",
    "procurement:declaration": "evaluations",
    "procurement:score_bid": "evaluations",
    "procurement:check_scores": "evaluations",
}


def service(request):
    """Service name and the navigation the user's role allows."""
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "navigation": _navigation(request),
        # The timeout warning (templates/includes/session_timeout.html):
        # this page's request has just renewed the session.
        "session_idle": timedelta(seconds=settings.SESSION_COOKIE_AGE),
        "session_seconds_left": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        # Promise to keep typed answers only where they will be shown again.
        # The request was resolved already: no second lookup on every page.
        "page_keeps_answers": bool(request.resolver_match)
        and resume.view_keeps_answers(request.resolver_match.func),
    }
