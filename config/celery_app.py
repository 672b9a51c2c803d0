import os

from celery import Celery

# Workers and beat are production processes, as wsgi.py is; a developer's
# worker sets DJANGO_SETTINGS_MODULE=config.settings.local (README).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("care_commissioning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
