from datetime import date

import pytest
import time_machine

from contracts.models import ServiceAreaSettings
from core.roles import Role

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def on_3_december_2026():
    with time_machine.travel(date(2026, 12, 3), tick=False):
        yield


@pytest.fixture
def people(user_with_role):
    """One person in each of the seven roles, plus a commissioning officer who
    owns the contracts and an approving manager named for supported living."""
    found = {role.value: user_with_role(role) for role in Role}
    found["owner"] = user_with_role(Role.COMMISSIONING_OFFICER)
    found["area_manager"] = user_with_role(Role.APPROVING_MANAGER)
    area = ServiceAreaSettings.objects.create(service_area="supported_living")
    area.managers.add(found["area_manager"])
    return found
