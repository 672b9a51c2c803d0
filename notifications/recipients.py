"""Finding people by role or permission, for the apps that call notify."""

from django.contrib.auth.models import Permission
from django.db.models import Q

from core.roles import Role


def users_with_role(role: Role):
    from core.models import User

    return User.objects.filter(is_active=True, groups__name=role.label).distinct()


def users_with_permission(permission: str):
    """Active users holding `permission` through their role, directly, or as
    superusers (administrators' role holds every permission)."""
    from core.models import User

    app_label, codename = permission.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return User.objects.filter(
        Q(groups__permissions__in=perm) | Q(user_permissions__in=perm) | Q(is_superuser=True),
        is_active=True,
    ).distinct()
