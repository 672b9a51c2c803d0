"""Django's ModelBackend, reading a user's roles and permissions together.

Every page asks who the signed-in user is (the header names their roles)
and what they may do (the navigation, the buttons). ModelBackend reads the
user's own permissions and their roles' permissions in two queries, and the
header's role names take a third; one query answers all three: two round
trips fewer on every page anyone opens."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value


def load_roles_and_permissions(user) -> None:
    """Sets `user.role_names` (its groups' names, sorted) and the permission
    cache ModelBackend keeps on the user, from one query: the user's
    groups with each one's permissions, and the user's own permissions."""
    in_roles = Group.objects.filter(user=user).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    # No ORDER BY (Permission's Meta has one): SQLite refuses it inside a UNION.
    own = (
        Permission.objects.filter(user=user)
        .values_list(Value(None, output_field=CharField()), "content_type__app_label", "codename")
        .order_by()
    )
    roles, perms = set(), set()
    for role, app_label, codename in in_roles.union(own, all=True):
        if role is not None:
            roles.add(role)
        if codename is not None:
            perms.add(f"{app_label}.{codename}")
    if user.is_superuser:
        perms = {
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            )
        }
    user.__dict__["role_names"] = sorted(roles)
    user._perm_cache = perms


class RolePermissionBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            load_roles_and_permissions(user_obj)
        return user_obj._perm_cache
