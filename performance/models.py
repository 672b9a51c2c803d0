"""Managing a contract after award: its KPIs, the monitoring returns that
report against them, the officer's reviews rated on the Procurement Act's
scale, improvement plans and performance failures.

Ratings are worked out by performance.ratings (plain Python); a review keeps
the ratings it gave, because a KPI's target may be changed later and the
rating a provider was given must not change with it.
"""

from django.conf import settings
from django.db import models

from contracts.constants import ServiceArea
from contracts.models import MONEY
from core.audit import AuditTrail
from core.concurrency import Versioned
from performance.constants import (
    Direction,
    FailureOutcome,
    Frequency,
    ImprovementPlanStatus,
    KpiRating,
    PerformanceRating,
    ReturnStatus,
)

# Targets are counts, percentages, days, pounds: two decimal places for all.
MEASURE = {"max_digits": 14, "decimal_places": 2}


class KpiFields(models.Model):
    """What a KPI is, shared by templates and the KPIs set on a contract."""

    name = models.CharField(max_length=200)
    measure = models.TextField("what is measured")
    unit = models.CharField(max_length=40, help_text="For example %, people, hours or days")
    target = models.DecimalField(**MEASURE)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    tolerance = models.DecimalField(
        **MEASURE,
        default=0,
        help_text="How far short of the target is still amber, in the KPI's unit.",
    )
    frequency = models.CharField(
        max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    most_material = models.BooleanField(
        default=False,
        help_text="One of the three most material KPIs, published on the contract details notice.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class KpiTemplate(Versioned, KpiFields):
    """A KPI a service area's contracts usually have, to start a new
    contract's KPIs from."""

    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)

    history = AuditTrail()

    class Meta:
        ordering = ["service_area", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service_area", "name"], name="kpi_template_named_once")
        ]

    def __str__(self):
        return f"{self.get_service_area_display()}: {self.name}"


class Kpi(Versioned, KpiFields):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="kpis"
    )
    template = models.ForeignKey(
        KpiTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A KPI with returns is retired rather than deleted: its history stays.
    retired_on = models.DateField(null=True, blank=True, editable=False)

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "order", "pk"]
        verbose_name = "KPI"
        permissions = [
            ("manage_performance", "Can set KPIs and record returns, reviews and failures"),
        ]

    def __str__(self):
        return self.name


class MonitoringReturn(Versioned):
    """What the provider reported for one period of the contract's calendar."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="monitoring_returns"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField(help_text="When the provider's return is due.")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_start"], name="one_return_per_contract_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="return_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="return_status_due")]

    def __str__(self):
        period = f"{self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"
        return f"{self.contract.reference}: {period}"


class KpiActual(models.Model):
    """One KPI's actual in one return, with its evidence. `actual` is empty
    when the provider did not report it."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="actuals"
    )
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="actuals")
    actual = models.DecimalField(**MEASURE, null=True, blank=True)
    evidence = models.TextField(blank=True)
    # Fixed by the review (see the module docstring); empty until then.
    rating = models.CharField(max_length=20, choices=KpiRating.choices, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["monitoring_return", "kpi__order", "kpi"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "kpi"], name="one_actual_per_kpi_per_return"
            )
        ]

    def __str__(self):
        return f"{self.kpi}: {self.actual}"


class Review(Versioned):
    """The officer's review of a return: the overall rating on the
    Procurement Act's scale, and what the monitoring meeting or visit and
    the care managers' reviews found."""

    monitoring_return = models.OneToOneField(
        MonitoringReturn, on_delete=models.PROTECT, related_name="review"
    )
    # Denormalised so "the latest review of this contract" is one index read.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="reviews"
    )
    overall_rating = models.CharField(max_length=30, choices=PerformanceRating.choices)
    other_reason = models.TextField(blank=True, help_text="Required when the rating is Other.")
    meeting_notes = models.TextField("notes of the monitoring meeting or visit", blank=True)
    care_manager_reviews = models.TextField("care managers' reviews", blank=True)
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["contract", "reviewed_on"], name="review_contract_date")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(overall_rating="other") | ~models.Q(other_reason=""),
                name="review_other_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.monitoring_return}: {self.get_overall_rating_display()}"


class ImprovementPlan(Versioned):
    """The council has warned the provider: what must improve, by when."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    warned_on = models.DateField("date of the warning")
    must_improve = models.TextField("what must improve")
    improve_by = models.DateField("improve by")
    status = models.CharField(
        max_length=20, choices=ImprovementPlanStatus.choices, default=ImprovementPlanStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True, editable=False)
    outcome_notes = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "-warned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(improve_by__gte=models.F("warned_on")),
                name="improvement_plan_dates_in_order",
            ),
            # One open plan at a time: "the improvement plan" on the contract
            # and extension pages is never ambiguous.
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="open"),
                name="one_open_improvement_plan",
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference}: improve by {self.improve_by:%-d %B %Y}"


class PerformanceFailure(Versioned):
    """What the Procurement Act calls a breach or poor performance: what
    happened against which obligation, and what the council did about it."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="performance_failures"
    )
    obligation = models.TextField("the obligation not met")
    what_happened = models.TextField()
    impact = models.TextField()
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    is_ongoing = models.BooleanField(default=True)
    provider_mitigation = models.TextField("the provider's mitigation", blank=True)
    warning_notices = models.TextField(
        "warning notices sent", blank=True, help_text="Each notice's date and what it said."
    )
    outcome = models.CharField(
        max_length=30, choices=FailureOutcome.choices, default=FailureOutcome.PENDING
    )
    damages_amount = models.DecimalField(**MONEY, null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = AuditTrail()

    class Meta:
        ordering = ["contract", "-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="failure_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="damages") | models.Q(damages_amount__isnull=False),
                name="failure_damages_have_amount",
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference}: {self.obligation[:60]}"
