"""Care-package call-offs (Islington): a package for one person, or a
supported living scheme, advertised to admitted providers; bids; panel
evaluation; meet and greet; the person's choice."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from contracts.models import MONEY
from core.audit import AuditTrail
from procurement.constants import PackageKind, PackageStatus


class CarePackage(models.Model):
    lot = models.ForeignKey("procurement.Lot", on_delete=models.PROTECT, related_name="packages")
    # A reference, never the person's name: bids and panels see only this.
    reference = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=PackageKind.choices)
    outcomes = models.TextField(help_text="The outcomes in the co-produced care plan.")
    weekly_budget = models.DecimalField(
        help_text="The weekly individual budget (for a scheme, the scheme's total).", **MONEY
    )
    start_date = models.DateField()
    term = models.CharField(
        max_length=100, default="1", help_text="The award's term, for example 1 or 3+1+1."
    )
    bid_deadline = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=PackageStatus.choices, default=PackageStatus.ADVERTISED
    )
    chosen_bid = models.OneToOneField(
        "procurement.PackageBid", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_by = models.CharField(
        max_length=100, blank=True, help_text="The person, their family or their advocate."
    )
    choice_recorded_at = models.DateTimeField(null=True, blank=True)
    contract = models.OneToOneField(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_package",
    )
    # Cancelled before any award (procurement.services.cancel).
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("procurement:package_detail", args=[self.pk])


class PackageBid(models.Model):
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="bids")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    proposal = models.TextField(help_text="How the provider would meet the outcomes.")
    weekly_price = models.DecimalField(**MONEY)
    panel_notes = models.TextField(blank=True)
    shortlisted = models.BooleanField(null=True)
    meet_and_greet_on = models.DateField(null=True, blank=True)
    meet_and_greet_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = AuditTrail()

    class Meta:
        # A provider may send more than one bid; the last one it sent counts
        # (procurement.services.packages.package_bid_record).
        ordering = ["received_at"]

    def __str__(self):
        return f"{self.provider} for {self.package}"
