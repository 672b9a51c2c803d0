from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from django.db.models.signals import post_migrate

        from notifications.services import policies_sync

        # Every kind has its row for administrators to tick, a new kind
        # included, without a data migration; an existing choice is kept.
        post_migrate.connect(
            lambda using="default", **kwargs: policies_sync(using=using),
            sender=self,
            weak=False,
        )
