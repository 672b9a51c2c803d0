from celery import shared_task

from notifications import services


@shared_task(ignore_result=True)
def digests_send() -> int:
    """Daily at 07:00 London time: queue each person's digest."""
    return services.digests_queue()
