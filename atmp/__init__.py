# Importing the Celery app here lets `celery -A atmp` and Django share one configuration.
from .celery import app as celery_app

__all__ = ["celery_app"]
