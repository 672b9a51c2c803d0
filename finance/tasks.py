from celery import shared_task

from finance import services


@shared_task(acks_late=True)
def cabinet_report_render(report_id: int) -> int:
    """Render a large cabinet report away from the web request."""
    return services.report_render(report_id).pk
