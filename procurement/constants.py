from django.db import models


class SystemKind(models.TextChoices):
    PDPS = "pdps", "Pseudo dynamic purchasing system (PDPS)"
    DPS = "dps", "Dynamic purchasing system (DPS)"
    FRAMEWORK = "framework", "Framework"


class AdmissionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    CLARIFICATION = "clarification", "Clarification asked"
    ADMITTED = "admitted", "Admitted"
    REJECTED = "rejected", "Not admitted"
    SUSPENDED = "suspended", "Suspended"
    REMOVED = "removed", "Removed"


class CallOffRoute(models.TextChoices):
    DIRECT_AWARD = "direct_award", "Direct award"
    MINI_COMPETITION = "mini_competition", "Mini-competition"


class CallOffStatus(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    OPEN = "open", "Open for bids"
    EVALUATION = "evaluation", "Being evaluated"
    APPROVED = "approved", "Results approved"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class CriterionKind(models.TextChoices):
    QUALITY = "quality", "Quality"
    SOCIAL_VALUE = "social_value", "Social value"
    PRICE = "price", "Price"


class PackageKind(models.TextChoices):
    INDIVIDUAL = "individual", "One person"
    SCHEME = "scheme", "Supported living scheme"


class PackageStatus(models.TextChoices):
    ADVERTISED = "advertised", "Advertised"
    PANEL = "panel", "Panel evaluation"
    MEET_AND_GREET = "meet_and_greet", "Meet and greet"
    CHOSEN = "chosen", "Provider chosen"
    AWARDED = "awarded", "Awarded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"
