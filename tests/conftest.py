import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from core.roles import Role
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent

# The signed-out visitor plus every role: permission tests run over all of them.
ALL_ROLES = [None, *Role]


@pytest.fixture
def user_with_role(db):
    def make(role: Role | None, **kwargs):
        if role is Role.APPROVING_MANAGER:
            kwargs.setdefault("delegated_authority_limit", Decimal("250000.00"))
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_as(user_with_role):
    """A test client signed in with the given role, or signed out for None."""

    def make(role: Role | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(user_with_role(role))
        return client

    return make


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but REDIS_URL is not (scripts/test sets both)")
        pytest.skip("REDIS_URL is not set: run the suite with scripts/test")
    return url


@pytest.fixture
def celery_on_redis(redis_url):
    """Send tasks to the real Redis broker instead of running them eagerly."""
    from config.celery_app import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}

    def forget_connections():
        # Celery caches its broker connection and producer pools on first use;
        # a pool made by an earlier test would still point at the old broker.
        app._pool = None
        app.amqp._producer_pool = None

    forget_connections()
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        yield app
    finally:
        forget_connections()
        app.conf.update(saved)


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    """A real `celery worker` subprocess on the test Redis. Yields the folder
    where the worker's emails are written, one file per email."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_BROKER_URL": redis_url,
        "TEST_EMAIL_FILE_PATH": str(outbox),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield outbox
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def wait_for(predicate, *, timeout=30.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")
