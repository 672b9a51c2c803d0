from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from core.audit import AuditTrail
from core.roles import Role


class User(AbstractUser):
    """A member of council staff.

    What a user may do comes from their role (a Django group); approving
    managers also carry the delegated authority limit set out in the
    council's scheme of delegation.
    """

    delegated_authority_limit = models.DecimalField(
        "delegated authority limit (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The largest extension value this approving manager may approve. "
        "Larger decisions go to a higher authority.",
    )
    job_title = models.CharField(max_length=150, blank=True)
    password_reset_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = AuditTrail(excluded_fields=["password", "last_login", "password_reset_sent_at"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> list[str]:
        # Read once per request, with the permissions (core.backends): the
        # header, the navigation and the buttons all ask.
        from core.backends import load_roles_and_permissions

        load_roles_and_permissions(self)
        return self.__dict__["role_names"]

    def has_role(self, role: Role) -> bool:
        return role.label in self.role_names

    @property
    def is_administrator(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.ADMINISTRATOR))


class Organisation(models.Model):
    """A commissioning body or partner named in the council papers:
    the council itself, an NHS integrated care board, a regional partnership."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        HEALTH_PARTNER = "health_partner", "NHS integrated care board or other health partner"
        PARTNERSHIP = "partnership", "Regional partnership"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    notes = models.TextField(blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be done"
    DONE = "done", "Done"
    FAILED = "failed", "Gave up"


class OutboxMessage(models.Model):
    """Background work a page asked for, written in the page's own
    transaction so it survives Redis being down (decision 0014). `kind`
    names the work in core.outbox.KINDS; a worker does it once and marks
    the row done in the same transaction."""

    kind = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweep hands the row to the broker (again) once this has passed:
    # soon after a failed publish, much later once it is published (in case
    # the message is lost), after a back-off once an attempt failed.
    publish_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["publish_after"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.get_status_display().lower()})"
