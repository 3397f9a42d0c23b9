"""Fixtures for the notification tests: a bilingual course, an occasion, people who may enrol, and helpers
that read e-mails and their calendar invitations the way a mail client would."""

import datetime as dt

import pytest
import redis
from django.utils import timezone
from icalendar import Calendar

from atmp.celery import app as celery_app
from courses.factories import OccasionFactory, create_course, translate_course
from courses.models import CoursePage
from tests.enrolment.conftest import make_participant

SV_TITLE = "CAR-T-cellsbehandling för sjuksköterskor"
EN_TITLE = "CAR-T cell therapy for nurses"
STOCKHOLM = "Europe/Stockholm"


def stockholm(*args):
    """An aware datetime, wall-clock time in Stockholm."""
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def course(site):
    course = create_course(site.catalogue["sv"], title=SV_TITLE, summary="En kurs om CAR-T-celler.")
    translate_course(course, "en", title=EN_TITLE, summary="A course about CAR-T cells.")
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, capacity=2)


@pytest.fixture
def person(site):
    """make a participant: person(language="en", first_name="Erik")"""
    counter = iter(range(1, 10_000))

    def make(language="sv", **fields):
        fields.setdefault("email", f"deltagare{next(counter)}-{language}@example.se")
        return make_participant(preferred_language=language, **fields)

    return make


# --- Reading e-mails -----------------------------------------------------------------------------------


def html_of(email):
    (html,) = [content for content, mimetype in email.alternatives if mimetype == "text/html"]
    return html


def invitation(email):
    """The calendar invitation attached to a Django e-mail (None if there is none) and its MIME type."""
    found = [attachment for attachment in email.attachments if attachment[0] == "invite.ics"]
    if not found:
        return None
    (attachment,) = found
    return parse_calendar(attachment[1]), attachment[2]


def parse_calendar(raw):
    return Calendar.from_ical(raw)


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.fixture
def broker(transactional_db):
    """This process publishes to the tests' Redis database (a client on it); a test that needs consumers starts them."""
    from . import test_pipeline as pipeline  # here: test_pipeline imports this conftest

    url = pipeline.broker_url()
    client = redis.Redis.from_url(url)
    client.flushdb()
    overrides = {"broker_url": url, "task_always_eager": False}
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    pipeline.use_broker(url)
    yield client
    celery_app.conf.update(saved)
    pipeline.use_broker(saved["broker_url"])
    client.flushdb()
    client.close()
