"""Shared set-up for benchmarks: Django on the PostgreSQL in DATABASE_URL.

Each benchmark makes its own data and removes it, and prints its headline
figure on its last line as `NAME: value (target ...)`.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Python puts a script's folder first on the path, and benchmarks/queue.py
# (the name for it) would then stand in for the standard library's
# queue, which Django and Celery import: look in this folder last.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE] + [_HERE]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# Pages as production serves them: the navigation's count kept for as long
# as base settings keep it (the test settings count on every page).
os.environ.setdefault("WORK_QUEUE_COUNT_SECONDS", "30")


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (scripts/benchmarks does).")
    import django

    django.setup()


def timed(fn, *, repeat: int = 60, warmup: int = 5) -> float:
    """Median wall-clock milliseconds of fn() over `repeat` runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed_pair(first, second, *, repeat: int = 60, warmup: int = 5) -> tuple[float, float]:
    """Median milliseconds of two functions run alternately, so a busy
    moment on the machine costs both the same."""
    for _ in range(warmup):
        first()
        second()
    a, b = [], []
    for _ in range(repeat):
        for fn, samples in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(a), statistics.median(b)


def remove_users(queryset) -> None:
    """Delete a benchmark's own users, with any history they wrote.

    History is append-only (docs/decisions/0012-append-only-audit-trail.md):
    a user who wrote any is protected from deletion and a trigger refuses
    DELETE on the historical tables. A benchmark's users and records are
    throwaway data, so for this session only, and only for rows those users
    wrote, the trigger is ignored; nothing else may do this."""
    import pgtrigger

    from core.audit import TRIGGER_NAME, historical_models

    users = list(queryset)
    models = historical_models()
    with pgtrigger.ignore(*(f"{m._meta.label}:{TRIGGER_NAME}" for m in models)):
        for model in models:
            model.objects.filter(history_user__in=users).delete()
    queryset.delete()
