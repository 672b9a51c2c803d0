import functools
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from contracts import reminder_dates
from contracts.constants import (
    OPEN_EXTENSION_STATUSES,
    ClientGroup,
    ExtensionStatus,
    ProcurementRoute,
    ReminderKind,
    ReminderStatus,
    ServiceArea,
)
from contracts.value_inputs import ValueInputs
from core.audit import AuditTrail
from core.concurrency import Versioned

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
}


@functools.cache
def _register_url() -> str:
    # The register lists 50 links a page; one reverse() instead of fifty.
    # contracts/urls.py puts each contract at "<register>/<pk>/".
    return reverse("contracts:list")


class Contract(Versioned):
    """A care contract in the register.

    Officers enter the start date, term notation, notice period, annual
    value and uplift. The end dates and whole-life value are derived from
    them by contracts.terms and stored only so the register can filter and
    sort in the database; contracts.services keeps them in step.
    """

    reference = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    client_group = models.CharField(
        max_length=30, choices=ClientGroup.choices, default=ClientGroup.MIXED
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="contracts",
        null=True,
        blank=True,
    )
    # Framework and multi-supplier awards: every other supplier on the award.
    additional_providers = models.ManyToManyField(
        "providers.Provider", related_name="shared_contracts", blank=True
    )
    lot = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contracts",
        null=True,
        blank=True,
    )
    start_date = models.DateField()
    term = models.CharField(max_length=100, help_text="For example 3+2+2 or 36m+12m+12m")
    options_may_be_taken_together = models.BooleanField(default=True)
    notice_months = models.PositiveSmallIntegerField(default=3, validators=[MaxValueValidator(60)])
    annual_value = models.DecimalField(**MONEY)
    uplift_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(-100)]
    )
    council_share_percent = models.DecimalField(default=Decimal(100), **PERCENT)
    icb_share_percent = models.DecimalField("ICB share percent", default=Decimal(0), **PERCENT)
    other_share_percent = models.DecimalField(default=Decimal(0), **PERCENT)
    procurement_route = models.CharField(
        max_length=30, choices=ProcurementRoute.choices, default=ProcurementRoute.OTHER
    )
    cpv_code = models.CharField("CPV code", max_length=20, blank=True)
    ocid = models.CharField("OCDS ocid", max_length=120, blank=True, db_index=True)
    is_draft = models.BooleanField(default=False)

    # Decisions: set only by contracts.services.
    options_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    options_closed = models.BooleanField(
        default=False, editable=False, help_text="The remaining options will not be taken."
    )
    terminated_on = models.DateField(null=True, blank=True, editable=False)
    termination_reason = models.TextField(blank=True, editable=False)

    # Derived: contracts.terms computes them, contracts.services stores them.
    initial_end_date = models.DateField(editable=False)
    current_end_date = models.DateField(editable=False, db_index=True)
    max_end_date = models.DateField(editable=False)
    whole_life_value = models.DecimalField(editable=False, **MONEY)
    decision_deadline = models.DateField(null=True, editable=False)
    option_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Set only by approved contract changes (contracts.services.changes): the
    # value schedule (contracts.changes), empty while the award's figures
    # hold, the months added beyond the options, and the number of times the
    # schedule was written. Finance no longer reads that number (decision
    # 26), but the column stays: PostgreSQL reads every row of a table that
    # has had a column dropped more slowly, and this one is read on every page.
    change_schedule = models.CharField(max_length=4000, blank=True, default="", editable=False)
    months_added = models.PositiveSmallIntegerField(default=0, editable=False)
    schedule_version = models.PositiveIntegerField(default=0, editable=False)
    # Kept by the database, for finance to compare (decision 26).
    value_inputs = models.GeneratedField(
        expression=ValueInputs(), output_field=models.TextField(), db_persist=True
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = AuditTrail(excluded_fields=["updated_at", "value_inputs"])

    class Meta:
        ordering = ["reference"]
        permissions = [
            ("raise_extension", "Can raise an extension request"),
            ("decide_extension", "Can decide extension requests"),
            ("terminate_contract", "Can terminate a contract early"),
            ("import_register", "Can import contracts"),
        ]
        indexes = [
            models.Index(fields=["service_area", "current_end_date"]),
            # The reminder sweep looks contracts up by decision deadline.
            models.Index(fields=["decision_deadline"], name="contract_decision_deadline"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return f"{_register_url()}{self.pk}/"

    @property
    def open_extension(self):
        """The request waiting for a decision, if any (reads prefetched rows)."""
        return next((e for e in self.extensions.all() if e.is_open), None)


class ExtensionRequest(models.Model):
    """A request to exercise the next extension option or options, and the
    decision on it. Every decision keeps who, when and why."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="extensions")
    first_option = models.PositiveSmallIntegerField(help_text="1 for the first option")
    options_requested = models.PositiveSmallIntegerField()
    justification = models.TextField()
    value = models.DecimalField(**MONEY)
    new_end_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="extension_requests",
        null=True,
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="extension_decisions",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    higher_authority = models.CharField(
        max_length=200, blank=True, help_text="For example Cabinet, or the Executive Director"
    )
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="extension_escalations",
        null=True,
        blank=True,
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.TextField(blank=True)
    authority_reference = models.CharField(
        max_length=200, blank=True, help_text="For example Cabinet decision, 7 November 2019"
    )
    # Why it was approved although the evidence was missing or against it
    # (contracts.extension_rules): no recent review, an Inadequate rating or
    # a year's budget over-committed. Empty when no rule applied.
    approved_despite = models.TextField("approved despite", blank=True, default="")

    history = AuditTrail()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One open request per contract, so two approvals cannot both
            # exercise the same option.
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status__in=["pending", "escalated"]),
                name="one_open_extension_request_per_contract",
            )
        ]

    def __str__(self):
        return f"{self.contract.reference}: option {self.option_label}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EXTENSION_STATUSES

    @property
    def option_label(self) -> str:
        last = self.first_option + self.options_requested - 1
        if last == self.first_option:
            return f"option {self.first_option}"
        return f"options {self.first_option} to {last}"


class ServiceAreaSettings(models.Model):
    """Who hears about a service area's contracts, and when.

    A service area without a row uses the defaults and tells only each
    contract's owner.
    """

    service_area = models.CharField(max_length=30, choices=ServiceArea.choices, unique=True)
    expiry_lead_times = models.CharField(
        max_length=200,
        default=reminder_dates.lead_times_notation(reminder_dates.EXPIRY_LEAD_TIMES),
        help_text="When to remind people that a contract is ending, before its current end: "
        "months (m), weeks (w) or days (d), separated by commas. For example 12m, 6m, 30d.",
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_service_areas",
        help_text="Approving managers who decide this area's extension requests.",
    )
    team_mailbox = models.EmailField(
        blank=True, help_text="A shared mailbox that gets a copy of every reminder."
    )
    return_due_days = models.PositiveSmallIntegerField(
        "monitoring return due after (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after a monitoring period ends that the provider's return is due.",
    )
    review_due_days = models.PositiveSmallIntegerField(
        "review due after (days)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after the return is due that the officer's review is due.",
    )

    history = AuditTrail()

    class Meta:
        ordering = ["service_area"]
        verbose_name = "service area settings"
        verbose_name_plural = "service area settings"

    def __str__(self):
        return self.get_service_area_display()

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            leads = reminder_dates.parse_lead_times(self.expiry_lead_times)
        except reminder_dates.LeadTimeError as exc:
            raise ValidationError({"expiry_lead_times": str(exc)}) from exc
        self.expiry_lead_times = reminder_dates.lead_times_notation(leads)

    @property
    def lead_times(self) -> tuple[reminder_dates.LeadTime, ...]:
        return reminder_dates.parse_lead_times(self.expiry_lead_times)


class Reminder(models.Model):
    """One reminder about one contract, written before it is sent.

    The unique (contract, kind, due date) key is what makes sending happen
    once: a repeated or concurrent sweep finds the row already there, and
    the sending task locks the row and sends only if it is still pending.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_date = models.DateField(help_text="The working day the reminder is due to be sent.")
    event_date = models.DateField(
        help_text="The current end, the decision deadline, the day of the request, or "
        "when a monitoring return or its review is due."
    )
    lead = models.CharField(
        max_length=30,
        help_text="For example “6 months” or “4 weeks”; for a monitoring return, its period.",
    )
    extension_request = models.ForeignKey(
        ExtensionRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    monitoring_return = models.ForeignKey(
        "performance.MonitoringReturn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    status = models.CharField(
        max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(
        default=False, help_text="Sent after its due date, for example after an outage."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_date", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "due_date"],
                condition=models.Q(monitoring_return__isnull=True),
                name="one_reminder_per_contract_kind_day",
            ),
            # Two returns of one contract can fall due on the same day (a
            # frequency changed mid-year): each is reminded once, by its own key.
            models.UniqueConstraint(
                fields=["monitoring_return", "kind"],
                condition=models.Q(monitoring_return__isnull=False),
                name="one_reminder_per_return_kind",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status"], condition=models.Q(status="pending"), name="reminder_pending"
            )
        ]

    def __str__(self):
        return f"{self.contract.reference}: {self.get_kind_display()} due {self.due_date}"

    @property
    def description(self) -> str:
        event = f"{self.event_date:%-d %B %Y}"
        if self.kind == ReminderKind.EXPIRY:
            return f"Ends {event}, {self.lead} before"
        if self.kind == ReminderKind.DECISION:
            when = "the last day" if self.lead == "on the day" else f"{self.lead} before"
            return f"Extension decision due by {event}, {when}"
        if self.kind == ReminderKind.RETURN_DUE:
            return f"Monitoring return for {self.lead} due by {event}"
        if self.kind == ReminderKind.RETURN_OVERDUE:
            return f"Monitoring return for {self.lead} overdue: due by {event}"
        if self.kind == ReminderKind.REVIEW_DUE:
            return f"Review of the return for {self.lead} due by {event}"
        if self.kind == ReminderKind.REVIEW_OVERDUE:
            return f"Review of the return for {self.lead} overdue: due by {event}"
        return f"Extension request of {event} waiting more than {self.lead}"


class ReminderRecipient(models.Model):
    """Who a reminder went to, fixed when the reminder was written."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders_received",
    )
    email = models.EmailField()
    reason = models.CharField(max_length=60, help_text="Owner, approving manager, team mailbox")

    class Meta:
        ordering = ["reminder", "email"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "email"], name="one_copy_per_address")
        ]

    def __str__(self):
        return self.email


class ReminderSweep(models.Model):
    """Each run of the daily sweep: the next run starts the day after the
    last day swept, so days missed in an outage are caught up."""

    swept_from = models.DateField()
    swept_to = models.DateField()
    ran_at = models.DateTimeField(auto_now_add=True)
    reminders_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]
        get_latest_by = "ran_at"

    def __str__(self):
        return f"{self.swept_from} to {self.swept_to}"


# Its own module, to keep this one short; imported so Django finds the model.
from contracts.models_changes import ContractChange  # noqa: E402
from contracts.models_imports import RegisterUpload  # noqa: E402

__all__ = [
    "Contract",
    "ContractChange",
    "ExtensionRequest",
    "RegisterUpload",
    "Reminder",
    "ReminderRecipient",
    "ReminderSweep",
    "ServiceAreaSettings",
]
