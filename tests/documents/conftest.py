import datetime

import pytest

from core.roles import Role
from tests.factories import ContractFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test's uploads in its own folder, so a test can see exactly
    which files were stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.COMMISSIONING_OFFICER)


@pytest.fixture
def contract(db):
    return ContractFactory()


@pytest.fixture
def monitoring_return(contract):
    return _return(contract)


def _return(contract, start=datetime.date(2026, 4, 1)):
    from performance.models import MonitoringReturn

    return MonitoringReturn.objects.create(
        contract=contract,
        period_start=start,
        period_end=start + datetime.timedelta(days=90),
        due_date=start + datetime.timedelta(days=120),
    )


@pytest.fixture
def make_return():
    return _return


@pytest.fixture
def failure(contract, officer):
    from performance.models import PerformanceFailure

    return PerformanceFailure.objects.create(
        contract=contract,
        obligation="Staff trained in medication",
        what_happened="Two missed doses",
        impact="Resident unwell",
        started_on=datetime.date(2026, 5, 3),
        recorded_by=officer,
    )
