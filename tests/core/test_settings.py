"""What the environment switches: database, Celery mode, production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
)


def _settings_with(env_changes: dict, module="config.settings.local") -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE=module, **env_changes)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_sqlite_and_eager_celery_when_nothing_is_configured():
    engine, eager, debug = _settings_with({})
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True"
    assert debug == "True"


def test_postgresql_and_redis_when_configured():
    engine, eager, _ = _settings_with(
        {
            "DATABASE_URL": "postgres://council@db.internal:5432/care",
            "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        }
    )
    assert engine == "django.db.backends.postgresql"
    assert eager == "False"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_settings(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://council@db.internal:5432/care",
        "DJANGO_ALLOWED_HOSTS": "care.example.gov.uk",
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres")
    and not os.environ.get("REQUIRE_SERVICES"),
    reason="DATABASE_URL does not point at PostgreSQL (scripts/test sets it)",
)
def test_suite_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0].startswith("15.")


def test_scripts_test_never_falls_back_to_sqlite(db):
    if os.environ.get("REQUIRE_SERVICES"):
        assert connection.vendor == "postgresql", "scripts/test must run on PostgreSQL"
