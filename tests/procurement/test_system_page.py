"""The purchasing system page at a large council's scale: hundreds of
current contracts in its service area are listed a page at a time."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.views.systems import REPROCURE_PAGE_SIZE
from tests.factories import ContractFactory, ProviderFactory


def contracts_to_reprocure(count: int):
    provider = ProviderFactory()
    return [ContractFactory(provider=provider, start_date=date(2025, 4, 1)) for _ in range(count)]


def test_contracts_for_re_procurement_are_listed_a_page_at_a_time(pdps, client_as):
    contracts = contracts_to_reprocure(REPROCURE_PAGE_SIZE + 3)
    client = client_as(Role.PROCUREMENT_OFFICER)

    first = client.get(pdps.get_absolute_url()).content.decode()
    assert f"{REPROCURE_PAGE_SIZE + 3} contracts, 1 to {REPROCURE_PAGE_SIZE} shown" in first
    assert contracts[0].get_absolute_url() in first
    assert contracts[-1].get_absolute_url() not in first
    assert 'rel="next"' in first

    second = client.get(pdps.get_absolute_url(), {"page": 2}).content.decode()
    assert contracts[-1].get_absolute_url() in second
    assert contracts[0].get_absolute_url() not in second


def test_system_page_queries_do_not_grow_with_contracts_for_re_procurement(pdps, client_as):
    client = client_as(Role.PROCUREMENT_OFFICER)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(pdps.get_absolute_url()).status_code == 200
        return len(captured)

    contracts_to_reprocure(2)
    few = queries()
    contracts_to_reprocure(REPROCURE_PAGE_SIZE + 10)
    assert queries() == few
