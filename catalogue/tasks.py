"""Celery tasks for alerts: they take ids, re-read rows, and are safe to run twice."""

from celery import shared_task

from . import alerts


@shared_task(bind=True, acks_late=True, max_retries=alerts.MAX_ATTEMPTS)
def send_alert_message(self, message_id):
    try:
        return alerts.send(message_id)
    except OSError as error:  # smtplib's errors are OSErrors: try again with back-off; the row counts attempts
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 1800)) from error


@shared_task
def queue_alert_matches():
    return alerts.queue_matches()


@shared_task
def sweep_alert_messages():
    return alerts.sweep()
