"""Budgets, recommissionings with their baselines and savings, individual
service funds at supported living schemes, and cabinet summary reports."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from contracts.constants import ServiceArea
from contracts.models import MONEY
from core.audit import AuditTrail
from core.concurrency import Versioned


class Funder(models.TextChoices):
    COUNCIL = "council", "Council"
    ICB = "icb", "Integrated care board (ICB)"
    HEALTH = "health", "Other health partner"
    GRANT = "grant", "Grant"


class BudgetLine(Versioned):
    """What a funder puts into a service area in a financial year."""

    financial_year = models.PositiveSmallIntegerField(
        help_text="The year it starts: 2019 is 2019/20"
    )
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    funder = models.CharField(max_length=20, choices=Funder.choices, default=Funder.COUNCIL)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(**MONEY)

    # A correction or removal keeps its reason, in the officer's words, with
    # the change: longer than simple-history's 100 characters.
    history = AuditTrail(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["financial_year", "service_area", "funder"]
        permissions = [("export_cabinet_summary", "Can export cabinet summaries")]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "service_area", "funder", "description"],
                name="one_budget_line_per_funder",
            )
        ]

    def __str__(self):
        year = f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"
        return f"{year} {self.get_service_area_display()}: {self.get_funder_display()}"


class Recommissioning(models.Model):
    """Current services (the baseline) replaced by new ones, as a cabinet
    report sets out: the ILSS recommissioning of 2019."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    decision = models.CharField(max_length=200, blank=True, help_text="e.g. Cabinet, 2019")
    baseline_year = models.CharField(max_length=7, default="2018/19")
    start_date = models.DateField()
    term = models.CharField(max_length=100, help_text="For example 3+2+2")
    description = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("finance:recommissioning", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        from contracts import terms

        try:
            self.term = terms.Term.parse(self.term).notation
        except terms.TermError as exc:
            raise ValidationError({"term": str(exc)}) from exc


class BaselineService(models.Model):
    recommissioning = models.ForeignKey(
        Recommissioning, on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(max_length=200)
    annual = models.DecimalField("current funding p.a.", **MONEY)
    excluded_reason = models.CharField(
        max_length=300, blank=True, help_text="Why it is left out of the totals, if it is."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = AuditTrail()

    class Meta:
        ordering = ["recommissioning", "order"]
        constraints = [
            models.UniqueConstraint(fields=["recommissioning", "name"], name="baseline_named_once")
        ]

    def __str__(self):
        return self.name


class NewService(models.Model):
    recommissioning = models.ForeignKey(
        Recommissioning, on_delete=models.CASCADE, related_name="new_services"
    )
    name = models.CharField(max_length=200)
    annual = models.DecimalField("maximum value p.a.", **MONEY)
    replaces = models.ManyToManyField(BaselineService, related_name="replaced_by", blank=True)
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = AuditTrail()

    class Meta:
        ordering = ["recommissioning", "order"]

    def __str__(self):
        return self.name


class Scheme(Versioned):
    """A supported living scheme whose residents have individual service funds."""

    reference = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    core_support_weekly = models.DecimalField("core support a week", **MONEY)

    history = AuditTrail()

    class Meta:
        ordering = ["reference"]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def get_absolute_url(self):
        return reverse("finance:scheme", args=[self.pk])


class Resident(Versioned):
    stale_noun = "resident's record"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="residents")
    reference = models.CharField(max_length=60, help_text="A reference, never a name")
    weekly_budget = models.DecimalField("individual budget a week", **MONEY)
    contribution = models.DecimalField("assessed contribution a week", default=0, **MONEY)

    history = AuditTrail()

    class Meta:
        ordering = ["scheme", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "reference"], name="resident_once")
        ]

    def __str__(self):
        return self.reference


class BudgetReview(models.Model):
    """A renegotiated individual budget, with the review that justified it."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="reviews")
    previous_budget = models.DecimalField(**MONEY)
    new_budget = models.DecimalField(**MONEY)
    review_reference = models.CharField(max_length=100)
    reviewed_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self):
        return f"{self.resident}: {self.previous_budget} to {self.new_budget}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class CabinetReport(models.Model):
    """A cabinet summary for a set of contracts, rendered by a worker when
    large and offered for download when ready."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    contract_ids = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done")
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("finance:report", args=[self.pk])


class Commitment(models.Model):
    """The inputs finance.commitments last worked a contract's commitment
    out from. Derived data, like a contract's end dates: the budget page adds
    up thousands of contracts in the database, and a contract whose inputs no
    longer match (Contract.value_inputs, kept by the database, decision 26)
    is worked out again the next time a page needs it, however it was changed
    (a service, an import, the admin or raw SQL)."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, primary_key=True, related_name="commitment"
    )
    value_inputs = models.TextField()

    def __str__(self):
        return f"Commitment of contract {self.contract_id}"


class CommitmentYear(models.Model):
    """One financial year of a contract's commitment, to the penny, with each
    funder group's share rounded per contract as the budget page shows it."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="commitment_years"
    )
    financial_year = models.PositiveSmallIntegerField()
    committed = models.DecimalField(**MONEY)
    forecast = models.DecimalField(**MONEY)
    council = models.DecimalField(**MONEY)
    icb = models.DecimalField(**MONEY)
    other = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "financial_year"], name="one_commitment_per_contract_year"
            )
        ]
        indexes = [models.Index(fields=["financial_year"], name="commitment_year")]

    def __str__(self):
        return f"Contract {self.contract_id}, {self.financial_year}"
