"""gunicorn's settings, read by the image's command (`gunicorn -c config/gunicorn.py`).

Threaded workers, a few per core: a page spends part of its time waiting on
PostgreSQL and signing in hashes a password outside the GIL, so threads keep
the cores busy where one request per process would leave them idle and
queue everyone behind a slow page (docs/decisions/0013-gunicorn-workers.md,
with the measurements). Each value can be set from the environment.
"""

import math
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _cores() -> int:
    """The cores this container may use, not the host's: its CPU set, and
    its CPU quota where cgroup v2 sets one (docker run --cpus)."""
    cores = len(os.sched_getaffinity(0))
    try:
        with open("/sys/fs/cgroup/cpu.max") as limit:
            quota, period = limit.read().split()
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# One process a core: more would only split the threads into smaller pools.
workers = _int("GUNICORN_WORKERS", _cores())
# About one thread for each person a worker's connections carry, so a page
# never waits behind a burst of sign-ins for a free thread.
threads = _int("GUNICORN_THREADS", 24)
# A request still running after this long is a bug, not a busy page; the
# proxy in front should give up a little later than this.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than any proxy's idle timeout in front (nginx and most load
# balancers: 60 s), or the proxy reuses a connection gunicorn is closing and
# the request fails. In gthread an idle connection costs a socket, no thread.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# A slow leak in any library cannot grow a worker for ever.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The heartbeat file on tmpfs: a container's overlay filesystem can stall
# it long enough for the arbiter to kill a healthy worker.
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR",
    # Only gunicorn's own heartbeat file, created with mkstemp, goes here.
    "/dev/shm" if os.path.isdir("/dev/shm") else None,  # noqa: S108  # nosec B108
)

# Request limits, refused with 400 before Django reads anything. Our longest
# URLs are the register's filters (well under 1 KB); browsers send about 20
# headers; the largest header is the cookie (session and CSRF, under 1 KB).
# Bodies are limited by Django's upload settings and by the proxy's
# client_max_body_size (README "Running in production").
limit_request_line = _int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _int("GUNICORN_LIMIT_REQUEST_FIELDS", 50)
limit_request_field_size = _int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
