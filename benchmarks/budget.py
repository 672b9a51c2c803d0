"""The budget page (/finance/) with 20,000 contracts on PostgreSQL.

Headline: the budget page's server time divided by the register page's
(/contracts/) at the same size, measured alternately (target <= 2.0), with
the budget page's query count the same at 1,000 and 20,000 contracts.
The first view after the contracts are loaded works their commitments out
(finance.commitments); that one-off time is printed too.
"""

from _harness import setup, timed_pair

setup()

import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts import terms
from contracts.constants import ServiceArea
from contracts.models import Contract
from core.models import User
from core.roles import Role
from core.services import user_create
from finance import selectors
from finance.models import BudgetLine, Funder
from finance.years import FinancialYear
from providers.models import Provider

TARGET = 2.0
PREFIX = "BENCH-BUDGET-"
AREAS = list(ServiceArea.values)
TERMS = [terms.Term.parse(t) for t in ("3+1+1", "2+2", "5", "18m+6m+6m", "3+2+2")]
# (council, ICB, other) shares: council-only, joint with the ICB, grant-funded.
SHARES = [(100, 0, 0), (60, 40, 0), (50, 25, 25), (0, 0, 100)]


def make_contracts(start, stop, providers):
    """Bulk rows across service areas, funders and financial years, with
    the derived columns computed as the service would."""
    batch = []
    for i in range(start, stop):
        term = TERMS[i % len(TERMS)]
        begin = date(2018, 4, 1) + timedelta(days=(i * 7) % 3000)
        value = Decimal(20_000 + (i * 37) % 900_000) + Decimal(i % 100) / 100
        taken = i % (len(term.option_months) + 1)
        current_end = term.end_after(begin, taken)
        remaining = len(term.option_months) - taken
        council, icb, other = SHARES[i % len(SHARES)]
        terminated = current_end - timedelta(days=100) if i % 17 == 0 else None
        open_options = remaining and not terminated
        batch.append(
            Contract(
                reference=f"{PREFIX}{i:06d}",
                title=f"Supported living scheme {i}",
                service_area=AREAS[i % len(AREAS)],
                provider=providers[i % len(providers)],
                start_date=begin,
                term=term.notation,
                annual_value=value,
                uplift_percent=Decimal(i % 4) / 2,
                council_share_percent=council,
                icb_share_percent=icb,
                other_share_percent=other,
                option_count=len(term.option_months),
                options_taken=taken,
                terminated_on=terminated,
                initial_end_date=term.initial_end(begin),
                current_end_date=terminated or current_end,
                max_end_date=term.max_end(begin),
                whole_life_value=terms.whole_life_value(term, value, Decimal(i % 4) / 2),
                decision_deadline=terms.decision_deadline(current_end, 3) if open_options else None,
            )
        )
    Contract.objects.bulk_create(batch, batch_size=2000)


def make_budget_lines(year):
    BudgetLine.objects.bulk_create(
        BudgetLine(
            financial_year=start_year,
            service_area=area,
            funder=funder,
            description=f"{PREFIX}line",
            amount=Decimal(5_000_000 + n * 1000),
        )
        for start_year in range(year.start_year - 3, year.start_year + 3)
        for n, area in enumerate(AREAS)
        for funder in Funder.values
    )


def main():
    user = user_create(
        username="benchmark.finance",
        email="bench.finance@example.org",
        password="benchmark-password-123",
        role=Role.FINANCE_OFFICER,
    )
    client = Client()
    client.force_login(user)
    year = FinancialYear.of(timezone.localdate())
    providers = Provider.objects.bulk_create(
        Provider(legal_name=f"{PREFIX}provider {i}") for i in range(200)
    )
    make_budget_lines(year)

    def budget_page():
        response = client.get("/finance/")
        assert response.status_code == 200
        return response

    def register_page():
        assert client.get("/contracts/").status_code == 200

    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            budget_page()
        return len(captured)

    try:
        make_contracts(0, 1_000, providers)
        budget_page()  # works the new contracts' commitments out
        small = page_queries()
        make_contracts(1_000, 20_000, providers)
        with connection.cursor() as cursor:
            # A steady-state register: autovacuum would have run by now.
            cursor.execute("VACUUM ANALYZE contracts_contract")
        started = time.perf_counter()
        budget_page()
        first_ms = (time.perf_counter() - started) * 1000
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE finance_commitment")
            cursor.execute("VACUUM ANALYZE finance_commitmentyear")
        large = page_queries()
        print(f"budget page queries: {small} at 1,000 contracts, {large} at 20,000")
        assert small == large, "query count grows with the register"
        committed = sum(r.committed for r in selectors.budget_overview(year))
        print(f"committed in {year}: £{committed:,.2f}")

        budget_ms, register_ms = timed_pair(budget_page, register_page, repeat=40)
        print(
            f"budget page {budget_ms:.1f} ms (first view after loading 19,000 contracts "
            f"{first_ms:.0f} ms), register page {register_ms:.1f} ms"
        )
        print(f"budget: {budget_ms / register_ms:.2f} (target <= {TARGET})")
    finally:
        Contract.objects.filter(reference__startswith=PREFIX).delete()
        Provider.objects.filter(legal_name__startswith=PREFIX).delete()
        BudgetLine.objects.filter(description__startswith=PREFIX).delete()
        User.objects.filter(username="benchmark.finance").delete()


main()
