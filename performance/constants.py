from django.db import models


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Half-yearly"
    YEARLY = "yearly", "Yearly"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class KpiRating(models.TextChoices):
    """A KPI's rating for one period, derived from its target and tolerance
    by performance.ratings."""

    GREEN = "green", "Green: met the target"
    AMBER = "amber", "Amber: within tolerance"
    RED = "red", "Red: missed the target"
    NOT_REPORTED = "not_reported", "Not reported"


class PerformanceRating(models.TextChoices):
    """The Procurement Act 2023's scale for assessing a KPI or a contract
    (Procurement Regulations 2024, contract performance notice)."""

    GOOD = "good", "Good"
    APPROACHING_TARGET = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


class ReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted, waiting for review"
    REVIEWED = "reviewed", "Reviewed"


class ImprovementPlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Improvement made"
    NOT_MET = "not_met", "Improvement not made"


class FailureOutcome(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    NONE = "none", "No further action"
    DAMAGES = "damages", "Damages"
    PARTIAL_TERMINATION = "partial_termination", "Partial termination"
    SETTLEMENT = "settlement", "Settlement"
    TERMINATION = "termination", "Termination"
    OTHER = "other", "Other"
