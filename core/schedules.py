"""The service's periodic jobs, declared in code.

`schedules_sync` (run after every migrate) creates each one in
django-celery-beat's tables if it is missing. It never overwrites an
existing schedule, so an administrator's change of time in the admin
survives deployments.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    hour: str
    minute: str
    description: str


SCHEDULES = [
    Schedule(
        name="Lapse extension options past their decision deadline",
        task="contracts.tasks.extensions_lapse_overdue",
        hour="1",
        minute="30",
        description="Records that an option was not taken when nobody decided in time.",
    ),
    Schedule(
        name="Send expiry and extension-decision reminders",
        task="contracts.tasks.reminders_sweep",
        hour="6",
        minute="0",
        # The name stays: schedules_sync finds existing schedules by name.
        description="Creates the monitoring returns of periods that ended, writes the "
        "reminders due since the last run (endings, extension decisions, monitoring returns "
        "and reviews) and sends each once.",
    ),
    Schedule(
        name="Send the daily notification summaries",
        task="notifications.tasks.digests_send",
        hour="7",
        minute="0",
        description="Emails each person who chose a daily summary the notifications "
        "waiting for it, each once.",
    ),
    Schedule(
        name="Queue background work that could not be queued",
        task="core.tasks.outbox_sweep",
        hour="*",
        minute="*",
        description="Hands on emails and reports a page asked for while Redis was down "
        "(or whose message was lost), and tries failed ones again.",
    ),
]


def schedules_sync(*, using: str = "default") -> None:
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for schedule in SCHEDULES:
        if PeriodicTask.objects.using(using).filter(name=schedule.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.using(using).create(
            name=schedule.name,
            task=schedule.task,
            crontab=crontab,
            description=schedule.description,
        )
