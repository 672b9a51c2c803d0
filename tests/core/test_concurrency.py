"""No lost update: two real transactions on PostgreSQL, each on its own
connection, saving from the same copy of one contract."""

import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.db import connections, transaction

from contracts.models import Contract
from contracts.services import contract_update
from core import concurrency
from finance.models import Resident, Scheme
from finance.services import resident_budget_renegotiate
from tests.factories import ContractFactory, ProviderFactory, UserFactory


def _in_own_connection(target):
    """Run `target` in a thread, which Django gives its own connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_a_save_from_a_copy_changed_meanwhile_waits_then_is_refused(postgresql):
    contract = ContractFactory(title="Supported living", description="First words")
    lisa = UserFactory(first_name="Lisa", last_name="Lopez")
    sam = UserFactory(first_name="Sam", last_name="Patel")
    both_read = threading.Barrier(2)
    first_written = threading.Event()

    def first():
        seen = Contract.objects.get(pk=contract.pk)
        both_read.wait()
        with transaction.atomic():
            contract_update(
                contract=seen, by=lisa, version=seen.version, title="Supported living, Bootle"
            )
            first_written.set()
            # Still uncommitted: the second save must wait for this one.
            time.sleep(0.5)

    def second():
        seen = Contract.objects.get(pk=contract.pk)
        both_read.wait()
        first_written.wait(timeout=10)
        started = time.monotonic()
        try:
            contract_update(contract=seen, by=sam, version=seen.version, description="New words")
        finally:
            second.waited = time.monotonic() - started

    with time_machine.travel("2026-03-02 10:42 +00:00", tick=False):
        threads = [_in_own_connection(first), _in_own_connection(second)]
        for thread, _ in threads:
            thread.join(timeout=30)
    (_, first_outcome), (_, second_outcome) = threads
    assert "error" not in first_outcome
    refusal = second_outcome.get("error")
    assert isinstance(refusal, concurrency.StaleEdit)
    assert str(refusal) == (
        "This contract was changed by Lisa Lopez at 10:42 since you opened it. "
        "Check the new details and make your change again."
    )
    assert second.waited >= 0.3, "the second transaction did not wait for the first's lock"
    contract.refresh_from_db()
    assert contract.title == "Supported living, Bootle"
    assert contract.description == "First words"
    assert contract.version == 2
    assert refusal.version == 2
    assert contract.history.count() == 2


@pytest.mark.django_db(transaction=True)
def test_of_two_saves_from_one_copy_at_the_same_moment_exactly_one_is_kept(postgresql):
    contract = ContractFactory(title="Supported living", description="First words")
    both_read = threading.Barrier(2)
    changes = {"title": {"title": "Changed title"}, "description": {"description": "Changed"}}

    def edit(change):
        def run():
            seen = Contract.objects.get(pk=contract.pk)
            both_read.wait()
            return contract_update(contract=seen, by=None, version=seen.version, **change)

        return run

    threads = {name: _in_own_connection(edit(change)) for name, change in changes.items()}
    for thread, _ in threads.values():
        thread.join(timeout=30)
    outcomes = {name: outcome for name, (_, outcome) in threads.items()}
    kept = [name for name, outcome in outcomes.items() if "result" in outcome]
    refused = [name for name, outcome in outcomes.items() if "error" in outcome]
    assert len(kept) == 1 and len(refused) == 1
    assert isinstance(outcomes[refused[0]]["error"], concurrency.StaleEdit)
    contract.refresh_from_db()
    current = {"title": contract.title, "description": contract.description}
    original = {"title": "Supported living", "description": "First words"}
    assert current == {**original, **changes[kept[0]]}


@pytest.mark.django_db(transaction=True)
def test_two_budget_reviews_from_one_page_keep_the_first(postgresql):
    from datetime import date

    scheme = Scheme.objects.create(
        reference="ISL-1", name="Flats", provider=ProviderFactory(), core_support_weekly=1000
    )
    resident = Resident.objects.create(scheme=scheme, reference="R1", weekly_budget=500)
    Resident.objects.create(scheme=scheme, reference="R2", weekly_budget=500)
    both_read = threading.Barrier(2)

    def review(amount):
        def run():
            seen = Resident.objects.get(pk=resident.pk)
            both_read.wait()
            return resident_budget_renegotiate(
                resident=seen,
                by=None,
                version=seen.version,
                new_budget=Decimal(amount),
                review_reference=f"CM-{amount}",
                reviewed_on=date(2026, 1, 5),
                reason="Review",
            )

        return run

    threads = [_in_own_connection(review(amount)) for amount in (550, 600)]
    for thread, _ in threads:
        thread.join(timeout=30)
    errors = [o["error"] for _, o in threads if "error" in o]
    assert len(errors) == 1 and isinstance(errors[0], concurrency.StaleEdit)
    resident.refresh_from_db()
    assert resident.reviews.count() == 1
    assert resident.weekly_budget == resident.reviews.get().new_budget


def test_a_save_from_the_current_version_goes_through_and_moves_it_on(db):
    contract = ContractFactory(title="Supported living")
    contract_update(contract=contract, by=None, version=1, title="Renamed")
    contract_update(contract=contract, by=None, version=2, title="Renamed again")
    contract.refresh_from_db()
    assert (contract.title, contract.version) == ("Renamed again", 3)


def test_writers_not_working_from_a_page_act_on_the_current_row(db):
    contract = ContractFactory(title="Supported living")
    contract_update(contract=contract, by=None, version=1, title="Renamed")
    # An import, say, holding the object from before the change.
    contract_update(contract=contract, by=None, description="From the import")
    contract.refresh_from_db()
    assert (contract.title, contract.description, contract.version) == (
        "Renamed",
        "From the import",
        3,
    )


def test_an_unlocked_copy_gone_stale_is_not_written_over_a_newer_row(db):
    provider = ProviderFactory(legal_name="Arch Care Ltd")
    first, second = (type(provider).objects.get(pk=provider.pk) for _ in range(2))
    first.legal_name = "Arch Care Group Ltd"
    concurrency.save_next_version(first)
    second.town = "Southport"
    with pytest.raises(concurrency.StaleEdit):
        concurrency.save_next_version(second)
    provider.refresh_from_db()
    assert (provider.legal_name, provider.town, provider.version) == (
        "Arch Care Group Ltd",
        "Bootle",
        2,
    )


def test_the_refusal_gives_the_day_when_the_change_was_not_today(db):
    lisa = UserFactory(first_name="Lisa", last_name="Lopez")
    with time_machine.travel("2026-03-02 10:42 +00:00", tick=False):
        contract = ContractFactory()
        contract_update(contract=contract, by=lisa, version=1, title="Renamed")
    later = time_machine.travel("2026-03-04 09:00 +00:00", tick=False)
    refused = pytest.raises(concurrency.StaleEdit, match="by Lisa Lopez at 10:42 on 2 March 2026 ")
    with later, refused:
        contract_update(contract=contract, by=None, version=1, title="Other")


def test_the_history_does_not_list_the_version_as_a_change(db):
    from contracts.history import contract_history

    contract = ContractFactory(title="Supported living")
    contract_update(contract=contract, by=None, version=1, title="Renamed")
    changed = [c["field"] for e in contract_history(contract) for c in e["changes"]]
    assert changed == ["title"]
