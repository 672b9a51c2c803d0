from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import Role
from providers.models import Provider


@pytest.fixture
def admin_client_(client_as):
    return client_as(Role.ADMINISTRATOR)


def test_admin_cannot_save_an_approving_manager_without_a_limit(admin_client_, user_with_role):
    manager = user_with_role(Role.APPROVING_MANAGER)
    group = Group.objects.get(name=Role.APPROVING_MANAGER.label)
    url = reverse("admin:core_user_change", args=[manager.pk])
    form = admin_client_.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        username=manager.username,
        groups=[group.pk],
        delegated_authority_limit="",
        date_joined_0="2026-11-23",
        date_joined_1="09:00:00",
        is_active="on",
    )
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "An approving manager needs a delegated authority limit" in response.content.decode()
    manager.refresh_from_db()
    assert manager.delegated_authority_limit == Decimal("250000.00")


def test_roles_are_read_only_in_the_admin(admin_client_):
    group = Group.objects.get(name=Role.AUDITOR.label)
    assert admin_client_.get(reverse("admin:auth_group_add")).status_code == 403
    response = admin_client_.post(
        reverse("admin:auth_group_change", args=[group.pk]), {"name": "Auditor", "permissions": []}
    )
    assert response.status_code == 403
    assert group.permissions.exists()


def test_admin_enforces_companies_house_format(admin_client_):
    response = admin_client_.post(
        reverse("admin:providers_provider_add"),
        {
            "legal_name": "Admin Added Ltd",
            "companies_house_number": "1234",
            "postcode": "NOTAPC",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "8 characters, like 01068186" in html
    assert "Enter a real postcode" in html
    assert not Provider.objects.exists()
