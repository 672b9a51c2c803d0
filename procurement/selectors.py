"""Reads for procurement, with the sealing and independence rules applied in
the queries themselves: a page cannot show what its query never fetched."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from procurement import scoring
from procurement.constants import AdmissionStatus
from procurement.models import (
    Admission,
    Bid,
    BidAccess,
    CallOff,
    CarePackage,
    ConsensusScore,
    EvaluatorAssignment,
    PackageBid,
    PurchasingSystem,
    Score,
)
from procurement.services.call_offs import bids_sealed


class BidSealed(Exception):
    """The deadline has not passed: nobody may read a bid yet."""


def system_list() -> QuerySet[PurchasingSystem]:
    return PurchasingSystem.objects.annotate(
        lot_count=Count("lots", distinct=True),
        admitted_count=Count(
            "lots__admissions",
            filter=Q(lots__admissions__status=AdmissionStatus.ADMITTED),
            distinct=True,
        ),
    )


def system_detail(pk: int) -> PurchasingSystem:
    admitted = Admission.objects.filter(
        status__in=[AdmissionStatus.ADMITTED, AdmissionStatus.SUSPENDED]
    ).select_related("provider")
    return PurchasingSystem.objects.prefetch_related(
        Prefetch("lots__admissions", queryset=admitted, to_attr="standing"),
        "windows",
        "questions",
        Prefetch("applications", queryset=_applications()),
        "lots__call_offs",
        "lots__packages",
    ).get(pk=pk)


def _applications():
    from procurement.models import Application

    return Application.objects.select_related("provider", "window").prefetch_related(
        "admissions__lot"
    )


def for_reprocurement(system: PurchasingSystem):
    """Sefton 3.3-3.4: providers with current contracts in the system's
    service area who have not joined it; their services are re-procured by
    mini-competition. Those who joined keep their contracts."""
    from contracts.models import Contract

    joined = Admission.objects.filter(lot__system=system, status=AdmissionStatus.ADMITTED).values(
        "provider_id"
    )
    today = timezone.localdate()
    return (
        Contract.objects.filter(
            service_area=system.service_area,
            current_end_date__gte=today,
            terminated_on=None,
            provider__isnull=False,
        )
        .exclude(provider_id__in=joined)
        .select_related("provider")
        .order_by("provider__legal_name", "reference")
    )


def scores_visible_to(user, call_off: CallOff) -> QuerySet[Score]:
    """Evaluators score independently. A user sees their own scores; other
    evaluators' only once those evaluators have submitted, and only if the
    user is not an evaluator still scoring (moderators who are not on the
    panel, or evaluators who have submitted themselves)."""
    scores = Score.objects.filter(assignment__call_off=call_off)
    mine = call_off.evaluators.filter(evaluator=user).first()
    still_scoring = mine is not None and mine.submitted_at is None
    may_see_others = not still_scoring and (
        mine is not None or user.has_perm("procurement.manage_procurement")
    )
    if may_see_others:
        return scores.filter(
            Q(assignment__evaluator=user) | Q(assignment__submitted_at__isnull=False)
        )
    return scores.filter(assignment__evaluator=user)


def bid_contents(bid_pk: int, *, call_off: CallOff, user, now: datetime | None = None) -> Bid:
    """A bid's answers and documents, after the deadline only; every opening
    is logged."""
    if bids_sealed(call_off, now):
        raise BidSealed
    bid = (
        Bid.objects.filter(call_off=call_off)
        .select_related("provider")
        .prefetch_related("answers__criterion", "documents")
        .get(pk=bid_pk)
    )
    BidAccess.objects.create(bid=bid, user=user)
    return bid


def call_off_evaluators(call_off: CallOff) -> list[EvaluatorAssignment]:
    """The panel, read once for everything the call-off page says about it."""
    return list(call_off.evaluators.select_related("evaluator"))


def bid_receipts(call_off: CallOff) -> QuerySet[Bid]:
    """What anyone may know of the bids before the deadline: that they
    arrived, and when. Not even the provider's name."""
    return Bid.objects.filter(call_off=call_off).only("pk", "received_at").order_by("received_at")


def package_bids(package: CarePackage) -> tuple[list[PackageBid], list[PackageBid]]:
    """After the deadline: the last bid each provider sent, which the panel
    considers, and the earlier ones those replaced."""
    current: dict[int, PackageBid] = {}
    replaced = []
    for bid in package.bids.select_related("provider").order_by("received_at", "pk"):
        if bid.provider_id in current:
            replaced.append(current[bid.provider_id])
        current[bid.provider_id] = bid
    return sorted(current.values(), key=lambda b: (b.received_at, b.pk)), replaced


@dataclass
class ResultRow:
    bid: Bid
    total: Decimal
    points: dict
    rank: int
    tied: bool
    separated_by_tie_break: bool


@dataclass
class Results:
    rows: list[ResultRow]
    missing: int
    criteria: list = field(default_factory=list)
    tie_break_rule: str = scoring.TIE_BREAK_RULE
    # Each bid's moderated consensus scores: {bid pk: {criterion pk: score}}.
    scores: dict = field(default_factory=dict)


def results(call_off: CallOff) -> Results:
    """Ranked results from the consensus scores, in three queries whatever
    the number of bids."""
    criteria = list(call_off.criteria.all())
    plain = [c.for_scoring() for c in criteria]
    bids = list(
        Bid.objects.filter(call_off=call_off)
        .select_related("provider")
        .only("pk", "price", "received_at", "call_off_id", "provider__legal_name")
    )
    by_bid: dict[int, dict] = defaultdict(dict)
    for bid_id, criterion_id, score in ConsensusScore.objects.filter(
        bid__call_off=call_off
    ).values_list("bid_id", "criterion_id", "score"):
        by_bid[bid_id][criterion_id] = score
    scored = [c for c in plain if not c.is_price]
    price = next((c for c in plain if c.is_price), None)
    price_points = (
        scoring.price_points({b.pk: b.price for b in bids}, price.weight) if price and bids else {}
    )
    missing = sum(len(scored) - len(by_bid[b.pk]) for b in bids)
    complete = [b for b in bids if len(by_bid[b.pk]) == len(scored)]
    points = {
        b.pk: scoring.bid_points(
            plain, by_bid[b.pk], bid=b.pk, price_points_for_bid=price_points.get(b.pk)
        )
        for b in complete
    }
    bids_by_pk = {b.pk: b for b in complete}
    rows = [
        ResultRow(
            bids_by_pk[r.bid],
            r.total,
            points[r.bid].by_kind,
            r.rank,
            r.tied,
            r.separated_by_tie_break,
        )
        for r in scoring.rank(points.values())
    ]
    return Results(rows=rows, missing=missing, criteria=criteria, scores=dict(by_bid))


def my_evaluations(user) -> QuerySet[EvaluatorAssignment]:
    return (
        EvaluatorAssignment.objects.filter(evaluator=user)
        .select_related("call_off__lot__system")
        .order_by("submitted_at", "-call_off__created_at")
    )
