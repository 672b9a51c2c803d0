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
        # Read once per request: the header and the navigation both ask.
        return sorted(g.name for g in self.groups.all())

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
