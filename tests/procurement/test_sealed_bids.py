"""Sealed bids stay sealed on every procurement page, for every role.

Every URL in procurement/urls.py is requested (found from the URL patterns,
so a new page is covered without editing this file), with every object its
path can name, by every role, the signed-out visitor (who is also whoever
holds a provider's private bid link) and the members of the call-off's
panel. Before the deadline no response may name a bidder, show a bid's
text, a price or a document. After it, the same holds for those who may
not see bids (docs/decisions/0008-procurement-evaluation.md and
tests/core/test_permission_matrix.py).

Every admitted provider is invited, so a page may name every provider in
the lot; what it must not do is single out those who bid. A bidder's name
may therefore appear exactly as often as the name of a provider that did
not bid. The markers are letters, digits and spaces only, so escaping can
neither hide nor change them.
"""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.roles import Role
from procurement import urls as procurement_urls
from procurement.constants import AdmissionStatus, CallOffRoute, CriterionKind, PackageKind
from procurement.services import call_offs, evaluation, packages, systems
from tests.factories import ProviderFactory, UserFactory

DEADLINE = datetime(2027, 3, 1, 12, tzinfo=UTC)
SET_UP = DEADLINE - timedelta(days=20)
BID_RECEIVED = DEADLINE - timedelta(days=3)
BEFORE = DEADLINE - timedelta(days=2)
AFTER = DEADLINE + timedelta(hours=2)

BIDDERS = {"A": "Quillonby Care Ltd", "B": "Marrowfen Support Ltd"}
NOT_BIDDING = "Tessalwick Homes Ltd"
ANSWERS = {"A": "Qanswerquillonby77", "B": "Qanswermarrowfen77"}
PRICES = {"A": Decimal("86420.13"), "B": Decimal("97531.24")}
DOCUMENTS = {"A": "qdocquillonby", "B": "qdocmarrowfen"}
PROPOSALS = {"A": "Pproposalquillonby55", "B": "Pproposalmarrowfen55"}
WEEKLY_PRICES = {"A": Decimal("613.57"), "B": Decimal("724.68")}

CALL_OFF_SECRETS = {
    letter: [
        ANSWERS[letter],
        DOCUMENTS[letter],
        f"{PRICES[letter]:f}".split(".")[0],
        f"{PRICES[letter]:,f}".split(".")[0],
    ]
    for letter in BIDDERS
}
PACKAGE_SECRETS = {letter: [PROPOSALS[letter], f"{WEEKLY_PRICES[letter]:f}"] for letter in BIDDERS}

# The first part of a URL says which object its <pk> is.
PK_OBJECTS = {
    "systems": "system",
    "applications": "application",
    "admissions": "admission",
    "lots": "lot",
    "call-offs": "call_off",
    "evaluations": "assignment",
    "packages": "package",
    "package-bids": "package_bid",
}
OTHER_PARAMETERS = {
    "bid_pk": "bid",
    "doc_pk": "document",
    "token": "token",
    "criterion_pk": "criterion",
}


@dataclass
class World:
    officer: object
    call_off: object
    package: object
    ids: dict
    panel: dict
    # The provider an application, an admission or a bid link belongs to.
    owners: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Sight:
    """What a client may see: bidders' names, call-off bids, package bids."""

    names: bool = False
    call_off_bids: bool = False
    package_bids: bool = False


NOTHING = Sight()


def _admit(system, lot, question, officer, provider):
    application = systems.application_record(
        system=system,
        by=officer,
        provider=provider,
        lots=[lot],
        received_on=SET_UP.date(),
        answers={question: (True, "Registered")},
    )
    systems.admission_decide(
        admission=application.admissions.get(), by=officer, status=AdmissionStatus.ADMITTED
    )
    return application


@pytest.fixture
def world(db, time_machine):
    time_machine.move_to(SET_UP)
    officer = UserFactory(role=Role.PROCUREMENT_OFFICER)
    system = systems.system_create(
        by=officer,
        reference="SEAL-PDPS",
        name="Supported living PDPS",
        kind="pdps",
        service_area="supported_living",
        starts_on=date(2026, 9, 1),
        ends_on=date(2031, 8, 31),
    )
    systems.window_open(
        system=system, by=officer, opens_on=date(2026, 9, 1), closes_on=date(2027, 8, 31)
    )
    question = systems.question_add(system=system, by=officer, text="CQC registration")
    lot = systems.lot_add(system=system, by=officer, name="Supported living")
    providers = {letter: ProviderFactory(legal_name=name) for letter, name in BIDDERS.items()}
    providers["N"] = ProviderFactory(legal_name=NOT_BIDDING)
    applications = [_admit(system, lot, question, officer, p) for p in providers.values()]

    call_off = call_offs.call_off_create(
        lot=lot,
        by=officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="SEAL-CO-1",
        title="Bootle scheme",
        start_date=date(2027, 6, 1),
        annual_value=Decimal("250000.00"),
        bid_deadline=DEADLINE,
    )
    call_offs.criterion_add(
        call_off=call_off,
        by=officer,
        name="Outcomes",
        weight=Decimal(60),
        kind=CriterionKind.QUALITY,
        descriptors="0 no answer, 5 excellent",
    )
    call_offs.criterion_add(
        call_off=call_off, by=officer, name="Price", weight=Decimal(40), kind=CriterionKind.PRICE
    )
    invitations = {i.provider_id: i for i in call_offs.call_off_open(call_off=call_off, by=officer)}
    quality = call_off.criteria.get(kind=CriterionKind.QUALITY)
    bids = {}
    for letter in BIDDERS:
        document = SimpleUploadedFile(
            f"{DOCUMENTS[letter]}.txt", f"Our plan {DOCUMENTS[letter]}".encode()
        )
        bids[letter] = call_offs.bid_submit(
            invitation=invitations[providers[letter].pk],
            answers={quality.pk: ANSWERS[letter]},
            price=PRICES[letter],
            documents=[document],
            now=BID_RECEIVED,
        )
    # The panel: one evaluator without a conflict, a procurement officer who
    # declared one, and a commissioning officer who has not declared yet.
    panel = {
        "panel evaluator, no conflict": UserFactory(role=Role.EVALUATOR),
        "panel procurement officer, conflicted": UserFactory(role=Role.PROCUREMENT_OFFICER),
        "panel commissioning officer, undeclared": UserFactory(role=Role.COMMISSIONING_OFFICER),
    }
    assignments = [
        evaluation.evaluator_assign(call_off=call_off, by=officer, evaluator=user)
        for user in panel.values()
    ]
    evaluation.conflict_declare(
        assignment=assignments[0], by=assignments[0].evaluator, has_conflict=False
    )
    evaluation.conflict_declare(
        assignment=assignments[1],
        by=assignments[1].evaluator,
        has_conflict=True,
        statement="Worked for one of the bidders last year",
    )

    package = packages.package_advertise(
        lot=lot,
        by=officer,
        reference="SEAL-PKG-1",
        kind=PackageKind.INDIVIDUAL,
        outcomes="Live in own flat",
        weekly_budget=Decimal("800.00"),
        start_date=date(2027, 6, 1),
        bid_deadline=DEADLINE,
    )
    package_bids = [
        packages.package_bid_record(
            package=package,
            by=officer,
            provider=providers[letter],
            proposal=PROPOSALS[letter],
            weekly_price=WEEKLY_PRICES[letter],
            received_at=BID_RECEIVED,
            now=BID_RECEIVED,
        )
        for letter in BIDDERS
    ]
    time_machine.move_to(BEFORE)
    letters = {p.pk: letter for letter, p in providers.items()}
    owners = {("token", i.token): letters[i.provider_id] for i in invitations.values()}
    for application in applications:
        letter = letters[application.provider_id]
        owners["application", application.pk] = letter
        owners["admission", application.admissions.get().pk] = letter
    ids = {
        "system": [system.pk],
        "application": [a.pk for a in applications],
        "admission": [a.admissions.get().pk for a in applications],
        "lot": [lot.pk],
        "call_off": [call_off.pk],
        "criterion": [c.pk for c in call_off.criteria.all()],
        "assignment": [a.pk for a in assignments],
        "package": [package.pk],
        "package_bid": [b.pk for b in package_bids],
        "bid": [b.pk for b in bids.values()],
        "document": [b.documents.get().pk for b in bids.values()],
        "token": [i.token for i in invitations.values()],
    }
    return World(officer, call_off, package, ids, panel, owners)


def procurement_urls_to_request(world):
    """(name, URL, view class, owner) for every procurement URL pattern and
    every combination of the fixture's objects its parameters can name; the
    owner is the provider whose application or bid link the URL names."""
    for pattern in procurement_urls.urlpatterns:
        route = str(pattern.pattern)
        names = list(pattern.pattern.converters)
        kinds = []
        for name in names:
            kind = PK_OBJECTS.get(route.split("/")[0]) if name == "pk" else None
            kind = kind or OTHER_PARAMETERS.get(name)
            assert kind, f"Say in PK_OBJECTS or OTHER_PARAMETERS what {name} names in {route}"
            kinds.append([(kind, value) for value in world.ids[kind]])
        for objects in itertools.product(*kinds):
            kwargs = {name: value for name, (_, value) in zip(names, objects, strict=True)}
            url = reverse(f"procurement:{pattern.name}", kwargs=kwargs)
            owner = next((world.owners[o] for o in objects if o in world.owners), None)
            yield pattern.name, url, pattern.callback.view_class, owner


def _clients(world, sights):
    """Every role, the signed-out visitor and the panel, each with what it
    may see."""
    clients = {"signed out": (Client(), sights["signed out"])}
    for role in Role:
        client = Client()
        client.force_login(UserFactory(role=role))
        clients[role.label] = (client, sights[role.label])
    for label, user in world.panel.items():
        client = Client()
        client.force_login(user)
        clients[label] = (client, sights[label])
    return clients


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return headers + "\n" + body.decode("utf-8", errors="replace")


def _leaks(response, sight: Sight, own: str | None) -> list[str]:
    """What the response shows that this client may not see. `own` is the
    provider whose application or private bid link the page is about."""
    text = _text(response)
    found = []
    if response.get("Content-Type", "").startswith("application/pdf") and not sight.names:
        found.append("a PDF, which this test cannot read, was returned")
    # A page about one provider names it alone; any other page may name a
    # bidder as often as a provider that did not bid.
    reference = 0 if own else text.count(NOT_BIDDING)
    for letter, name in BIDDERS.items():
        if letter == own:
            continue
        if not sight.names and text.count(name) != reference:
            found.append(f"names {name} {text.count(name)} times ({NOT_BIDDING}: {reference})")
        secrets = []
        if not sight.call_off_bids:
            secrets += CALL_OFF_SECRETS[letter]
        if not sight.package_bids:
            secrets += PACKAGE_SECRETS[letter]
        found += [f"shows {secret!r}" for secret in secrets if secret in text]
    return found


def _sweep(world, sights) -> list[str]:
    problems = []
    clients = _clients(world, sights)
    for name, url, view, own in procurement_urls_to_request(world):
        for label, (client, sight) in clients.items():
            methods = ["get", "post"] if hasattr(view, "post") else ["get"]
            for method in methods:
                # An empty POST: forms come back with their errors (and their
                # captions); a confirmation is refused or done, then undone.
                with transaction.atomic():
                    response = getattr(client, method)(url, {})
                    transaction.set_rollback(True)
                problems += [
                    f"{method.upper()} {url} ({name}) as {label}: {leak}"
                    for leak in _leaks(response, sight, own)
                ]
    return problems


# Over a thousand requests: longer than the suite's usual limit per test.
SWEEP = pytest.mark.timeout(1200)


@SWEEP
def test_before_the_deadline_no_page_names_a_bidder_or_shows_a_bid(world):
    everyone = {"signed out", *(r.label for r in Role), *world.panel}
    problems = _sweep(world, dict.fromkeys(everyone, NOTHING))
    assert not problems, "\n".join(problems)


REGISTER = Sight(names=True, package_bids=True)
EVERYTHING = Sight(names=True, call_off_bids=True, package_bids=True)


@SWEEP
def test_after_the_deadline_bids_are_shown_only_to_those_who_may_read_them(world, time_machine):
    time_machine.move_to(AFTER)
    call_offs.evaluation_start(call_off=world.call_off, by=world.officer)
    sights = {
        "signed out": NOTHING,
        # Evaluators see the bids of the call-offs they score, nothing else.
        Role.EVALUATOR.label: NOTHING,
        "panel evaluator, no conflict": Sight(names=True, call_off_bids=True),
        # Those on the panel know who bid (they declare against the bidders)
        # but read no bid until they declare no conflict.
        "panel procurement officer, conflicted": REGISTER,
        "panel commissioning officer, undeclared": REGISTER,
        # Care-package bids are open to everyone in procurement after the
        # deadline; call-off bids to the procurement team and approvers.
        Role.COMMISSIONING_OFFICER.label: REGISTER,
        Role.FINANCE_OFFICER.label: REGISTER,
        Role.AUDITOR.label: REGISTER,
        Role.PROCUREMENT_OFFICER.label: EVERYTHING,
        Role.APPROVING_MANAGER.label: EVERYTHING,
        Role.ADMINISTRATOR.label: EVERYTHING,
    }
    problems = _sweep(world, sights)
    assert not problems, "\n".join(problems)


def test_the_sweep_sees_bids_where_they_are_shown(world, time_machine):
    """The sweep would pass on a site that showed nothing: check that it
    finds the markers where bids are meant to be read."""
    time_machine.move_to(AFTER)
    call_offs.evaluation_start(call_off=world.call_off, by=world.officer)
    client = Client()
    client.force_login(world.officer)
    bid = reverse("procurement:bid_detail", args=[world.call_off.pk, world.ids["bid"][0]])
    package = reverse("procurement:package_detail", args=[world.package.pk])
    assert _leaks(client.get(bid), NOTHING, None)
    assert _leaks(client.get(package), NOTHING, None)


def _page(response, name) -> str:
    import re

    text = response.content.decode().replace(name, "THE PROVIDER")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'nonce="[^"]*"', "", text)


def test_recording_a_bid_says_nothing_of_the_bids_already_recorded(world):
    """The officer recording a bid from the tender portal gets the same
    answer, and sees the same count of bids, whether or not the provider has
    bid already (a provider may send a revised bid; its last one counts)."""
    from providers.models import Provider

    client = Client()
    client.force_login(world.officer)
    url = reverse("procurement:package_bid_create", args=[world.package.pk])
    pages = {}
    for name in (BIDDERS["A"], NOT_BIDDING):
        received = BEFORE - timedelta(hours=1)
        with transaction.atomic():
            response = client.post(
                url,
                {
                    "provider": Provider.objects.get(legal_name=name).pk,
                    "proposal": "A revised plan",
                    "weekly_price": "650.00",
                    "received_date_0": received.day,
                    "received_date_1": received.month,
                    "received_date_2": received.year,
                    "received_time": f"{received:%H:%M}",
                },
                follow=True,
            )
            transaction.set_rollback(True)
        assert response.redirect_chain, _page(response, name)
        pages[name] = _page(response, name)
    assert "Bid from THE PROVIDER recorded" in pages[NOT_BIDDING]
    assert "3 bids received" in pages[NOT_BIDDING]
    assert pages[BIDDERS["A"]] == pages[NOT_BIDDING]


def test_a_price_only_call_off_ranks_nobody_before_the_deadline(
    lot, admitted, procurement_officer, client
):
    """Price needs no consensus score, so without a guard the results would
    rank, and name, the bidders while their bids are sealed."""
    from tests.procurement.conftest import DEADLINE as OPEN_UNTIL

    call_off = call_offs.call_off_create(
        lot=lot,
        by=procurement_officer,
        route=CallOffRoute.MINI_COMPETITION,
        reference="PRICE-ONLY-1",
        title="Price only",
        start_date=date(2027, 4, 1),
        annual_value=Decimal("100000.00"),
        bid_deadline=OPEN_UNTIL,
    )
    call_offs.criterion_add(
        call_off=call_off,
        by=procurement_officer,
        name="Price",
        weight=Decimal(100),
        kind=CriterionKind.PRICE,
    )
    for invitation in call_offs.call_off_open(call_off=call_off, by=procurement_officer):
        call_offs.bid_submit(
            invitation=invitation,
            answers={},
            price=Decimal("900.00"),
            now=OPEN_UNTIL - timedelta(days=1),
        )
    client.force_login(procurement_officer)
    for name in ("results", "results_pdf", "award"):
        page = client.get(reverse(f"procurement:{name}", args=[call_off.pk]))
        assert page["Content-Type"].startswith("text/html"), name
        assert not any(p.legal_name in page.content.decode() for p in admitted), name
