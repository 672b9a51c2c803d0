"""Cancelling a call-off or a care package with a reason: allowed at every
stage before the award, recorded, every invited provider told after commit,
and nothing more bid or scored afterwards. On 14eac55 there was no way to
cancel at all (the walk's call-off weighted 110 was stuck)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse

from core.models import OutboxMessage
from core.roles import Role
from procurement.constants import CallOffStatus, PackageStatus
from procurement.services import ProcurementError, call_offs, cancel, evaluation, packages
from providers.models import ProviderContact
from tests.factories import UserFactory
from tests.pages import page_text
from tests.procurement.conftest import AFTER, BEFORE
from tests.procurement.stages import bring_to
from tests.procurement.test_care_packages import DEADLINE as PACKAGE_DEADLINE
from tests.procurement.test_care_packages import bid as package_bid
from tests.procurement.test_care_packages import package  # noqa: F401

REASON = "The service is being brought back in house"


@pytest.fixture
def contacts(admitted):
    """A main contact for A and B; C has none, so cannot be emailed."""
    return {
        p.legal_name: ProviderContact.objects.create(
            provider=p, name="Bids", email=f"bids@{p.pk}.example.org", is_main_contact=True
        ).email
        for p in admitted[:2]
    }


def emails():
    return list(OutboxMessage.objects.filter(kind="email").order_by("pk"))


def cancellation_emails():
    return [m for m in emails() if m.payload["subject"].startswith("Cancelled: ")]


@pytest.mark.parametrize(
    "status",
    [CallOffStatus.DRAFT, CallOffStatus.OPEN, CallOffStatus.EVALUATION, CallOffStatus.APPROVED],
)
def test_a_call_off_can_be_cancelled_at_any_stage_before_the_award(
    status, call_off, procurement_officer, evaluators, approver
):
    bring_to(status, call_off, procurement_officer, evaluators, approver)
    cancelled = cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.CANCELLED
    assert (call_off.cancelled_by, call_off.cancellation_reason) == (procurement_officer, REASON)
    assert call_off.cancelled_at is not None and cancelled.cancelled_at == call_off.cancelled_at
    latest = call_off.history.order_by("-pk").first()
    assert (latest.status, latest.history_user) == (CallOffStatus.CANCELLED, procurement_officer)
    assert latest.cancellation_reason == REASON


def test_an_awarded_call_off_cannot_be_cancelled(
    call_off, procurement_officer, evaluators, approver, contacts
):
    bring_to(CallOffStatus.AWARDED, call_off, procurement_officer, evaluators, approver)
    before = len(emails())
    with pytest.raises(ProcurementError, match="has been awarded, so it cannot be cancelled"):
        cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    call_off.refresh_from_db()
    assert (call_off.status, call_off.cancelled_at) == (CallOffStatus.AWARDED, None)
    assert len(emails()) == before


def test_a_cancelled_call_off_cannot_be_cancelled_again(call_off, procurement_officer):
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    with pytest.raises(ProcurementError, match="is already cancelled"):
        cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason="Again")
    call_off.refresh_from_db()
    assert call_off.cancellation_reason == REASON


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(reason, call_off, procurement_officer):
    with pytest.raises(ProcurementError, match="Enter the reason for cancelling"):
        cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=reason)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.DRAFT


def test_every_invited_provider_with_a_main_contact_is_told_the_reason(
    call_off, procurement_officer, contacts
):
    call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    sent = cancellation_emails()
    assert sorted(m.payload["to"][0] for m in sent) == sorted(contacts.values())
    for message in sent:
        assert message.payload["subject"] == "Cancelled: SL-2027-01 Supported living, Bootle scheme"
        assert REASON in message.payload["body"]
        assert "which you were invited to bid for" in message.payload["body"]


def test_a_call_off_cancelled_while_preparing_tells_nobody(call_off, procurement_officer, contacts):
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    assert cancellation_emails() == []


def test_no_email_is_queued_when_the_cancellation_does_not_commit(
    call_off, procurement_officer, contacts
):
    call_offs.call_off_open(call_off=call_off, by=procurement_officer, now=BEFORE)
    with pytest.raises(RuntimeError), transaction.atomic():
        cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
        raise RuntimeError("the page failed after the service")
    assert cancellation_emails() == []
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.OPEN


def test_a_cancelled_call_off_takes_no_more_bids(call_off, procurement_officer):
    [invitation, *_] = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=BEFORE
    )
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    answers = {c.pk: "Our answer" for c in call_off.criteria.all()}
    with pytest.raises(ProcurementError, match="has been cancelled: bids are no longer accepted"):
        call_offs.bid_submit(invitation=invitation, answers=answers, now=BEFORE)
    assert not call_off.bids.exists()


def test_the_provider_bid_page_says_the_call_off_is_cancelled(
    call_off, procurement_officer, client
):
    [invitation, *_] = call_offs.call_off_open(
        call_off=call_off, by=procurement_officer, now=BEFORE
    )
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    page = client.get(reverse("procurement:provider_bid", args=[invitation.token]))
    assert "This call-off is not open for bids: the council has cancelled it." in page_text(page)


def test_a_cancelled_call_off_is_no_longer_scored_moderated_or_approved(
    call_off, procurement_officer, evaluators, approver
):
    bring_to(CallOffStatus.EVALUATION, call_off, procurement_officer, evaluators, approver)
    evaluator = evaluators[0]
    assignment = evaluation.evaluator_assign(
        call_off=call_off, by=procurement_officer, evaluator=evaluator
    )
    evaluation.conflict_declare(assignment=assignment, by=evaluator, has_conflict=False)
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    bid = call_off.bids.first()
    criterion = call_off.criteria.first()
    refused = "has been cancelled: its bids are no longer scored, moderated or approved"
    with pytest.raises(ProcurementError, match=refused):
        evaluation.scores_save(
            assignment=assignment, by=evaluator, bid=bid, scores={criterion: (3, "")}
        )
    with pytest.raises(ProcurementError, match=refused):
        evaluation.consensus_record(
            bid=bid, criterion=criterion, by=procurement_officer, score=3, rationale="Agreed"
        )
    with pytest.raises(ProcurementError, match=refused):
        evaluation.evaluator_assign(
            call_off=call_off, by=procurement_officer, evaluator=evaluators[1]
        )
    with pytest.raises(ProcurementError, match=refused):
        evaluation.results_approve(call_off=call_off, by=approver)
    with pytest.raises(ProcurementError):
        call_offs.evaluation_start(call_off=call_off, by=procurement_officer, now=AFTER)
    assert not assignment.scores.exists()


# The pages.


def test_the_walks_call_off_weighted_110_can_be_cancelled_from_its_page(
    call_off, procurement_officer, client_as
):
    call_off.criteria.filter(name="Social value").update(weight=Decimal(15))
    officer = client_as(Role.PROCUREMENT_OFFICER)
    detail = officer.get(call_off.get_absolute_url()).content.decode()
    url = reverse("procurement:call_off_cancel", args=[call_off.pk])
    assert f'href="{url}"' in detail

    page = officer.get(url)
    text = page_text(page)
    assert "Cancel the call-off" in text
    assert "Reason for cancelling" in text
    assert "Up to 1,000 characters. Every provider invited to bid is sent this reason" in text

    page = officer.post(url, {"reason": ""})
    assert page.status_code == 200
    assert "There is a problem Enter the reason for cancelling" in page_text(page)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.DRAFT

    page = officer.post(url, {"reason": REASON})
    assert page.status_code == 302 and page.url == call_off.get_absolute_url()
    text = page_text(officer.get(call_off.get_absolute_url()))
    assert "SL-2027-01 cancelled" in text
    assert f"Cancelled {date.today():%-d %B %Y}" in text
    assert REASON in text
    assert "This call-off is cancelled" in text
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.CANCELLED


def test_the_reason_has_a_stated_limit(call_off, client_as):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:call_off_cancel", args=[call_off.pk])
    page = officer.post(url, {"reason": "x" * 1001})
    assert "Reason for cancelling must be 1,000 characters or fewer" in page_text(page)


def test_the_cancel_page_refuses_an_awarded_call_off_and_says_why(
    call_off, procurement_officer, evaluators, approver, client_as
):
    bring_to(CallOffStatus.AWARDED, call_off, procurement_officer, evaluators, approver)
    officer = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:call_off_cancel", args=[call_off.pk])
    assert url not in officer.get(call_off.get_absolute_url()).content.decode()
    page = officer.post(url, {"reason": REASON})
    assert page.status_code == 200
    assert "SL-2027-01 has been awarded, so it cannot be cancelled" in page_text(page)
    call_off.refresh_from_db()
    assert call_off.status == CallOffStatus.AWARDED


def test_a_cancelled_call_off_offers_no_tasks_or_cancel_link(
    call_off, procurement_officer, client_as
):
    cancel.call_off_cancel(call_off=call_off, by=procurement_officer, reason=REASON)
    officer = client_as(Role.PROCUREMENT_OFFICER)
    html = officer.get(call_off.get_absolute_url()).content.decode()
    for name in ("call_off_cancel", "criteria", "call_off_open", "criterion_create"):
        assert reverse(f"procurement:{name}", args=[call_off.pk]) not in html


# Care packages.


def _package_at(status, care_package, admitted, officer):
    after = PACKAGE_DEADLINE + timedelta(days=1)
    if status == PackageStatus.ADVERTISED:
        package_bid(care_package, admitted[0], officer)
        return care_package
    first = package_bid(care_package, admitted[0], officer)
    packages.package_panel_decide(
        bid=first, by=officer, shortlisted=True, notes="Strong", now=after
    )
    if status == PackageStatus.PANEL:
        return care_package
    packages.meet_and_greet_record(bid=first, by=officer, met_on=date(2027, 2, 8), notes="Good")
    if status == PackageStatus.MEET_AND_GREET:
        return care_package
    packages.package_choice_record(
        package=care_package, by=officer, bid=first, chosen_by="The person"
    )
    if status == PackageStatus.CHOSEN:
        return care_package
    owner = UserFactory(role=Role.COMMISSIONING_OFFICER)
    packages.package_award(package=care_package, by=officer, owner=owner)
    return care_package


@pytest.mark.parametrize(
    "status",
    [
        PackageStatus.ADVERTISED,
        PackageStatus.PANEL,
        PackageStatus.MEET_AND_GREET,
        PackageStatus.CHOSEN,
    ],
)
def test_a_care_package_can_be_cancelled_before_the_award(
    status,
    package,  # noqa: F811
    admitted,
    procurement_officer,
    contacts,
):
    _package_at(status, package, admitted, procurement_officer)
    cancel.package_cancel(package=package, by=procurement_officer, reason=REASON)
    package.refresh_from_db()
    assert package.status == PackageStatus.CANCELLED
    assert (package.cancelled_by, package.cancellation_reason) == (procurement_officer, REASON)
    latest = package.history.order_by("-pk").first()
    assert (latest.status, latest.history_user) == (PackageStatus.CANCELLED, procurement_officer)
    # Provider A bid and has a main contact; B and C did not bid.
    [sent] = cancellation_emails()
    assert sent.payload["to"] == [contacts["Provider A Ltd"]]
    assert sent.payload["subject"] == "Cancelled: care package ISL-LD-0042"
    assert REASON in sent.payload["body"] and "which you bid for" in sent.payload["body"]


def test_an_awarded_care_package_cannot_be_cancelled(
    package,  # noqa: F811
    admitted,
    procurement_officer,
):
    _package_at(PackageStatus.AWARDED, package, admitted, procurement_officer)
    with pytest.raises(ProcurementError, match="has been awarded, so it cannot be cancelled"):
        cancel.package_cancel(package=package, by=procurement_officer, reason=REASON)
    package.refresh_from_db()
    assert package.status == PackageStatus.AWARDED


def test_a_cancelled_care_package_takes_no_more_bids(
    package,  # noqa: F811
    admitted,
    procurement_officer,
):
    cancel.package_cancel(package=package, by=procurement_officer, reason=REASON)
    with pytest.raises(ProcurementError, match="Cancelled"):
        package_bid(package, admitted[0], procurement_officer)
    with pytest.raises(ProcurementError, match="is already cancelled"):
        cancel.package_cancel(package=package, by=procurement_officer, reason=REASON)
    assert not package.bids.exists()


def test_a_care_package_is_cancelled_from_its_page(
    package,  # noqa: F811
    client_as,
):
    officer = client_as(Role.PROCUREMENT_OFFICER)
    url = reverse("procurement:package_cancel", args=[package.pk])
    assert f'href="{url}"' in officer.get(package.get_absolute_url()).content.decode()
    page = officer.post(url, {"reason": ""})
    assert "Enter the reason for cancelling" in page_text(page)
    page = officer.post(url, {"reason": REASON})
    assert page.status_code == 302
    text = page_text(officer.get(package.get_absolute_url()))
    assert "ISL-LD-0042 cancelled" in text and REASON in text
    assert url not in officer.get(package.get_absolute_url()).content.decode()
