"""The contract page costs the same queries however many KPIs and returns
the contract has: five years of quarterly returns on twenty KPIs is 560
figures, and a query per KPI or per return would be felt on every visit."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from performance.models import ImprovementPlan
from performance.selectors import contract_performance
from tests.factories import ContractFactory, UserFactory
from tests.performance.data import make_kpis, make_returns

SIZES = [(1, 1), (1, 28), (20, 1), (20, 28)]  # (KPIs, quarters)


def contract_with(kpis: int, quarters: int, reviewer):
    contract = ContractFactory()
    made = make_kpis(contract, kpis)
    make_returns(contract, made, quarters, reviewer=reviewer)
    ImprovementPlan.objects.create(
        contract=contract,
        warned_on=date(2025, 1, 6),
        must_improve="Review every support plan within 12 weeks",
        improve_by=date(2025, 1, 6) + timedelta(days=90),
        raised_by=reviewer,
    )
    return contract


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.AUDITOR])
def test_the_contract_page_costs_the_same_queries_at_1_and_28_quarters_and_1_and_20_kpis(
    db, user_with_role, role
):
    from django.test import Client

    reviewer = UserFactory()
    contracts = {size: contract_with(*size, reviewer) for size in SIZES}
    client = Client()
    client.force_login(user_with_role(role))
    client.get(contracts[SIZES[0]].get_absolute_url())  # the session, once

    counts = {}
    for size, contract in contracts.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(contract.get_absolute_url())
        assert response.status_code == 200
        assert response.content.count(b"<svg") == size[0]
        counts[size] = len(captured)
    assert len(set(counts.values())) == 1, counts


def test_the_performance_section_is_read_in_three_queries(db, django_assert_num_queries):
    reviewer = UserFactory()
    for size in SIZES:
        contract = contract_with(*size, reviewer)
        # KPIs, returns with their actuals and reviews, the open plan.
        with django_assert_num_queries(3):
            performance = contract_performance(contract)
        assert len(performance.kpis) == size[0]
        assert {len(s.periods) for s in performance.kpis} == {size[1]}
        assert performance.latest_review and performance.improvement_plan
