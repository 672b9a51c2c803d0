"""The budget page's stored commitments give exactly the figures the
financial-year rules give, and follow every change to a contract, however
it was made."""

from datetime import date
from decimal import Decimal

from django.db import connection

from contracts import changes
from contracts.models import Contract
from contracts.value_inputs import VALUE_INPUTS
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


# A new value for each input, each unlike what ContractFactory gives.
CHANGED = {
    "start_date": date(2024, 8, 1),
    "term": "3+2",
    "options_taken": 2,
    "terminated_on": date(2026, 1, 31),
    "decision_deadline": date(2026, 6, 30),
    "annual_value": Decimal("123456.79"),
    "uplift_percent": Decimal("3.25"),
    "council_share_percent": Decimal("40.00"),
    "icb_share_percent": Decimal("35.00"),
    "other_share_percent": Decimal("25.00"),
    "change_schedule": changes.schedule_text(
        [changes.ScheduleEntry(date(2024, 7, 1), Decimal("5000.00"), Decimal(0))]
    ),
    "months_added": 6,
}


def test_the_database_sees_a_change_to_any_input_on_its_own(db):
    """Contract.value_inputs is what the budget page compares: a change to
    any one input, written straight to the table, must change it."""
    assert set(CHANGED) == set(VALUE_INPUTS)
    contract = ContractFactory(start_date=date(2024, 7, 1), term="3+2+2", annual_value=1000)
    seen = {Contract.objects.values_list("value_inputs", flat=True).get(pk=contract.pk)}
    for name, value in CHANGED.items():
        Contract.objects.filter(pk=contract.pk).update(**{name: value})
        now = Contract.objects.values_list("value_inputs", flat=True).get(pk=contract.pk)
        assert now not in seen, f"a change to {name} went unseen"
        seen.add(now)


def test_a_value_schedule_written_without_a_service_is_followed(db):
    contract = ContractFactory(
        service_area="home_care", start_date=date(2024, 7, 1), term="3", annual_value=36500
    )
    assert shown(YEAR)["home_care"][0] == Decimal("36500.00")
    # From 1 January 2026 the contract is worth £73,000 a year: 90 days of
    # 2025/26 at twice the rate, so 36,500 + 100 x 90 = £45,500.
    schedule = changes.schedule_text(
        [
            changes.ScheduleEntry(date(2024, 7, 1), Decimal("36500.00"), Decimal(0)),
            changes.ScheduleEntry(date(2026, 1, 1), Decimal("73000.00"), Decimal(0)),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contracts_contract SET change_schedule = %s WHERE id = %s",
            [schedule, contract.pk],
        )
    assert shown(YEAR)["home_care"][0] == Decimal("45500.00")
    assert shown(YEAR) == expected(YEAR)
