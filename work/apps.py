from django.apps import AppConfig


class WorkConfig(AppConfig):
    """Above the other apps: it reads their selectors, none of them reads it."""

    name = "work"
    label = "work"
    verbose_name = "Your work"

    def ready(self):
        import work.sources  # noqa: F401 (registers the sources)
