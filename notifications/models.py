from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.audit import AuditTrail
from notifications.kinds import Delivery, Kind, choices

KIND = {"max_length": 30, "choices": choices(Kind)}


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent: the person's account was closed or has no email address"


class Notification(models.Model):
    """One email to one person about one thing that happened (an extension
    request raised, results approved), written in the transaction of the
    action that caused it.

    The unique key (recipient, kind, object, event) makes it once-only: a
    retried task or a second POST finds the row there and sends nothing new;
    the worker that sends it locks the row and marks it sent in the same
    transaction (as reminders do, decision 0007)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # The address it goes to: the user's at the time, or a contact with no
    # account (a higher authority's clerk). Lower case, for the key.
    email = models.EmailField()
    kind = models.CharField(**KIND)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject_object = GenericForeignKey("content_type", "object_id")
    event = models.CharField(max_length=50)
    delivery = models.CharField(max_length=10, choices=choices(Delivery))
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    # What the email says, fixed when it was written: a digest the next
    # morning says what happened, not what the object says now.
    subject = models.CharField(max_length=255)
    body = models.TextField()
    url = models.URLField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "content_type", "object_id", "event"],
                name="notification_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(status="pending", delivery="digest"),
                name="notification_digest_waiting",
            )
        ]

    def __str__(self):
        return f"{self.subject} to {self.email} ({self.get_status_display().lower()})"


class Preference(models.Model):
    """How one person wants to hear of one kind; no row means straight away."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(**KIND)
    delivery = models.CharField(max_length=10, choices=choices(Delivery))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.delivery}"


class KindPolicy(models.Model):
    """The council's rule for one kind: whether it is mandatory (always sent
    straight away, whatever each person chose). One row per kind, created on
    migrate; administrators tick or untick it in the admin."""

    kind = models.CharField(unique=True, **KIND)
    mandatory = models.BooleanField(
        default=False,
        help_text="Always sent straight away: people cannot choose the daily summary for it.",
    )

    history = AuditTrail()

    class Meta:
        ordering = ["kind"]
        verbose_name = "notification kind"

    def __str__(self):
        return self.get_kind_display()


class AuthorityContact(models.Model):
    """Who to tell when a decision is escalated to a higher authority:
    officers name the authority as they write it ("Cabinet", "Executive
    Director of Adult Social Care"); the contact named here for that name
    (matched without regard to case) is emailed."""

    name = models.CharField(
        "authority",
        max_length=200,
        help_text="As officers name it when they escalate, for example Cabinet.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The contact's account, if they have one: their preferences then apply.",
    )
    email = models.EmailField(
        blank=True, help_text="For a contact with no account, such as democratic services."
    )

    history = AuditTrail()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="one_contact_per_authority"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.user_id is None and not self.email:
            raise ValidationError("Choose the contact's account or enter their email address.")
