"""Security settings as production serves them."""

import importlib

import pytest
from django.test import override_settings
from django.urls import path, reverse

from config import urls as config_urls
from core.roles import Role

PRODUCTION_SECURITY = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
]


@pytest.fixture
def production_security(monkeypatch):
    # Production settings insist on a real database URL; any will do here,
    # only the security settings are taken from the module.
    monkeypatch.setenv("DATABASE_URL", "postgres://council@db.internal/care")
    production = importlib.reload(importlib.import_module("config.settings.production"))
    with override_settings(**{name: getattr(production, name) for name in PRODUCTION_SECURITY}):
        yield


def test_production_sends_the_security_headers(client, db, production_security):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp


def test_production_redirects_plain_http_to_https(client, db, production_security):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_production_cookies_are_secure(client, db, production_security, user_with_role):
    user_with_role(Role.AUDITOR, username="auditor1")
    response = client.post(
        reverse("login"),
        {"username": "auditor1", "password": "correct-horse-battery-staple"},
        secure=True,
    )
    cookie = response.cookies["__Secure-sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_inline_scripts_carry_the_csp_nonce(client, db):
    response = client.get(reverse("login"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count(f'nonce="{nonce}"') == 2


def _boom(request):
    raise RuntimeError("database password is hunter2")


urlpatterns = [path("boom/", _boom), *config_urls.urlpatterns]


@pytest.mark.urls("tests.core.test_security")
def test_server_error_page_is_generic(client_as):
    client = client_as(Role.ADMINISTRATOR)
    client.raise_request_exception = False
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "hunter2" not in html
    assert "Traceback" not in html


def test_unknown_page_is_a_friendly_404(client_as):
    response = client_as(Role.AUDITOR).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_explains_and_shows_no_data(client_as):
    response = client_as(Role.EVALUATOR).get(reverse("providers:list"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_only_the_admin_allows_inline_scripts(client_as):
    client = client_as(Role.ADMINISTRATOR)
    admin_policy = client.get(reverse("admin:index"))["Content-Security-Policy"]
    page_policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy
    assert "'unsafe-inline'" not in page_policy
    assert "'nonce-" in page_policy


def test_filter_panel_escapes_what_users_type(client_as):
    response = client_as(Role.AUDITOR).get(
        reverse("providers:list"), {"q": '"><script>alert(1)</script>'}
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
