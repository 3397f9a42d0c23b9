"""A burst of messages (a course opens) takes one waiting task, not one task per message, and every message still
goes out exactly once (enrolment.notifications, "One task for a burst")."""

import pytest
from django.core import mail

from enrolment import notifications, services
from enrolment.models import OutboxMessage

QUEUE = "celery"


@pytest.fixture(autouse=True)
def production_batches(settings):
    settings.NOTIFICATION_SEND_BATCH = 20  # as in production


@pytest.mark.redis
def test_messages_committed_while_a_task_waits_go_with_it(broker):
    for message_id in (101, 102, 103):
        notifications.enqueue(message_id)

    assert broker.llen(QUEUE) == 1  # one task waits; it will send all three

    notifications.lower_waiting_flag()  # the task starts
    notifications.enqueue(104)

    assert broker.llen(QUEUE) == 2  # committed after it started: a task of its own


@pytest.mark.redis
def test_without_batches_every_message_has_its_own_task(broker, settings):
    settings.NOTIFICATION_SEND_BATCH = 1

    for message_id in (101, 102, 103):
        notifications.enqueue(message_id)

    assert broker.llen(QUEUE) == 3


@pytest.mark.django_db
def test_a_draining_task_sends_every_due_message_once(person, occasion, django_capture_on_commit_callbacks):
    occasion.capacity = None
    occasion.save()
    with django_capture_on_commit_callbacks(execute=False):  # no task of their own, as in a burst
        people = [person("sv" if number % 2 else "en") for number in range(7)]
        for someone in people:
            services.enrol(someone, occasion.pk)

    assert notifications.send(None, batch=3, drain=True) == "skipped"  # no row of its own, all the others

    assert sorted(address for email in mail.outbox for address in email.to) == sorted(p.email for p in people)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert notifications.send(None, batch=3, drain=True) == "skipped"
    assert len(mail.outbox) == 7
