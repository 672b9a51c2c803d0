from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.audit import AuditTrail
from core.concurrency import Versioned
from core.fields import WebAddressField
from providers import validators


class Provider(Versioned):
    """An organisation that holds or bids for the council's care contracts."""

    legal_name = models.CharField(max_length=255)
    trading_name = models.CharField(max_length=255, blank=True)
    # NULL, not "", when unknown: many providers (sole traders, partnerships,
    # some charities) have none, and uniqueness applies only to real numbers.
    companies_house_number = models.CharField(
        "Companies House number",
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[validators.validate_companies_house_number],
    )
    charity_number = models.CharField(
        max_length=12, blank=True, validators=[validators.validate_charity_number]
    )
    cqc_provider_id = models.CharField(
        "CQC provider ID",
        max_length=14,
        blank=True,
        validators=[validators.validate_cqc_provider_id],
    )
    is_sme = models.BooleanField("SME", default=False)
    is_vcse = models.BooleanField("VCSE", default=False)
    address_line_1 = models.CharField(max_length=255, blank=True)
    address_line_2 = models.CharField(max_length=255, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validators.validate_postcode])
    website = WebAddressField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditTrail()

    class Meta:
        ordering = [Lower("legal_name")]
        indexes = [models.Index(Lower("legal_name"), name="provider_legal_name_lower")]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("providers:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if self.trading_name and self.trading_name != self.legal_name:
            return f"{self.legal_name} (trading as {self.trading_name})"
        return self.legal_name

    @property
    def address_lines(self) -> list[str]:
        return [
            line
            for line in (self.address_line_1, self.address_line_2, self.town, self.postcode)
            if line
        ]


class ProviderContact(Versioned):
    stale_noun = "contact"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_main_contact = models.BooleanField("main contact", default=False)

    history = AuditTrail()

    class Meta:
        ordering = ["-is_main_contact", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(is_main_contact=True),
                name="one_main_contact_per_provider",
            )
        ]

    def __str__(self):
        return self.name
