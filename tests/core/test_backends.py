"""A user's roles and permissions, read together in one query
(core.backends): what the role gives, what is given to the person alone,
nothing for an inactive user, everything for a superuser."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_roles_and_both_kinds_of_permission_come_from_one_query():
    user = UserFactory(role=Role.FINANCE_OFFICER)
    user.user_permissions.add(Permission.objects.get(codename="raise_change"))
    user = fresh(user)
    with CaptureQueriesContext(connection) as captured:
        assert user.role_names == [Role.FINANCE_OFFICER.label]
        assert user.has_perm("finance.view_budgetline")  # from the role
        assert user.has_perm("contracts.raise_change")  # given to the person
        assert not user.has_perm("contracts.decide_change")
        assert user.get_all_permissions() >= {"finance.view_budgetline"}
    assert len(captured) == 1


def test_permissions_first_then_roles_is_still_one_query():
    user = fresh(UserFactory(role=Role.AUDITOR))
    with CaptureQueriesContext(connection) as captured:
        assert not user.has_perm("contracts.change_contract")
        assert user.has_role(Role.AUDITOR)
    assert len(captured) == 1


def test_a_user_without_a_role_may_do_nothing():
    user = fresh(UserFactory())
    assert user.role_names == []
    assert user.get_all_permissions() == set()


def test_an_inactive_user_has_no_permissions():
    user = UserFactory(role=Role.ADMINISTRATOR)
    user.is_active = False
    user.save()
    assert not fresh(user).has_perm("contracts.view_contract")


def test_a_superuser_has_every_permission():
    user = fresh(UserFactory(is_superuser=True))
    assert user.has_perm("documents.withdraw_document")
    assert len(user.get_all_permissions()) == Permission.objects.count()


def test_the_one_query_orders_nothing_inside_its_union():
    # SQLite (scripts/run) refuses an ORDER BY inside a compound statement;
    # Permission's Meta ordering put one there, and nobody could sign in.
    user = fresh(UserFactory(role=Role.AUDITOR))
    with CaptureQueriesContext(connection) as captured:
        assert user.role_names == [Role.AUDITOR.label]
    [query] = captured.captured_queries
    assert "UNION" in query["sql"] and "ORDER BY" not in query["sql"]
