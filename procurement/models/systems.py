"""Purchasing systems (PDPS, DPS, framework), their lots, application
windows and selection questions, and providers' applications and admission."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from contracts.constants import ServiceArea
from core.audit import AuditTrail
from core.concurrency import Versioned
from procurement.constants import AdmissionStatus, SystemKind


class PurchasingSystem(models.Model):
    reference = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SystemKind.choices, default=SystemKind.PDPS)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    description = models.TextField(blank=True)
    # Sefton: each PDPS is in operation for 5 years from when it is set up.
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-starts_on", "name"]
        permissions = [
            ("manage_procurement", "Can run procurements: systems, admission and call-offs"),
            ("approve_results", "Can approve evaluation results"),
            ("score_bids", "Can be asked to score bids"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="purchasing_system_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def get_absolute_url(self):
        return reverse("procurement:system_detail", args=[self.pk])


class Lot(models.Model):
    system = models.ForeignKey(PurchasingSystem, on_delete=models.CASCADE, related_name="lots")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(fields=["system", "name"], name="lot_name_unique_in_system")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.system.get_absolute_url()


class ApplicationWindow(models.Model):
    """A period when the system is open to applications; Sefton's Cabinet
    allows it to be reopened "from time to time"."""

    system = models.ForeignKey(PurchasingSystem, on_delete=models.CASCADE, related_name="windows")
    opens_on = models.DateField()
    closes_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["system", "opens_on"]

    def __str__(self):
        return f"{self.opens_on:%-d %B %Y} to {self.closes_on:%-d %B %Y}"


class SelectionQuestion(models.Model):
    """A pass/fail question every applicant answers (insurance, CQC
    registration, safeguarding policy...)."""

    system = models.ForeignKey(PurchasingSystem, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    guidance = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["system", "number"]
        constraints = [
            models.UniqueConstraint(fields=["system", "number"], name="question_number_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"


class Application(Versioned):
    system = models.ForeignKey(
        PurchasingSystem, on_delete=models.PROTECT, related_name="applications"
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="applications"
    )
    window = models.ForeignKey(
        ApplicationWindow, on_delete=models.PROTECT, related_name="applications"
    )
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "provider"], name="one_application_per_provider_per_window"
            )
        ]

    def __str__(self):
        return f"{self.provider} to {self.system.reference}"

    def get_absolute_url(self):
        return reverse("procurement:application_detail", args=[self.pk])


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SelectionQuestion, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField()
    evidence = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self):
        return f"{'Pass' if self.passed else 'Fail'}: question {self.question_id}"


class Admission(models.Model):
    """A provider's application to one lot, the decision on it, and its
    standing afterwards (admitted providers can be suspended or removed)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="admissions"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="admissions")
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="admissions"
    )
    status = models.CharField(
        max_length=20, choices=AdmissionStatus.choices, default=AdmissionStatus.PENDING
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["lot", "provider__legal_name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "lot"], name="one_decision_per_lot"),
            models.UniqueConstraint(
                fields=["lot", "provider"],
                condition=models.Q(status__in=["admitted", "suspended"]),
                name="admitted_once_per_lot",
            ),
        ]

    def __str__(self):
        return f"{self.provider} on {self.lot}: {self.get_status_display()}"
