"""The production static pipeline: GOV.UK Frontend through manifest storage."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_collectstatic_with_manifest_storage_succeeds(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    for name in ("build/app.css", "govuk/govuk-frontend.min.js", "govuk/assets/images/favicon.ico"):
        assert name in manifest, f"{name} missing from the manifest"


def test_stylesheet_points_at_hashed_assets(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    css = (collected / manifest["build/app.css"]).read_text()
    # The CSS is ours, compiled with relative asset paths, so the manifest
    # rewrote them; an absolute /assets/ URL would 404 in production.
    assert "url(/assets/" not in css
    assert "GDS Transport" not in css


@pytest.mark.django_db
def test_pages_render_with_debug_off_and_manifest_storage(collected, client):
    with override_settings(STATIC_ROOT=collected, STORAGES=MANIFEST_STORAGES, DEBUG=False):
        response = client.get("/sign-in/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/build/app." in html
