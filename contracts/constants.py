from django.db import models


class ServiceArea(models.TextChoices):
    SUPPORTED_LIVING = "supported_living", "Supported living"
    ILSS = "ilss", "Independent living support (ILSS)"
    COMMUNITY_SUPPORT = "community_support", "Community and floating support"
    HOME_CARE = "home_care", "Home care"
    DAY_OPPORTUNITIES = "day_opportunities", "Day opportunities"
    RESIDENTIAL = "residential", "Residential and nursing care"
    ADVOCACY = "advocacy", "Advocacy"
    CARERS = "carers", "Carers' support"
    OTHER = "other", "Other"


class ClientGroup(models.TextChoices):
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    MENTAL_HEALTH = "mental_health", "Mental health"
    OLDER_PEOPLE = "older_people", "Older people"
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    MIXED = "mixed", "Mixed or all adults"
    OTHER = "other", "Other"


class ProcurementRoute(models.TextChoices):
    PDPS_CALL_OFF = "pdps_call_off", "PDPS call-off"
    DPS_CALL_OFF = "dps_call_off", "DPS call-off"
    MINI_COMPETITION = "mini_competition", "Mini-competition"
    DIRECT_AWARD = "direct_award", "Direct award"
    FRAMEWORK = "framework", "Framework call-off"
    OPEN_TENDER = "open_tender", "Open tender"
    SPOT = "spot", "Spot purchase"
    OTHER = "other", "Other"


class ContractStatus(models.TextChoices):
    """Derived from dates and decisions, never set by hand."""

    DRAFT = "draft", "Draft"
    LIVE = "live", "Live"
    IN_EXTENSION = "in_extension", "In extension"
    ENDING = "ending", "Ending"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    ESCALATED = "escalated", "Escalated to a higher authority"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    LAPSED = "lapsed", "Lapsed: decision deadline passed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_EXTENSION_STATUSES = (ExtensionStatus.PENDING, ExtensionStatus.ESCALATED)

# A contract with no options left is "ending" in its last months, so the
# register shows what needs recommissioning.
ENDING_WITHIN_MONTHS = 6


class ReminderKind(models.TextChoices):
    EXPIRY = "expiry", "Contract ending"
    DECISION = "decision", "Extension decision due"
    WAITING = "waiting", "Extension request waiting for a decision"
    RETURN_DUE = "return_due", "Monitoring return due"
    RETURN_OVERDUE = "return_overdue", "Monitoring return overdue"
    REVIEW_DUE = "review_due", "Monitoring review due"
    REVIEW_OVERDUE = "review_overdue", "Monitoring review overdue"


# Reminders about one monitoring return: keyed by the return, not the day,
# and sent to the owner and the team mailbox (not the approving managers).
MONITORING_REMINDER_KINDS = (
    ReminderKind.RETURN_DUE,
    ReminderKind.RETURN_OVERDUE,
    ReminderKind.REVIEW_DUE,
    ReminderKind.REVIEW_OVERDUE,
)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    NOT_NEEDED = "not_needed", "Not sent: no longer applies"
    NO_RECIPIENTS = "no_recipients", "Not sent: nobody to send it to"
    FAILED = "failed", "Failed"
