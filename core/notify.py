from django.db import transaction


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Send an email from a Celery worker once the current transaction commits.

    If Redis is down the failure is logged and the page still succeeds: the
    person can ask again, and losing the page's own work would be worse."""
    from core.tasks import email_send

    transaction.on_commit(
        lambda: email_send.delay(subject=subject, body=body, to=to, html_body=html_body),
        robust=True,
    )
