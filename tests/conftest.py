import pytest
from django.test import Client

from core.roles import Role
from tests.factories import UserFactory

# The signed-out visitor plus every role: permission tests run over all of them.
ALL_ROLES = [None, *Role]


@pytest.fixture
def user_with_role(db):
    def make(role: Role | None, **kwargs):
        if role is Role.APPROVING_MANAGER:
            kwargs.setdefault("delegated_authority_limit", "250000.00")
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
