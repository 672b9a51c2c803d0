"""Call-offs from a lot: a direct award, or a mini-competition with criteria,
invitations, clarifications and sealed bids."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from contracts.models import MONEY
from core.audit import AuditTrail
from core.concurrency import Versioned
from procurement import scoring
from procurement.constants import CallOffRoute, CallOffStatus, CriterionKind


class CallOff(models.Model):
    lot = models.ForeignKey("procurement.Lot", on_delete=models.PROTECT, related_name="call_offs")
    reference = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    route = models.CharField(max_length=20, choices=CallOffRoute.choices)
    status = models.CharField(
        max_length=20, choices=CallOffStatus.choices, default=CallOffStatus.DRAFT
    )
    # Direct award: the admitted provider chosen and why.
    justification = models.TextField(blank=True)
    bid_deadline = models.DateTimeField(null=True, blank=True)
    # The contract the award creates (Sefton: 3 years + two 12-month options,
    # taken whole or separately).
    start_date = models.DateField()
    term = models.CharField(max_length=100, default="3+1+1")
    options_may_be_taken_together = models.BooleanField(default=True)
    notice_months = models.PositiveSmallIntegerField(default=3)
    annual_value = models.DecimalField(
        help_text="The council sets the price (Sefton): the contract's annual value.", **MONEY
    )
    awarded_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_off",
    )
    results_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    results_approved_at = models.DateTimeField(null=True, blank=True)
    # Cancelled before any award (procurement.services.cancel): who, when
    # and why; every invited provider is told the reason.
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    # A mini-competition's award (procurement.services.award): who made it
    # and when, and the standstill before the contract is entered into
    # (Procurement Act 2023 s.51), or why there is none.
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    awarded_at = models.DateTimeField(null=True, blank=True)
    standstill_applies = models.BooleanField(null=True, blank=True)
    standstill_starts_on = models.DateField(null=True, blank=True)
    standstill_ends_on = models.DateField(null=True, blank=True)
    no_standstill_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Recorded either way: a standstill with its dates, or the reason for none.
            models.CheckConstraint(
                condition=models.Q(standstill_applies__isnull=True)
                | models.Q(
                    standstill_applies=True,
                    standstill_starts_on__isnull=False,
                    standstill_ends_on__isnull=False,
                )
                | (models.Q(standstill_applies=False) & ~models.Q(no_standstill_reason="")),
                name="call_off_standstill_recorded",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("procurement:call_off_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        """Results approved: scores and moderation can no longer change."""
        return self.results_approved_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == CallOffStatus.CANCELLED


class Criterion(Versioned):
    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=CriterionKind.choices, default=CriterionKind.QUALITY
    )
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percentage of the total; all weights must add up to 100.",
    )
    max_score = models.PositiveSmallIntegerField(default=5)
    descriptors = models.TextField(
        blank=True, help_text="What each score means, e.g. 0 no answer ... 5 excellent."
    )

    history = AuditTrail()
    stale_noun = "criterion"

    class Meta:
        ordering = ["call_off", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "number"], name="criterion_number_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.weight:g}%)"

    def for_scoring(self) -> scoring.Criterion:
        return scoring.Criterion(self.pk, self.name, self.weight, self.max_score, self.kind)


def _token():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An admitted provider invited to bid; the token is the provider's
    private link to the bid form."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="invitations")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "provider"], name="invited_once")
        ]

    def __str__(self):
        return f"{self.provider} to {self.call_off.reference}"


class Clarification(models.Model):
    """A question from a provider and the council's answer, published to every
    invited provider, never to one alone."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField()
    answer = models.TextField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_at"]

    def __str__(self):
        return self.question[:60]


class Bid(models.Model):
    """A sealed bid: before the deadline the council sees only that it
    arrived and when (procurement.selectors keeps its contents out of every
    query until then)."""

    call_off = models.ForeignKey(CallOff, on_delete=models.PROTECT, related_name="bids")
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="bid")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    price = models.DecimalField(null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["received_at"]
        constraints = [models.UniqueConstraint(fields=["call_off", "provider"], name="one_bid")]

    def __str__(self):
        return f"Bid {self.pk} for {self.call_off.reference}"


class BidAnswer(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="one_answer_per_criterion")
        ]

    def __str__(self):
        return f"Answer to {self.criterion_id}"


class BidDocument(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="bids/%Y/%m/")
    name = models.CharField(max_length=200)

    def __str__(self):
        return self.name


class BidAccess(models.Model):
    """Who opened a bid's contents after the deadline, and when."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} opened bid {self.bid_id} at {self.at}"
