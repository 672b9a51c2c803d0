"""pytest: the same settings as production where it matters (DEBUG off)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from .base import *
from .base import env

DEBUG = False
# Tests see every page's count afresh; tests/work/test_nav_count_kept.py
# turns the keeping on.
WORK_QUEUE_COUNT_SECONDS = env.int("WORK_QUEUE_COUNT_SECONDS", default=0)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A Celery worker started by a test writes its emails where the test reads them.
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="")
if EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# ...or sends it to an SMTP server the test runs (one that never answers,
# to hold a worker in the middle of a send).
EMAIL_HOST = env("TEST_EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("TEST_EMAIL_PORT")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests render templates without running collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing: the password validators still run, only the hasher is cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploaded bid documents go to a scratch folder, not the checkout.
import tempfile
from pathlib import Path

MEDIA_ROOT = Path(tempfile.gettempdir()) / "care-commissioning-test-media"
