"""Production passwords: Django's default hasher and cost, hashed in a
low-priority thread so a crowd signing in does not slow everyone's pages."""

import os
import sys
import threading

import pytest
from django.contrib.auth import hashers
from django.test import override_settings

from config.settings import base
from core.roles import Role
from tests.factories import UserFactory

production_hashing = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


@production_hashing
def test_passwords_are_stored_at_djangos_default_algorithm_and_cost():
    encoded = hashers.make_password("correct horse battery staple")
    algorithm, iterations, _salt, _hash = encoded.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) == hashers.PBKDF2PasswordHasher.iterations
    # Hashes made before the change, by Django's own hasher, still verify.
    djangos = hashers.PBKDF2PasswordHasher().encode("older password 1", "somesalt")
    assert hashers.check_password("older password 1", djangos)
    assert not hashers.check_password("wrong password", djangos)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")
@production_hashing
def test_a_password_is_hashed_in_a_low_priority_thread(monkeypatch):
    seen = []
    real = hashers.pbkdf2

    def spy(*args, **kwargs):
        tid = threading.get_native_id()
        seen.append((tid, os.getpriority(os.PRIO_PROCESS, tid)))
        return real(*args, **kwargs)

    monkeypatch.setattr(hashers, "pbkdf2", spy)
    hashers.make_password("correct horse battery staple")
    [(tid, niceness)] = seen
    assert tid != threading.get_native_id()
    assert niceness >= 10
    # The request's own thread keeps its priority.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 10


@production_hashing
def test_staff_sign_in_through_the_form_with_production_hashing(client, db):
    UserFactory(username="lisa.lopez", password="a long enough password", role=Role.AUDITOR)
    response = client.post(
        "/sign-in/", {"username": "lisa.lopez", "password": "a long enough password"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
