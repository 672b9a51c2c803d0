"""Every page, every role: the status each must get.

A new URL without an entry in MATRIX fails test_every_page_is_in_the_matrix,
so nobody can add a page without deciding who may see it.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts import services
from core.roles import Role
from tests.conftest import ALL_ROLES
from tests.factories import ContractFactory, ProviderContactFactory

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
CONTRACT_CREATORS = {CO, PO, AD}
CONTRACT_MANAGERS = {CO, AD}
EXTENSION_DECIDERS = {AM, AD}

LOGIN = "login"  # redirected to the sign-in page
OBJECT_KINDS = ("provider", "contact", "contract", "other_contract", "extension")


@dataclass(frozen=True)
class Page:
    allowed: set
    method: str = "get"
    ok: int = 200
    denied: int = 403
    anonymous: object = LOGIN
    args: tuple = field(default=())
    # For pages that change data: the status an allowed role gets for an
    # empty POST (200: the form comes back with errors; 302: done).
    post_ok: int | None = None

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
    "providers:create": Page(allowed=PROVIDER_EDITORS, post_ok=200),
    "providers:detail": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:edit": Page(allowed=PROVIDER_EDITORS, args=("provider",), post_ok=200),
    "providers:history": Page(allowed=REGISTER_VIEWERS, args=("provider",)),
    "providers:contact_create": Page(allowed=PROVIDER_EDITORS, args=("provider",), post_ok=200),
    "providers:contact_edit": Page(
        allowed=PROVIDER_EDITORS, args=("provider", "contact"), post_ok=200
    ),
    "providers:contact_remove": Page(
        allowed=PROVIDER_EDITORS, args=("provider", "contact"), post_ok=302
    ),
    "contracts:list": Page(allowed=REGISTER_VIEWERS),
    "contracts:export": Page(allowed=REGISTER_VIEWERS, args=("csv",)),
    "contracts:create": Page(allowed=CONTRACT_CREATORS, post_ok=200),
    "contracts:decisions_due": Page(allowed=REGISTER_VIEWERS),
    "contracts:detail": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "contracts:history": Page(allowed=REGISTER_VIEWERS, args=("contract",)),
    "contracts:edit": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:earlier_options": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:terminate": Page(allowed=CONTRACT_MANAGERS, args=("contract",), post_ok=200),
    "contracts:extension_request": Page(
        allowed=CONTRACT_MANAGERS, args=("other_contract",), post_ok=200
    ),
    "contracts:extension_decide": Page(
        allowed=EXTENSION_DECIDERS, args=("contract", "extension"), post_ok=200
    ),
    "contracts:extension_withdraw": Page(
        allowed=CONTRACT_MANAGERS, args=("contract", "extension"), post_ok=200
    ),
    "contracts:extension_authority": Page(
        allowed=EXTENSION_DECIDERS, args=("contract", "extension"), post_ok=200
    ),
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
def objects(db, time_machine):
    time_machine.move_to("2026-01-15 09:00 +00:00")
    contact = ProviderContactFactory(provider__legal_name="Secret Care Homes Ltd")
    contract = ContractFactory(provider=contact.provider, title="Secret Supported Living")
    other = ContractFactory(provider=contact.provider, title="Secret Home Care")
    extension = services.extension_request_raise(
        contract=contract, by=None, options_requested=1, justification="Performing well"
    )
    return {
        "provider": contact.provider.pk,
        "contact": contact.pk,
        "contract": contract.pk,
        "other_contract": other.pk,
        "extension": extension.pk,
        "csv": "csv",
    }


ROLE_IDS = {"ids": lambda r: r.value if r else "signed-out"}


def _check(response, expected, client_as):
    if expected == LOGIN:
        assert response.status_code == 302
        if response.url.startswith(reverse("admin:login")):
            response = client_as(None).get(response.url)
            assert response.status_code == 302
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{response.request}: {response.status_code}"
    if response.status_code in (302, 403, 404):
        # A refusal never carries the data it protects.
        assert b"Secret Care Homes" not in response.content
        assert b"Secret Supported Living" not in response.content


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_page_status_for_role(name, role, client_as, objects):
    page = MATRIX[name]
    url = reverse(name, args=[objects.get(a, a) for a in page.args])
    response = getattr(client_as(role), page.method)(url)
    _check(response, page.expected(role), client_as)


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize("name", sorted(n for n, p in MATRIX.items() if p.post_ok))
def test_changes_are_refused_to_roles_without_permission(name, role, client_as, objects):
    from providers.models import Provider, ProviderContact

    page = MATRIX[name]
    from contracts.models import Contract, ExtensionRequest

    def snapshot():
        return [
            list(m.objects.order_by("pk").values())
            for m in (Provider, ProviderContact, Contract, ExtensionRequest)
        ]

    before = snapshot()
    url = reverse(name, args=[objects[a] for a in page.args])
    response = client_as(role).post(url, {})
    allowed = role in page.allowed
    expected = page.post_ok if allowed else (LOGIN if role is None else page.denied)
    _check(response, expected, client_as)
    if not allowed:
        assert snapshot() == before, f"{role} changed data through {name}"


@pytest.mark.parametrize("role", ALL_ROLES, **ROLE_IDS)
@pytest.mark.parametrize(
    "name",
    sorted(n for n, p in MATRIX.items() if set(p.args) & set(OBJECT_KINDS)),
)
def test_missing_object_is_404_only_for_roles_allowed_to_know(name, role, client_as, objects):
    """A role without the permission gets 403 whether or not the record
    exists, so it cannot probe which records there are."""
    page = MATRIX[name]
    missing = {**objects, **dict.fromkeys(OBJECT_KINDS, 999_999)}
    response = client_as(role).get(reverse(name, args=[missing[a] for a in page.args]))
    expected = LOGIN if role is None else (404 if role in page.allowed else page.denied)
    _check(response, expected, client_as)
