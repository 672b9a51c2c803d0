"""Where files are kept, and that nothing but the download view hands them
out."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import Resolver404, resolve, reverse

from core.roles import Role
from tests.conftest import ROOT
from tests.factories import DocumentFactory


def test_no_url_serves_the_stored_files(client_as, contract, settings):
    document = DocumentFactory(contract=contract)
    client = client_as(Role.ADMINISTRATOR)
    for path in (f"/{document.file.name}", f"/media/{document.file.name}"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404
    # Pages link to the view that checks and logs, never to the file itself.
    page = client.get(reverse("documents:list", args=[contract.pk])).text
    assert document.file.name not in page
    assert reverse("documents:download", args=[contract.pk, document.pk]) in page


PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'root': str(s.MEDIA_ROOT), 'default': s.STORAGES['default']}))"
)


def _settings(module, **env_changes):
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_ROOT"}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://council@db.internal:5432/care",
        DJANGO_ALLOWED_HOSTS="care.example.gov.uk",
        **env_changes,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result


def test_files_are_kept_on_the_local_disk_under_var_by_default():
    found = json.loads(_settings("config.settings.production").stdout)
    assert found["root"] == str(ROOT / "var" / "media")
    assert found["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert "/var/" in (ROOT / ".gitignore").read_text().splitlines()


def test_production_can_point_the_default_storage_at_s3_compatible_storage():
    found = json.loads(
        _settings(
            "config.settings.production",
            FILE_STORAGE="s3",
            AWS_STORAGE_BUCKET_NAME="council-documents",
            AWS_S3_ENDPOINT_URL="https://s3.example.gov.uk",
        ).stdout
    )["default"]
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["OPTIONS"]["bucket_name"] == "council-documents"
    assert found["OPTIONS"]["endpoint_url"] == "https://s3.example.gov.uk"
    assert found["OPTIONS"]["file_overwrite"] is False


def test_production_can_point_the_default_storage_at_azure():
    found = json.loads(
        _settings(
            "config.settings.production",
            FILE_STORAGE="azure",
            AZURE_ACCOUNT_NAME="councildocs",
            AZURE_CONTAINER="documents",
        ).stdout
    )["default"]
    assert found["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert found["OPTIONS"]["azure_container"] == "documents"


def test_an_unknown_storage_stops_start_up():
    result = _settings("config.settings.production", FILE_STORAGE="ftp")
    assert result.returncode != 0
    assert "FILE_STORAGE must be local, s3 or azure" in result.stderr
