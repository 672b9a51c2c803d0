"""Contracts' commitments by financial year, kept in the database so the
budget page adds up a register of 20,000 contracts with one query.

Working a contract's years out (finance.years, decision 9) costs about a
tenth of a millisecond in Python: two seconds a page for a large council,
every time. So each contract's years are stored with the inputs they were
worked out from (Commitment, CommitmentYear), and a page first works out
again only the contracts whose inputs no longer match. That comparison is
made in the database, so it notices every kind of change, including ones
made without a service (imports, bulk updates, the admin, raw SQL), and
nothing has to remember to keep the rows in step (no signals, no save()).
The figures are exactly the ones the Python rules give: they are what is
stored.
"""

from decimal import Decimal
from types import SimpleNamespace

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Sum

from contracts import changes, terms
from contracts.value_inputs import VALUE_INPUTS
from finance.models import Commitment, CommitmentYear, Funder
from finance.years import FinancialYear, Period, by_financial_year, overlap_days

# Everything a contract's commitment is worked out from: the database keeps
# them in one text, Contract.value_inputs, that Commitment keeps a copy of.
INPUTS = VALUE_INPUTS
# Contracts worked out and written per round trip: bounded memory, and well
# inside SQLite's limit on query parameters.
BATCH = 2000
# Any constant: only one request at a time writes commitments.
_LOCK_KEY = 0x66696E616E6365  # "finance"

# Contracts record their funding split three ways; budget lines name four
# funders, so health partners other than the ICB and grants share "other".
FUNDER_GROUPS = [
    ("Council", (Funder.COUNCIL,), "council_share_percent"),
    ("ICB", (Funder.ICB,), "icb_share_percent"),
    ("Other health partners and grants", (Funder.HEALTH, Funder.GRANT), "other_share_percent"),
]
_GROUP_COLUMNS = ("council", "icb", "other")


def contract_periods_for(contract, *, forecast: bool = False) -> list[Period]:
    """The contract's years as valued by the register (months, with the
    uplift compounded each contract year, decision 5), each to be spread
    over its own days; a termination cuts the last one short."""
    months = _months(contract, forecast=forecast)
    if contract.change_schedule:
        return [p for p, _ in _schedule_periods(contract, months)]
    periods = []
    for first_month in range(0, months, 12):
        length = min(12, months - first_month)
        starts = terms.add_months(contract.start_date, first_month)
        ends = terms.period_end(contract.start_date, first_month + length)
        value = terms.value_for_months(
            Decimal(contract.annual_value),
            first_month=first_month,
            months=length,
            uplift_percent=Decimal(contract.uplift_percent),
        )
        days = (ends - starts).days + 1
        if contract.terminated_on is not None and starts > contract.terminated_on:
            break
        if contract.terminated_on is not None:
            ends = min(ends, contract.terminated_on)
        periods.append(Period(starts, ends, value, days))
    return periods


def _months(contract, *, forecast: bool) -> int:
    term = terms.Term.parse(contract.term)
    if forecast and contract.decision_deadline is not None:
        return term.total_months + contract.months_added
    return term.months_after(contract.options_taken) + contract.months_added


def _schedule_periods(contract, months: int) -> list:
    """A changed contract's periods, split at each change's effective date."""
    entries = changes.parse_schedule(contract.change_schedule)
    return changes.schedule_periods(
        contract.start_date, months, entries, terminated_on=contract.terminated_on
    )


def _funding_by_year(contract) -> dict[FinancialYear, list[Decimal]] | None:
    """Each funder group's share of each year when a change moved the
    funding split part-way: each part of the year at the split then in
    force. None when the split never changed."""
    if not contract.change_schedule or not changes.funding_varies(
        changes.parse_schedule(contract.change_schedule)
    ):
        return None
    exact: dict[FinancialYear, list[Decimal]] = {}
    for period, entry in _schedule_periods(contract, _months(contract, forecast=False)):
        for year, amount in _exact_by_year(period).items():
            shares = exact.setdefault(year, [Decimal(0)] * 3)
            for i, share in enumerate(entry.shares):
                shares[i] += amount * share / 100
    return {year: [s.quantize(Decimal("0.01")) for s in shares] for year, shares in exact.items()}


def _exact_by_year(period: Period) -> dict[FinancialYear, Decimal]:
    found = {}
    year = FinancialYear.of(period.starts)
    while year.starts <= period.ends:
        days = overlap_days(period.starts, period.ends, year.starts, year.ends)
        if days:
            found[year] = Decimal(period.annual_value) * days / period.year_days
        year = FinancialYear(year.start_year + 1)
    return found


def contract_by_year(contract, *, forecast: bool = False) -> dict:
    """A contract's commitment by financial year: to its current end, or
    (forecast) to its maximum end if the remaining options are taken."""
    return by_financial_year(contract_periods_for(contract, forecast=forecast))


def year_figures(contract) -> dict[FinancialYear, dict[str, Decimal]]:
    """What the budget page adds up for each year a contract touches:
    committed, forecast, and each funder group's share of the commitment
    (rounded per contract, as the page has always shown it)."""
    committed = contract_by_year(contract)
    forecast = (
        contract_by_year(contract, forecast=True)
        if contract.decision_deadline is not None
        else committed
    )
    funding = _funding_by_year(contract)
    figures = {}
    for year in sorted(committed.keys() | forecast.keys()):
        amount = committed.get(year, Decimal(0))
        if funding is not None:
            shares = dict(zip(_GROUP_COLUMNS, funding.get(year, [Decimal(0)] * 3), strict=True))
        else:
            shares = {
                column: (amount * Decimal(getattr(contract, share)) / 100).quantize(Decimal("0.01"))
                for column, (_, _, share) in zip(_GROUP_COLUMNS, FUNDER_GROUPS, strict=True)
            }
        figures[year] = {
            "committed": amount,
            "forecast": forecast.get(year, Decimal(0)),
            **shares,
        }
    return figures


def _up_to_date() -> QuerySet:
    """The contract's stored commitment, if it was worked out from the
    contract's inputs as they are now."""
    return Commitment.objects.filter(contract=OuterRef("pk"), value_inputs=OuterRef("value_inputs"))


def _out_of_date(contracts: QuerySet, after: int) -> list[dict]:
    return list(
        contracts.filter(~Exists(_up_to_date()), pk__gt=after)
        .order_by("pk")
        .values("pk", "value_inputs", *INPUTS)[:BATCH]
    )


# The same, read through a join for the budget page's one query: false too
# for a contract with no stored commitment yet.
_AS_STORED = Q(commitment__value_inputs=F("value_inputs"))


def _area_sums(contracts: QuerySet, year: FinancialYear) -> list[dict]:
    in_year = FilteredRelation(
        "commitment_years", condition=Q(commitment_years__financial_year=year.start_year)
    )
    return list(
        contracts.alias(in_year=in_year)
        .values("service_area")
        .order_by()
        .annotate(
            out_of_date=Count("pk", filter=~_AS_STORED),
            committed=Sum("in_year__committed", default=Decimal(0)),
            forecast=Sum("in_year__forecast", default=Decimal(0)),
            **{c: Sum(f"in_year__{c}", default=Decimal(0)) for c in _GROUP_COLUMNS},
        )
    )


def commitments_by_area(contracts: QuerySet, year: FinancialYear) -> list[dict]:
    """Per service area, what `contracts` commit in `year`: committed,
    forecast, and each funder group's share ("council", "icb", "other").
    One query, whatever the number of contracts, unless some have changed
    since their commitments were last worked out."""
    sums = _area_sums(contracts, year)
    if any(area["out_of_date"] for area in sums):
        commitments_refresh(contracts)
        sums = _area_sums(contracts, year)
    return sums


def commitments_refresh(contracts: QuerySet) -> None:
    """Work out again the commitments of those `contracts` whose inputs have
    changed since, or that have none yet. One query when nothing changed."""
    for attempt in range(3):
        try:
            return _refresh(contracts)
        except IntegrityError:
            # A contract deleted while its commitment was being written:
            # that batch was rolled back; the next look no longer finds it.
            if attempt == 2:
                raise


def _refresh(contracts: QuerySet) -> None:
    after = 0
    stale = _out_of_date(contracts, after)
    while stale:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Two requests refreshing at once would delete and insert the
                # same rows; the second waits, then finds them done.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
                stale = _out_of_date(contracts, after)
            _store(stale)
        full = len(stale) == BATCH
        # Onwards from the last one done, so the loop ends whatever happens.
        after = stale[-1]["pk"] if stale else after
        stale = _out_of_date(contracts, after) if full else []


def _insert(model, rows: list[tuple], columns: tuple[str, ...]) -> None:
    # Straight to the cursor: a model instance, or a round trip, per row
    # would cost more than the arithmetic. Only names from the model's own
    # metadata are put into the SQL.
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array a column: a handful of parameters however many rows.
            fields = {f.column: f for f in model._meta.concrete_fields}
            arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
            sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608  # nosec B608
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
            cursor.executemany(sql, rows)


_YEAR_COLUMNS = ("committed", "forecast", *_GROUP_COLUMNS)


def _store(rows: list[dict]) -> None:
    if not rows:
        return
    years = [
        (row["pk"], year.start_year, *(figures[c] for c in _YEAR_COLUMNS))
        for row in rows
        for year, figures in year_figures(SimpleNamespace(**row)).items()
    ]
    ids = [row["pk"] for row in rows]
    CommitmentYear.objects.filter(contract_id__in=ids).delete()
    Commitment.objects.filter(contract_id__in=ids).delete()
    _insert(
        Commitment,
        [(row["pk"], row["value_inputs"]) for row in rows],
        ("contract_id", "value_inputs"),
    )
    _insert(CommitmentYear, years, ("contract_id", "financial_year", *_YEAR_COLUMNS))
