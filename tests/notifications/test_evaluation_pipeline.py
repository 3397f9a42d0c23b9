"""Evaluation mails through the real pipeline (the fixtures of test_pipeline.py): the beat job's commit enqueues on
Redis, a real Celery worker sends over SMTP; each attended person gets one invitation in their language with a
link that works, and one reminder only if they have not answered."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from courses.factories import OccasionFactory, default_evaluation
from enrolment import evaluations
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EvaluationResponse, OutboxMessage

from .conftest import EN_TITLE, SV_TITLE
from .test_pipeline import settle, smtp, wait_for, worker  # noqa: F401 - fixtures

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SATISFIED = "5f0b2d1e-0000-4000-8000-000000000001"


def link_in(message):
    body = message.get_body(("plain",)).get_content()
    return urlparse(re.search(r"https?://\S+/(?:utvardering|evaluation)/[0-9a-f]{64}/", body).group(0)).path


def test_one_invitation_each_and_a_reminder_only_to_who_did_not_answer(course, person, worker, smtp):  # noqa: F811
    default_evaluation()
    end = timezone.now() - dt.timedelta(hours=2)
    occasion = OccasionFactory(course=course, start=end - dt.timedelta(hours=7), end=end)
    anna, john = person("sv", first_name="Anna"), person("en", first_name="John")
    for user in (anna, john):
        EnrolmentFactory(occasion=occasion, user=user, status=Enrolment.Status.ATTENDED)
    EnrolmentFactory(occasion=occasion, user=person("sv"), status=Enrolment.Status.NO_SHOW)

    assert evaluations.queue_invitations() == 2
    assert evaluations.queue_invitations() == 0  # the beat job again: nothing new
    wait_for(lambda: OutboxMessage.objects.filter(status="sent").count() == 2, what="two invitations")
    settle(worker)

    received = {message["To"]: message for message in smtp.received}
    assert sorted(received) == sorted([anna.email, john.email])
    assert received[anna.email]["Subject"].strip() == f"Vad tyckte du om {SV_TITLE}?"
    assert received[john.email]["Subject"].strip() == f"What did you think of {EN_TITLE}?"

    # Anna answers by her link, without logging in.
    path = link_in(received[anna.email])
    assert path.startswith("/sv/utvardering/")
    response = Client().post(path, {f"e_{SATISFIED}": "5"})
    assert response.status_code == 200
    assert EvaluationResponse.objects.count() == 1

    # Four days later John, who did not answer, gets one reminder with the same link; Anna gets none.
    later = timezone.now() + dt.timedelta(days=4, hours=1)
    assert evaluations.queue_reminders(later) == 1
    assert evaluations.queue_reminders(later) == 0
    wait_for(lambda: len(smtp.received) == 3, what="the reminder")
    settle(worker)

    reminder = smtp.received[2]
    assert reminder["To"] == john.email
    assert reminder["Subject"].strip() == f"Reminder: what did you think of {EN_TITLE}?"
    assert link_in(reminder) == link_in(received[john.email])
    assert len(smtp.received) == 3
