"""The budget page's stored commitments give exactly the figures the
financial-year rules give, and follow every change to a contract, however
it was made."""

from datetime import date
from decimal import Decimal

from contracts.models import Contract
from finance import selectors
from finance.commitments import FUNDER_GROUPS, contract_by_year
from finance.years import FinancialYear
from tests.factories import ContractFactory

YEAR = FinancialYear(2025)


def expected(year):
    """The budget page's figures worked out contract by contract in Python."""
    rows = {}
    for contract in Contract.objects.filter(is_draft=False):
        committed = contract_by_year(contract).get(year, Decimal(0))
        forecast = (
            contract_by_year(contract, forecast=True).get(year, Decimal(0))
            if contract.decision_deadline is not None
            else committed
        )
        shares = [
            (committed * Decimal(getattr(contract, share)) / 100).quantize(Decimal("0.01"))
            for _, _, share in FUNDER_GROUPS
        ]
        row = rows.setdefault(contract.service_area, [Decimal(0)] * 5)
        for n, amount in enumerate([committed, forecast, *shares]):
            row[n] += amount
    return {area: figures for area, figures in rows.items() if any(figures)}


def shown(year):
    return {
        r.service_area: [r.committed, r.forecast, *(f.committed for f in r.funders)]
        for r in selectors.budget_overview(year)
    }


def test_stored_commitments_follow_changes_made_without_a_service(db):
    a = ContractFactory(
        service_area="home_care",
        start_date=date(2024, 7, 1),
        term="3+2+2",
        annual_value=Decimal("123456.78"),
        uplift_percent=Decimal("2.5"),
        council_share_percent=Decimal("33.33"),
        icb_share_percent=Decimal("66.67"),
    )
    ContractFactory(
        service_area="home_care", start_date=date(2025, 2, 28), term="18m+6m", annual_value=999
    )
    ContractFactory(service_area="ilss", start_date=date(2023, 1, 31), term="3", annual_value=7)
    assert shown(YEAR) == expected(YEAR)

    # An import, the admin or a bulk update: no service ran.
    Contract.objects.filter(pk=a.pk).update(
        annual_value=Decimal("200000.00"), options_taken=1, icb_share_percent=0
    )
    assert shown(YEAR) == expected(YEAR)
    Contract.objects.filter(pk=a.pk).update(terminated_on=date(2025, 9, 30))
    assert shown(YEAR) == expected(YEAR)
    Contract.objects.filter(pk=a.pk).update(is_draft=True)
    assert shown(YEAR) == expected(YEAR)
    for year in (FinancialYear(2023), FinancialYear(2027)):
        assert shown(year) == expected(year)
