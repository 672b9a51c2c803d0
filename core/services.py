"""Writes that change accounts and roles."""

from decimal import Decimal

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from core.roles import ROLE_PERMISSIONS, Role


def _permissions(codes: set[str], using: str) -> list[Permission]:
    found = []
    for code in sorted(codes):
        app_label, codename = code.split(".", 1)
        found.append(
            Permission.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
        )
    return found


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Make each role's group hold exactly the permissions declared in code."""
    # post_migrate reaches apps one at a time; create every app's permissions
    # first so a role can refer to an app that comes later in INSTALLED_APPS.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        if role is Role.ADMINISTRATOR:
            group.permissions.set(Permission.objects.using(using).all())
        else:
            group.permissions.set(_permissions(ROLE_PERMISSIONS[role], using))


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    delegated_authority_limit: Decimal | None = None,
):
    from core.models import User

    if role is Role.APPROVING_MANAGER and delegated_authority_limit is None:
        raise ValueError("An approving manager needs a delegated authority limit.")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        delegated_authority_limit=delegated_authority_limit,
        # Django's admin is for administrators only; see CouncilAdminSite.
        is_staff=role is Role.ADMINISTRATOR,
    )
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role.label)])
    return user
