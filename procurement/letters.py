"""The award letter and the unsuccessful-bidder letters: each bidder's
assessment summary (Procurement Act 2023 s.50), as a PDF and by email.

A bidder is told its own consensus scores, with the panel's rationale, and
the winner's, and nothing of any other bidder: each letter is rendered from
a summary that holds only those two sets of scores, so a template cannot
print what its context never had.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import render_pdf
from procurement import scoring
from procurement.models import CallOff, ConsensusScore


@dataclass(frozen=True)
class CriterionScore:
    name: str
    kind: str
    weight: Decimal
    max_score: int
    score: int | None  # None for price, which is scored from the prices
    price_points: Decimal | None
    rationale: str


@dataclass(frozen=True)
class BidderScores:
    provider: str
    total: Decimal
    criteria: list[CriterionScore]


@dataclass(frozen=True)
class AssessmentSummary:
    call_off: CallOff
    bid_pk: int
    successful: bool
    own: BidderScores
    winner: BidderScores
    email: str  # the bidder's main contact, or "" if none is recorded

    @property
    def pairs(self) -> list[tuple[CriterionScore, CriterionScore]]:
        """(the bidder's score, the winner's score) for each criterion."""
        return list(zip(self.own.criteria, self.winner.criteria, strict=True))


def assessment_summaries(call_off: CallOff) -> list[AssessmentSummary]:
    """One summary per bid of an awarded mini-competition, the winner's first."""
    from procurement.selectors import results as results_of

    results = results_of(call_off)
    winner_row = next(
        row for row in results.rows if row.bid.provider_id == call_off.awarded_provider_id
    )
    rationale = {
        (bid_id, criterion_id): text
        for bid_id, criterion_id, text in ConsensusScore.objects.filter(
            bid__call_off=call_off
        ).values_list("bid_id", "criterion_id", "rationale")
    }
    emails = _main_contact_emails(call_off)

    def scores_of(row) -> BidderScores:
        own = results.scores.get(row.bid.pk, {})
        return BidderScores(
            provider=row.bid.provider.legal_name,
            total=row.total,
            criteria=[
                CriterionScore(
                    name=c.name,
                    kind=c.kind,
                    weight=c.weight,
                    max_score=c.max_score,
                    score=own.get(c.pk),
                    price_points=row.points[scoring.PRICE] if c.kind == scoring.PRICE else None,
                    rationale=rationale.get((row.bid.pk, c.pk), ""),
                )
                for c in results.criteria
            ],
        )

    winner = scores_of(winner_row)
    ordered = [winner_row] + [row for row in results.rows if row is not winner_row]
    return [
        AssessmentSummary(
            call_off=call_off,
            bid_pk=row.bid.pk,
            successful=row is winner_row,
            own=winner if row is winner_row else scores_of(row),
            winner=winner,
            email=emails.get(row.bid.provider_id, ""),
        )
        for row in ordered
    ]


def _main_contact_emails(call_off: CallOff) -> dict[int, str]:
    from providers.models import ProviderContact

    return dict(
        ProviderContact.objects.filter(
            provider__in=call_off.bids.values("provider"), is_main_contact=True
        )
        .exclude(email="")
        .values_list("provider_id", "email")
    )


def _context(summary: AssessmentSummary) -> dict:
    return {
        "summary": summary,
        "call_off": summary.call_off,
        "council_name": settings.COUNCIL_NAME,
        "awarded_on": timezone.localdate(summary.call_off.awarded_at),
    }


def letter_pdf(summary: AssessmentSummary) -> bytes:
    return render_pdf(render_to_string("procurement/letter_pdf.html", _context(summary)))


def letter_subject(summary: AssessmentSummary) -> str:
    call_off = summary.call_off
    outcome = "Award of contract" if summary.successful else "Outcome of your bid"
    return f"{outcome}: {call_off.reference} {call_off.title}"


def letters_queue(call_off: CallOff) -> int:
    """Email every bidder with an address its letter, through the outbox:
    sent once the award commits, and never holding the award up when Redis
    is down. Returns how many were queued."""
    from core.notify import email_queue

    queued = 0
    for summary in assessment_summaries(call_off):
        if not summary.email:
            continue
        context = _context(summary)
        email_queue(
            subject=letter_subject(summary),
            body=render_to_string("procurement/email/letter.txt", context),
            html_body=render_to_string("procurement/email/letter.html", context),
            to=[summary.email],
        )
        queued += 1
    return queued
