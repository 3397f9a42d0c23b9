"""Celery tasks: they take ids, call services, and are safe to run twice."""

from celery import shared_task
from django.conf import settings

from . import evaluations, manager, notifications, services


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # the outbox row counts attempts and gives up (status "failed")
    rate_limit=settings.NOTIFICATION_RATE_LIMIT,
)
def send_outbox_message(self, message_id):
    """Send the row `message_id` (None: none of its own); with tasks coalesced, every due row after it."""
    try:
        # With a rate limit, one message per task, so the limit counts messages.
        batch = 1 if settings.NOTIFICATION_RATE_LIMIT else settings.NOTIFICATION_SEND_BATCH
        drain = notifications.coalescing()
        if drain:
            notifications.lower_waiting_flag()
        return notifications.send(message_id, batch=batch, drain=drain)
    except notifications.SendFailed as error:
        # At the next attempt time the row records (exponential back-off, notifications.retry_delay).
        raise self.retry(exc=error, eta=error.retry_at) from error


@shared_task
def sweep_outbox():
    return notifications.sweep()


@shared_task
def queue_reminders():
    return notifications.queue_reminders()


@shared_task
def queue_follow_ups():
    return notifications.queue_follow_ups()


@shared_task
def expire_offers():
    return services.expire_offers()


@shared_task
def queue_organiser_digests():
    return notifications.queue_organiser_digests()


@shared_task
def record_no_shows():
    return services.record_no_shows()


@shared_task
def queue_evaluation_invitations():
    return evaluations.queue_invitations()


@shared_task
def queue_evaluation_reminders():
    return evaluations.queue_reminders()


@shared_task
def process_manager_approvals():
    """Remind line managers halfway, then release the seats nobody answered for (enrolment/manager.py)."""
    return {"reminded": manager.queue_reminders(), "expired": manager.expire_requests()}
