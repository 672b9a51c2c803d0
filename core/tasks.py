"""Celery tasks: thin wrappers that load what they need and call the work."""

import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    max_retries=8,
)
def email_send(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Send one email. Queued after the database commit, so a slow or failing
    mail server never holds up or rolls back the page that asked for it."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()
