from django.core.mail import EmailMultiAlternatives

from core import outbox


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an email from a Celery worker once the current transaction commits.

    The email is written to the outbox with the page's own work, so if Redis
    is down the page still succeeds and the email goes when Redis is back."""
    outbox.enqueue("email", subject=subject, body=body, to=to, html_body=html_body)


def email_deliver(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
