"""Every page, every role: the status each must get.

A new URL without an entry in MATRIX fails test_every_page_is_in_the_matrix,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import Role
from tests.conftest import ALL_ROLES
from tests.factories import ProviderContactFactory

CO, PO, EV, AM, FO, AD, AU = (
    Role.COMMISSIONING_OFFICER,
    Role.PROCUREMENT_OFFICER,
    Role.EVALUATOR,
    Role.APPROVING_MANAGER,
    Role.FINANCE_OFFICER,
    Role.ADMINISTRATOR,
    Role.AUDITOR,
)
EVERY_ROLE = set(Role)
REGISTER_VIEWERS = {CO, PO, AM, FO, AD, AU}
PROVIDER_EDITORS = {CO, PO, AD}

LOGIN = "login"  # redirected to the sign-in page


@dataclass(frozen=True)
class Page:
    allowed: set
    method: str = "get"
    ok: int = 200
    denied: int = 403
    anonymous: object = LOGIN
    args: tuple = field(default=())

    def expected(self, role):
        if role is None:
            return self.anonymous
        return self.ok if role in self.allowed else self.denied


PUBLIC = Page(allowed=EVERY_ROLE, anonymous=200)

MATRIX = {
    "home": Page(allowed=EVERY_ROLE),
    "accessibility": PUBLIC,
    "cookies": PUBLIC,
    "healthz": PUBLIC,
    # A signed-in user is sent on from the sign-in page.
    "login": Page(allowed=set(), denied=302, anonymous=200),
    "logout": Page(allowed=EVERY_ROLE, method="post", ok=302),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": Page(allowed=EVERY_ROLE, anonymous=200, args=("MQ", "bad-token")),
    "password_reset_complete": PUBLIC,
    "password_change": Page(allowed=EVERY_ROLE),
    "password_change_done": Page(allowed=EVERY_ROLE),
    "providers:list": Page(allowed=REGISTER_VIEWERS),
    "providers:create": Page(allowed=PROVIDER_EDITORS),
    "providers:detail": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:edit": Page(allowed=PROVIDER_EDITORS, args=("provider",)),
    "providers:history": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:contact_create": Page(allowed=PROVIDER_EDITORS, args=("provider",)),
    "providers:contact_edit": Page(allowed=PROVIDER_EDITORS, args=("provider", "contact")),
    "providers:contact_remove": Page(allowed=PROVIDER_EDITORS, args=("provider", "contact")),
    # Django admin: administrators only; everyone else is refused outright.
    "admin:index": Page(allowed={AD}),
}


def _url_names(patterns, namespace=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespace, pattern.name or f"<unnamed {pattern.pattern}>"))


def test_every_page_is_in_the_matrix():
    names = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")}
    missing = sorted(names - MATRIX.keys())
    assert not missing, f"Add these pages to MATRIX with the roles allowed: {missing}"
    stale = sorted(n for n in MATRIX.keys() - names if not n.startswith("admin:"))
    assert not stale, f"MATRIX lists pages that no longer exist: {stale}"


@pytest.fixture
def objects(db):
    contact = ProviderContactFactory(provider__legal_name="Secret Care Homes Ltd")
    return {"provider": contact.provider.pk, "contact": contact.pk}


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.value if r else "signed-out")
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_status_for_role(name, role, client_as, objects):
    page = MATRIX[name]
    url = reverse(name, args=[objects.get(a, a) for a in page.args])
    response = getattr(client_as(role), page.method)(url)
    expected = page.expected(role)
    if expected == LOGIN:
        assert response.status_code == 302
        if response.url.startswith(reverse("admin:login")):
            response = client_as(None).get(response.url)
            assert response.status_code == 302
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"
    if response.status_code in (302, 403, 404):
        # A refusal never carries the data it protects.
        assert b"Secret Care Homes" not in response.content
