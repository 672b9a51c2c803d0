from django.db import transaction


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an email from a Celery worker once the current transaction commits."""
    from core.tasks import email_send

    transaction.on_commit(
        lambda: email_send.delay(subject=subject, body=body, to=to, html_body=html_body)
    )
