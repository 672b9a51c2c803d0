"""Contract changes (variations): once a contract is live, its figures move
only through one of these, decided under delegated authority like an
extension (docs/decisions/0019-contract-changes-versus-edits.md)."""

from django.conf import settings
from django.db import models

from core.audit import AuditTrail

MONEY = {"max_digits": 14, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}


class ChangeReason(models.TextChoices):
    PRICE_REVIEW = "price_review", "Price review or uplift"
    NEED_OR_VOLUME = "need_or_volume", "Change in need or volume"
    SCOPE = "scope", "Change of scope"
    NOVATION = "novation", "Novation to a new provider"
    EXTENSION = "extension", "Extension beyond the options"
    CORRECTION = "correction", "Correction"
    OTHER = "other", "Other"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ESCALATED = "escalated", "Escalated to a higher authority"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_CHANGE_STATUSES = (ChangeStatus.PENDING, ChangeStatus.ESCALATED)


class ContractChange(models.Model):
    """What changes (old and new, each left empty when it does not), from
    when and why, and the decision. The old figures are the contract's when
    the change was raised; approval refuses if they have moved since."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="changes"
    )
    reason = models.CharField(max_length=20, choices=ChangeReason.choices)
    explanation = models.TextField()
    effective_from = models.DateField()

    old_annual_value = models.DecimalField(null=True, blank=True, **MONEY)
    new_annual_value = models.DecimalField(null=True, blank=True, **MONEY)
    old_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new_uplift_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    months_added = models.PositiveSmallIntegerField(
        default=0, help_text="An extension beyond the options, in months."
    )
    old_end_date = models.DateField(null=True, blank=True)
    new_end_date = models.DateField(null=True, blank=True)
    old_provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    new_provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="novations_to",
    )
    old_council_share_percent = models.DecimalField(**SHARE)
    new_council_share_percent = models.DecimalField(**SHARE)
    old_icb_share_percent = models.DecimalField(**SHARE)
    new_icb_share_percent = models.DecimalField(**SHARE)
    old_other_share_percent = models.DecimalField(**SHARE)
    new_other_share_percent = models.DecimalField(**SHARE)

    # The change in the whole-life value: worked out when raised, checked
    # again and so fixed when approved.
    value_effect = models.DecimalField(**MONEY)
    whole_life_before = models.DecimalField(**MONEY)

    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_requests",
        null=True,
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_decisions",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    higher_authority = models.CharField(max_length=200, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_escalations",
        null=True,
        blank=True,
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    authority_reference = models.CharField(max_length=200, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("raise_change", "Can raise a contract change"),
            ("decide_change", "Can decide contract changes"),
        ]
        constraints = [
            # The old figures of a second open change would be out of date
            # the moment the first is approved.
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status__in=["pending", "escalated"]),
                name="one_open_change_per_contract",
            )
        ]

    def __str__(self):
        return f"{self.contract.reference}: {self.summary}"

    def get_absolute_url(self):
        # From the ids: a list of changes must not load the contract for each.
        from contracts.models import _register_url

        return f"{_register_url()}{self.contract_id}/changes/{self.pk}/"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CHANGE_STATUSES

    @property
    def changes_funding(self) -> bool:
        return self.new_council_share_percent is not None

    @property
    def summary(self) -> str:
        """What changes, in a few words, for lists and history."""
        parts = []
        if self.new_annual_value is not None:
            parts.append("annual value")
        if self.new_uplift_percent is not None:
            parts.append("uplift")
        if self.months_added:
            parts.append(f"{self.months_added} months added")
        if self.new_provider_id is not None:
            parts.append("provider")
        if self.changes_funding:
            parts.append("funding split")
        return (", ".join(parts) or "no figures").capitalize()
