import pytest
from django.core.management import CommandError, call_command

from core.models import Organisation, User
from core.roles import Role
from providers.models import Provider


def test_demo_data_loads_one_user_per_role_and_is_idempotent(db, capsys):
    call_command("load_demo_data", allow_production=True)
    first = capsys.readouterr().out
    from contracts.models import ExtensionRequest

    counts = (
        User.objects.count(),
        Provider.objects.count(),
        Organisation.objects.count(),
        ExtensionRequest.objects.count(),
    )
    call_command("load_demo_data", allow_production=True)
    assert (
        User.objects.count(),
        Provider.objects.count(),
        Organisation.objects.count(),
        ExtensionRequest.objects.count(),
    ) == counts

    for role in Role:
        assert User.objects.filter(groups__name=role.label).count() == 1, role
    manager = User.objects.get(groups__name=Role.APPROVING_MANAGER.label)
    assert manager.delegated_authority_limit > 0
    assert "password: " in first
    assert Organisation.objects.filter(name="Sefton Council").exists()
    assert Provider.objects.filter(companies_house_number="03229746").exists()
    from contracts.models import Contract

    mainstream = Contract.objects.get(reference="ILSS-2019-01")
    assert mainstream.whole_life_value == 3442628
    assert mainstream.options_taken == 2
    assert str(mainstream.current_end_date) == "2026-06-30"
    assert Contract.objects.get(reference="ILSS-2019-02").whole_life_value == 2545445


def test_demo_password_signs_in(db, client):
    from core.demo import DEMO_PASSWORD

    call_command("load_demo_data", allow_production=True)
    response = client.post(
        "/sign-in/", {"username": "commissioning.officer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_data_is_refused_with_debug_off(db):
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo_data")
    assert not User.objects.exists()
