"""Islington care-package call-offs: advertised, bid for, panel, meet and
greet, the person's choice, award.

Dead end of issue 13 (fails on 14eac55): the awarded contract's owner was
whoever pressed the button; now the award asks which commissioning officer
owns it."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from procurement.constants import PackageKind, PackageStatus
from procurement.services import ProcurementError, packages
from tests.pages import page_text

DEADLINE = datetime(2027, 2, 1, 12, tzinfo=UTC)


@pytest.fixture
def package(lot, admitted, procurement_officer):
    return packages.package_advertise(
        lot=lot,
        by=procurement_officer,
        reference="ISL-LD-0042",
        kind=PackageKind.INDIVIDUAL,
        outcomes="Live in own flat; paid work two days a week",
        weekly_budget=Decimal("500.00"),
        start_date=date(2027, 3, 1),
        bid_deadline=DEADLINE,
        now=DEADLINE - timedelta(days=14),
    )


def bid(package, provider, officer, price="480.00", when=DEADLINE - timedelta(days=1)):
    return packages.package_bid_record(
        package=package,
        by=officer,
        provider=provider,
        proposal="Our support plan",
        weekly_price=Decimal(price),
        received_at=when,
        now=when,
    )


def test_the_person_chooses_after_meeting_the_shortlisted_providers(
    package, admitted, procurement_officer, commissioning_officer
):
    first, second, third = (bid(package, p, procurement_officer) for p in admitted)
    after = DEADLINE + timedelta(days=1)
    packages.package_panel_decide(
        bid=first,
        by=procurement_officer,
        shortlisted=True,
        notes="Strong on employment outcomes",
        now=after,
    )
    packages.package_panel_decide(
        bid=second, by=procurement_officer, shortlisted=True, notes="Local team", now=after
    )
    packages.package_panel_decide(
        bid=third,
        by=procurement_officer,
        shortlisted=False,
        notes="No plan for the work outcome",
        now=after,
    )
    with pytest.raises(ProcurementError, match="meet and greet first"):
        packages.package_choice_record(
            package=package, by=procurement_officer, bid=second, chosen_by="The person"
        )
    with pytest.raises(ProcurementError, match="Only shortlisted"):
        packages.meet_and_greet_record(
            bid=third, by=procurement_officer, met_on=date(2027, 2, 8), notes=""
        )
    packages.meet_and_greet_record(
        bid=second,
        by=procurement_officer,
        met_on=date(2027, 2, 8),
        notes="Got on well with the team leader",
    )
    chosen = packages.package_choice_record(
        package=package,
        by=procurement_officer,
        bid=second,
        chosen_by="The person and family",
    )
    assert chosen.status == PackageStatus.CHOSEN
    awarded = packages.package_award(
        package=package, by=procurement_officer, owner=commissioning_officer
    )
    contract = awarded.contract
    assert contract.owner == commissioning_officer
    assert contract.provider == admitted[1]
    assert contract.annual_value == Decimal("24960.00")  # £480 a week for 52 weeks
    assert contract.reference == "ISL-LD-0042"
    assert contract.procurement_route == "pdps_call_off"


def test_a_late_package_bid_is_refused(package, admitted, procurement_officer):
    with pytest.raises(ProcurementError, match="Late bids cannot be accepted"):
        bid(package, admitted[0], procurement_officer, when=DEADLINE)
    assert not package.bids.exists()


def test_only_admitted_providers_can_bid(package, procurement_officer):
    from tests.factories import ProviderFactory

    with pytest.raises(ProcurementError, match="not currently admitted"):
        bid(package, ProviderFactory(), procurement_officer)


def test_a_providers_later_bid_replaces_its_earlier_one(package, admitted, procurement_officer):
    from procurement import selectors

    first = bid(package, admitted[0], procurement_officer, "490.00", DEADLINE - timedelta(days=3))
    other = bid(package, admitted[1], procurement_officer, "470.00", DEADLINE - timedelta(days=2))
    # Recorded after the revision, but received before it: still replaced.
    revised = bid(package, admitted[0], procurement_officer, "450.00", DEADLINE - timedelta(days=1))
    late_recorded = bid(
        package, admitted[0], procurement_officer, "499.00", DEADLINE - timedelta(days=4)
    )
    current, replaced = selectors.package_bids(package)
    assert current == [other, revised]
    assert replaced == [late_recorded, first]
    after = DEADLINE + timedelta(days=1)
    with pytest.raises(ProcurementError, match="later bid, which replaces this one"):
        packages.package_panel_decide(
            bid=first, by=procurement_officer, shortlisted=True, notes="Good", now=after
        )
    packages.package_panel_decide(
        bid=revised, by=procurement_officer, shortlisted=True, notes="Good", now=after
    )


def chosen(package, provider, officer):
    """The package at the person's choice of one shortlisted provider."""
    first = bid(package, provider, officer)
    after = DEADLINE + timedelta(days=1)
    packages.package_panel_decide(
        bid=first, by=officer, shortlisted=True, notes="Strong", now=after
    )
    packages.meet_and_greet_record(bid=first, by=officer, met_on=date(2027, 2, 8), notes="")
    return packages.package_choice_record(
        package=package, by=officer, bid=first, chosen_by="The person"
    )


def test_a_package_is_awarded_only_to_a_commissioning_officers_ownership(
    package, admitted, procurement_officer
):
    chosen(package, admitted[0], procurement_officer)
    for owner in (None, procurement_officer):
        with pytest.raises(ProcurementError, match="Choose a commissioning officer") as refused:
            packages.package_award(package=package, by=procurement_officer, owner=owner)
        assert refused.value.field == "owner"
    package.refresh_from_db()
    assert package.status == PackageStatus.CHOSEN
    assert package.contract is None


def test_the_package_award_page_asks_who_owns_the_contract(
    package, admitted, procurement_officer, commissioning_officer, client_as
):
    chosen(package, admitted[0], procurement_officer)
    client = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:package_award", args=[package.pk])
    asked = page_text(client.get(url))
    assert "Who will own the contract?" in asked
    assert "Okafor" in asked
    for answer in ({}, {"owner": procurement_officer.pk}):
        page = client.post(url, answer)
        assert page.status_code == 200
        assert "Choose a commissioning officer to own the contract" in page_text(page)
    package.refresh_from_db()
    assert package.contract is None
    page = client.post(url, {"owner": commissioning_officer.pk})
    package.refresh_from_db()
    assert page.status_code == 302
    assert package.contract.owner == commissioning_officer
