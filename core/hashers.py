"""Passwords hashed at Django's default cost, in a low-priority thread.

Checking a password costs about half a second of CPU on purpose (PBKDF2-SHA256
at Django's default iterations), which is what makes a stolen hash slow to
crack. When many people sign in at once (the whole team at nine o'clock)
those seconds would be taken from every page being served at that moment.
The hash runs in one thread per process that the kernel schedules below the
request threads: pages stay prompt and signing in uses the CPU they leave
(docs/decisions/0013-gunicorn-workers.md). The stored hashes are Django's own.
"""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth import hashers

_PER_THREAD_PRIORITY = sys.platform.startswith("linux")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _lower_priority() -> None:
    # On Linux a thread has its own nice value, set through its thread id.
    # Raising it needs no privilege; it is never lowered again.
    tid = threading.get_native_id()
    if os.getpriority(os.PRIO_PROCESS, tid) < settings.PASSWORD_HASH_NICENESS:
        os.setpriority(os.PRIO_PROCESS, tid, settings.PASSWORD_HASH_NICENESS)


def _hashing_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="password-hash", initializer=_lower_priority
            )
        return _pool


def _forget_pool() -> None:
    # A forked worker does not inherit the parent's threads.
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if _PER_THREAD_PRIORITY:
    os.register_at_fork(after_in_child=_forget_pool)


class PBKDF2PasswordHasher(hashers.PBKDF2PasswordHasher):
    """Django's default hasher, same algorithm name, iterations and format."""

    def encode(self, password, salt, iterations=None):
        if not _PER_THREAD_PRIORITY or not settings.PASSWORD_HASH_NICENESS:
            return super().encode(password, salt, iterations)
        # hashlib releases the GIL while it hashes, so this request's
        # process goes on serving its other threads meanwhile.
        return _hashing_pool().submit(super().encode, password, salt, iterations).result()
