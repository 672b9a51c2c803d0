from django.conf import settings
from django.urls import reverse


def _navigation(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    here = (match.namespace or match.url_name) if match else ""
    items = [("Home", reverse("home"), "home")]
    if user.has_perm("contracts.view_contract"):
        items.append(("Contracts", reverse("contracts:list"), "contracts"))
    if user.has_perm("providers.view_provider"):
        items.append(("Providers", reverse("providers:list"), "providers"))
    if user.is_administrator:
        items.append(("Administration", reverse("admin:index"), "admin"))
    return [{"label": label, "href": href, "active": key == here} for label, href, key in items]


def service(request):
    """Service name and the navigation the user's role allows."""
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "navigation": _navigation(request),
    }
