"""Alerts through the real pipeline: the beat job's commit enqueues on Redis, a real Celery worker sends over SMTP
to a real server (the fixtures of tests/notifications/test_pipeline.py), once, with the unsubscribe headers."""

from urllib.parse import urlparse

import pytest
from django.test import Client

from catalogue import alerts
from catalogue.models import Alert, AlertMessage
from courses.factories import OccasionFactory, TopicFactory, create_course, translate_course
from tests.enrolment.conftest import make_participant
from tests.notifications.test_pipeline import settle, smtp, wait_for, worker  # noqa: F401 - fixtures

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_a_match_once_with_a_one_click_unsubscribe(site, worker, smtp):  # noqa: F811
    topic = TopicFactory(name="CAR-T", slug="car-t")
    person = make_participant(email="karin.lind@example.se", first_name="Karin")
    alerts.follow(query="topic=car-t", language="sv", frequency="instant", user=person)
    course = create_course(title="CAR-T fördjupning", topics=[topic])
    translate_course(course, "en", title="CAR-T advanced")
    OccasionFactory(course=course)

    assert alerts.queue_matches() == 1
    assert alerts.queue_matches() == 0
    message = wait_for(lambda: AlertMessage.objects.filter(status="sent").first(), what="the alert mail")
    settle(worker)

    (received,) = smtp.received
    assert received["To"] == "karin.lind@example.se"
    assert received["Message-ID"] == message.message_id
    assert "CAR-T fördjupning" in received.get_body(("plain",)).get_content()
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = received["List-Unsubscribe"].strip().strip("<>")

    # The mail program's one-click POST: no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(urlparse(unsubscribe).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Alert.objects.exists()
