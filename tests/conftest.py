import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.test import Client

from core.roles import Role
from tests import randomness
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent

# The signed-out visitor plus every role: permission tests run over all of them.
ALL_ROLES = [None, *Role]


def pytest_addoption(parser):
    randomness.add_options(parser)


def pytest_configure(config):
    randomness.configure(config)


def pytest_report_header(config):
    return randomness.header()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture runs, so fixtures' factory data is reproducible too.
    randomness.reseed(item.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus):
    if exitstatus:
        terminalreporter.write_line(randomness.header()[0])


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


def celery_use(app, **conf):
    """Point Celery elsewhere. It caches its broker connection, producer
    pools and result backend on first use; cached ones would still point at
    the old broker (or be the "disabled" backend an eager test made)."""
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app.conf.update(conf)
    # A page does not wait again for a broker that failed a moment ago;
    # the next test's broker has not failed.
    from core import outbox

    outbox._broker_down_until.clear()


@contextmanager
def celery_pointed_at(broker_url, **conf):
    """Send tasks to a broker instead of running them eagerly, then restore."""
    from config.celery_app import app

    changes = {"broker_url": broker_url, "task_always_eager": False, **conf}
    saved = {k: app.conf[k] for k in changes}
    celery_use(app, **changes)
    try:
        yield app
    finally:
        celery_use(app, **saved)


@pytest.fixture
def celery_on_redis(redis_url):
    """Send tasks to the real Redis broker instead of running them eagerly."""
    with celery_pointed_at(redis_url, result_backend=redis_url) as app:
        yield app


class WorkerProcess:
    """A real `celery worker` subprocess on the test Redis, writing its
    emails to `outbox`, one file per email. start() again after kill() to
    see what a restarted worker does."""

    def __init__(self, *, redis_url, tmp_path, database_url=None, env=None):
        self.outbox = tmp_path / "outbox"
        self.outbox.mkdir(exist_ok=True)
        self.log_path = tmp_path / "worker.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_BROKER_URL": redis_url,
            "TEST_EMAIL_FILE_PATH": str(self.outbox),
            **({"DATABASE_URL": database_url} if database_url else {}),
            **(env or {}),
        }
        self.process = None

    def start(self, **env):
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        return self

    def kill(self):
        """SIGKILL: no warm shutdown, no chance to hand tasks back."""
        self.process.kill()
        self.process.wait(timeout=15)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.outbox.iterdir())]

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


@pytest.fixture
def celery_worker_process(redis_url, tmp_path):
    """A worker with no database of its own: yields its outbox folder."""
    worker = WorkerProcess(redis_url=redis_url, tmp_path=tmp_path).start()
    try:
        yield worker.outbox
    finally:
        worker.stop()


@pytest.fixture
def postgresql(transactional_db):
    """For tests of row locking and of other processes sharing the test
    database: skipped on a laptop's SQLite, a failure under scripts/test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but the tests are not on PostgreSQL")
        pytest.skip("needs the test database on PostgreSQL: run scripts/test")
    return connection


@pytest.fixture
def db_worker(redis_url, tmp_path, postgresql):
    """A worker (not yet started) on the test's PostgreSQL database, so it
    sees what the test commits (SQLite's test database lives in this
    process's memory)."""
    db = postgresql.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    worker = WorkerProcess(redis_url=redis_url, tmp_path=tmp_path, database_url=url)
    try:
        yield worker
    finally:
        worker.stop()


class RedisServer:
    """A Redis of this test's own, so stopping it touches no other test."""

    def __init__(self, tmp_path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, timeout=10, message="Redis to start")

    def ping(self):
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process:
            # A paused server takes no signal but SIGCONT and SIGKILL.
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self):
        """SIGSTOP: the port still accepts connections but nothing answers,
        as when Redis hangs or its host stops responding."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path, celery_on_redis):
    """Broker and result backend on a Redis this test may stop or pause."""
    server = RedisServer(tmp_path)
    server.start()
    celery_use(celery_on_redis, broker_url=server.url, result_backend=server.url)
    try:
        yield server
    finally:
        server.stop()


def timed(request):
    """The response and how many seconds it took."""
    start = time.perf_counter()
    response = request()
    return response, time.perf_counter() - start


def wait_for(predicate, *, timeout=30.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")
