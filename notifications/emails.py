"""The emails themselves: one notification, or a person's daily digest."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.kinds import LABELS, Kind


def _context(**extra) -> dict:
    from notifications.services import absolute_url

    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        **extra,
    }


def single(notification) -> EmailMessage:
    context = _context(
        notification=notification,
        why=LABELS[Kind(notification.kind)],
        has_account=notification.user_id is not None,
    )
    return EmailMessage(
        subject=notification.subject,
        body=render_to_string("notifications/email/single.txt", context),
        to=[notification.email],
    )


def digest(user, notifications) -> EmailMessage:
    count = len(notifications)
    subject = f"Your daily summary: {count} thing{'s' if count != 1 else ''} to look at"
    context = _context(user=user, notifications=notifications, count=count)
    return EmailMessage(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        to=[user.email],
    )
