from django.conf import settings
from django.urls import reverse


def service(request):
    """Service name and the navigation a user's role allows."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home"), "home"))
        if user.has_perm("providers.view_provider"):
            items.append(("Providers", reverse("providers:list"), "providers"))
        if getattr(user, "is_administrator", False):
            items.append(("Administration", reverse("admin:index"), "admin"))
    section = getattr(getattr(request, "resolver_match", None), "namespace", "") or ""
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "navigation": [
            {"label": label, "href": href, "active": key == section or (key == "home" and not section and getattr(request.resolver_match, "url_name", "") == "home")}
            for label, href, key in items
        ],
    }
