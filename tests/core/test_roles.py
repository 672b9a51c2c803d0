from django.contrib.auth.models import Group

from core.roles import ROLE_PERMISSIONS, Role
from core.services import roles_sync


def test_every_role_is_a_group_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}


def test_roles_sync_restores_permissions_removed_by_hand(db):
    group = Group.objects.get(name=Role.COMMISSIONING_OFFICER.label)
    group.permissions.clear()
    roles_sync()
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert codes == ROLE_PERMISSIONS[Role.COMMISSIONING_OFFICER]


def test_auditor_can_view_but_not_change_providers(user_with_role):
    auditor = user_with_role(Role.AUDITOR)
    assert auditor.has_perm("providers.view_provider")
    assert not auditor.has_perm("providers.change_provider")
    assert not auditor.has_perm("providers.add_provider")


def test_administrator_holds_every_permission(user_with_role):
    from django.contrib.auth.models import Permission

    admin = user_with_role(Role.ADMINISTRATOR)
    assert len(admin.get_all_permissions()) == Permission.objects.count()
