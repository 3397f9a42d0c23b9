"""Celery tasks for accounts: they call services and are safe to run twice."""

from celery import shared_task

from . import privacy


@shared_task
def anonymise_expired():
    """Daily retention run (CELERY_BEAT_SCHEDULE): see accounts.privacy.anonymise_expired."""
    return privacy.anonymise_expired()
