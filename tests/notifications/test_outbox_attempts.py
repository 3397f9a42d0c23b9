"""One Message-ID per message from its first attempt to its last, an attempt recorded before SMTP is spoken,
attempts cut short sent again by the sweep, and the back-off schedule (tasks eager, mail in memory; the real
worker, SMTP server and a killed worker are in test_outbox_reliability.py)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.utils import timezone

from enrolment import notifications, services
from enrolment.models import OutboxMessage

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: no `except Exception` runs, nothing is written afterwards."""


class DiesAfterTheServerAccepted(MemoryBackend):
    """The server has the message (it lands in mail.outbox); then the worker dies before it hears back."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


class Refusing(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def backend(cls):
    return f"{__name__}.{cls.__name__}"


@pytest.fixture
def queued(person, occasion, django_capture_on_commit_callbacks):
    """A confirmation written to the outbox; nobody has sent it yet."""
    with django_capture_on_commit_callbacks(execute=False):
        services.enrol(person("sv"), occasion.pk)
    return OutboxMessage.objects.get()


def later(seconds):
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_the_message_id_is_fixed_when_the_row_is_written_and_the_email_carries_it(queued):
    assert queued.message_id.startswith("<") and queued.message_id.endswith("@atmp-centrum.se>")

    assert notifications.send(queued.pk) == "sent"

    (email,) = mail.outbox
    assert email.message()["Message-ID"] == queued.message_id
    assert email.extra_headers["X-ATMP-Message"] == queued.key


def test_an_attempt_cut_short_is_sent_again_by_the_sweep_with_the_same_message_id(queued, settings):
    settings.NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS = 300
    settings.EMAIL_BACKEND = backend(DiesAfterTheServerAccepted)

    with pytest.raises(WorkerKilled):
        notifications.send(queued.pk)

    row = OutboxMessage.objects.get()
    assert row.status == Status.QUEUED
    assert row.attempts == 1  # written before the server was spoken to, so it survived the crash
    assert row.attempt_started_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send(queued.pk) == "skipped"  # a duplicate task: someone is sending it
    assert notifications.sweep(now=later(299)) == 0  # it may still be under way

    assert notifications.sweep(now=later(301)) == 1  # eager: sent again at once

    row = OutboxMessage.objects.get()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert row.attempt_started_at is None
    assert row.last_error == ""
    assert [email.message()["Message-ID"] for email in mail.outbox] == [queued.message_id] * 2


def test_an_attempt_cut_short_after_the_last_allowed_one_fails_the_message(queued, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = backend(DiesAfterTheServerAccepted)
    with pytest.raises(WorkerKilled):
        notifications.send(queued.pk)

    assert notifications.sweep(now=later(settings.NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS + 1)) == 0

    row = OutboxMessage.objects.get()
    assert row.status == Status.FAILED
    assert row.last_error.startswith("AttemptCutShort")
    assert row.attempt_started_at is None


def test_a_refused_attempt_stores_the_next_attempt_and_the_sweep_waits_for_it(queued, settings):
    settings.EMAIL_BACKEND = backend(Refusing)
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 120

    with pytest.raises(notifications.SendFailed) as failed:
        notifications.send(queued.pk)

    row = OutboxMessage.objects.get()
    assert row.next_attempt_at == failed.value.retry_at
    assert dt.timedelta(seconds=29) < row.next_attempt_at - row.last_attempt_at < dt.timedelta(seconds=31)
    assert row.attempt_started_at is None
    # The task retries at that time; the sweep steps in only if that retry is overdue (a lost worker).
    assert notifications.sweep(now=row.next_attempt_at + dt.timedelta(seconds=119)) == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.sweep(now=row.next_attempt_at + dt.timedelta(seconds=121)) == 1
    assert OutboxMessage.objects.get().status == Status.SENT


def test_resending_a_failed_message_keeps_its_message_id_a_copy_of_a_sent_one_gets_its_own(queued, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = backend(Refusing)
    assert notifications.send(queued.pk) == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    again = notifications.resend(queued.pk)
    assert notifications.send(again.pk) == "sent"
    copy = notifications.resend(queued.pk)
    assert notifications.send(copy.pk) == "sent"

    first, second = (email.message()["Message-ID"] for email in mail.outbox)
    assert first == queued.message_id  # the same message, perhaps already seen: one message to the receiver
    assert second == copy.message_id != queued.message_id  # a copy asked for is a new message


def test_the_real_back_off_schedule_outlasts_an_hour_long_outage(settings):
    """30 s, 1, 2, 4, 8, 16, 30 min: with 8 attempts, tries at 0, 30 s, 1½, 3½, 7½, 15½, 31½, 61½ min."""
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 1800
    settings.NOTIFICATION_MAX_ATTEMPTS = 8

    delays = [notifications.retry_delay(attempt) for attempt in range(1, settings.NOTIFICATION_MAX_ATTEMPTS)]

    assert delays == [30, 60, 120, 240, 480, 960, 1800]
    tries_at = [sum(delays[:n]) for n in range(len(delays) + 1)]
    assert [round(t / 60, 1) for t in tries_at] == [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5]
    # A relay away for 10 minutes: five attempts fail, the sixth (after 15½ min) gets through.
    assert sum(t < 600 for t in tries_at) == 5
