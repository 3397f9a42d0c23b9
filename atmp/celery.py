"""The project's one Celery app; broker and schedule come from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp.settings.dev")

app = Celery("atmp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
