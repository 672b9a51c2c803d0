"""gunicorn as the image runs it (config/gunicorn.py): threaded workers set
from the environment, and oversized requests refused before Django reads them."""

import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "gunicorn.py"


def settings_with(monkeypatch, **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_threads_and_limits_come_from_the_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    defaults = runpy.run_path(str(CONFIG))
    assert defaults["worker_class"] == "gthread"
    assert 1 <= defaults["workers"] <= len(os.sched_getaffinity(0))
    assert defaults["threads"] == 24
    assert defaults["timeout"] == 30
    assert (defaults["limit_request_line"], defaults["limit_request_fields"]) == (4094, 50)
    assert defaults["limit_request_field_size"] == 8190

    chosen = settings_with(
        monkeypatch, GUNICORN_WORKERS="5", GUNICORN_THREADS="2", GUNICORN_WORKER_CLASS="sync"
    )
    assert (chosen["workers"], chosen["threads"], chosen["worker_class"]) == (5, 2, "sync")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(port: int, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        reply = conn.recv(200)
    return int(reply.split()[1])


@pytest.fixture
def gunicorn():
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": os.devnull,
    }
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "-c", CONFIG],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(headers: int, path: str = "/healthz") -> bytes:
    extra = "".join(f"X-Extra-{n}: {n}\r\n" for n in range(headers))
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode()


def test_gunicorn_refuses_requests_beyond_its_limits(gunicorn):
    assert _status(gunicorn, _get(headers=20)) == 200
    # A browser sends about 20 header fields; 60 is a client probing limits.
    assert _status(gunicorn, _get(headers=60)) == 431
    assert _status(gunicorn, _get(headers=1, path="/healthz?" + "a" * 5000)) in (400, 414)
