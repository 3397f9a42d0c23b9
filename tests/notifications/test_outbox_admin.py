"""The e-mail outbox in the admin, as a network admin sees it while the mail server is away: status, attempts,
the last error and when the next attempt is, in local time and the admin's language."""

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from courses.centres import network_admins
from enrolment import services
from enrolment.models import OutboxMessage

from .conftest import stockholm

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/outbox/"
NOW = stockholm(2026, 11, 20, 14, 3)


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def admin_speaking(language):
    admin = UserFactory(email=f"natverksadmin-{language}@example.se", is_staff=True)
    network_admins().user_set.add(admin)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = language
    profile.save()
    return admin


@pytest.fixture
def waiting_message(person, occasion, django_capture_on_commit_callbacks):
    """A confirmation whose third attempt was refused; the next one is at 14.07 Stockholm time (13.07 UTC)."""
    with django_capture_on_commit_callbacks(execute=False):
        services.enrol(person("sv"), occasion.pk)
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=3,
        last_attempt_at=NOW - dt.timedelta(minutes=1),
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=NOW + dt.timedelta(minutes=4),
    )
    return message


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Next attempt", "Queued", "3", "ConnectionRefusedError", "20 Nov 2026, 14:07 (in 4 minutes)"]),
        ("sv", ["Nästa försök", "I kö", "3", "ConnectionRefusedError", "20 nov. 2026 kl. 14.07 (om 4 minuter)"]),
    ],
)
def test_a_network_admin_sees_when_a_refused_message_is_tried_again(client, waiting_message, language, expected):
    client.force_login(admin_speaking(language))

    with time_machine.travel(NOW, tick=False):
        response = client.get(OUTBOX)

    assert response.status_code == 200
    text = text_of(response.content.decode())
    for part in expected:
        assert part in text


def test_a_message_being_sent_says_so_and_a_sent_one_has_no_next_attempt(client, waiting_message):
    client.force_login(admin_speaking("en"))
    OutboxMessage.objects.filter(pk=waiting_message.pk).update(attempt_started_at=NOW, attempts=4)

    with time_machine.travel(NOW, tick=False):
        assert "Sending now" in text_of(client.get(OUTBOX).content.decode())

    OutboxMessage.objects.filter(pk=waiting_message.pk).update(
        attempt_started_at=None, status=OutboxMessage.Status.SENT, sent_at=NOW
    )
    with time_machine.travel(NOW, tick=False):
        text = text_of(client.get(OUTBOX).content.decode())
    assert "Sending now" not in text
    assert "(in 4 minutes)" not in text and "14:07" not in text


def test_the_outbox_sorts_by_next_attempt(client, waiting_message):
    client.force_login(admin_speaking("en"))

    response = client.get(OUTBOX, {"ordering": "next_attempt_at"})

    assert response.status_code == 200


def test_a_retry_within_the_minute_says_so_in_swedish(client, waiting_message):
    client.force_login(admin_speaking("sv"))
    OutboxMessage.objects.filter(pk=waiting_message.pk).update(next_attempt_at=NOW + dt.timedelta(seconds=30))

    with time_machine.travel(NOW, tick=False):
        text = text_of(client.get(OUTBOX).content.decode())

    assert "20 nov. 2026 kl. 14.03 (om mindre än en minut)" in text
