"""The real pipeline: a commit enqueues on Redis, a real Celery worker sends over SMTP to a real server.

An aiosmtpd server runs in this process on a free port and records what it accepts (or refuses, on
purpose); a Celery worker runs in a thread of this process (`start_worker`) on a Redis database of its
own, flushed before and after each test. The worker shares the test database, so the tests commit
(`transaction=True`) and wait for the worker's work to show.
"""

import email
import os
import socket
import threading
import time
from email import policy
from urllib.parse import urlparse, urlunparse

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import signals
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.conf import settings as django_settings
from django.db import OperationalError, connection

from atmp.celery import app as celery_app
from enrolment import notifications, services
from enrolment.models import OutboxMessage
from enrolment.tasks import send_outbox_message

from .conftest import SV_TITLE, only_event, parse_calendar

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: publishing fails at once
QUEUE = "celery"


def broker_url():
    """Redis database 14 (TEST_BROKER_DB, so suites run side by side don't share it) on the server REDIS_URL
    names: the tests' own, flushed before and after."""
    database = os.environ.get("TEST_BROKER_DB", "14")
    return urlunparse(urlparse(django_settings.REDIS_URL or "redis://127.0.0.1:6379/0")._replace(path=f"/{database}"))


# --- An SMTP server --------------------------------------------------------------------------------------


class Sink:
    """aiosmtpd handler: keeps what it accepts; refuses the first `refuse_data` messages with a 451, or every
    recipient with `refuse_rcpt` (a permanent 550)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []  # email.message.EmailMessage, in arrival order
        self.data_attempts = 0
        self.refuse_data = 0
        self.refuse_rcpt = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_attempts += 1
            if self.refuse_data > 0:
                self.refuse_data -= 1
                return "451 4.3.0 try again later"
            self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Ok: queued"

    def keys(self):
        with self.lock:
            return [message["X-ATMP-Message"] for message in self.received]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    controller.stop()


# --- A Celery worker ---------------------------------------------------------------------------------------


def use_broker(url):
    """Point the app at another broker; drop the cached producer pools that remember the old one."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def keep_logging(**kwargs):
    return None


@pytest.fixture
def worker(transactional_db, smtp, settings, monkeypatch):
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the worker's Django system checks: seconds, nothing to learn
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    settings.NOTIFICATION_SEND_BATCH = 20  # as in production: a task also sends other due messages
    url = broker_url()
    broker = redis.Redis.from_url(url)
    broker.flushdb()
    overrides = {
        "broker_url": url,
        "task_always_eager": False,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": False,
    }
    saved = {key: celery_app.conf[key] for key in overrides}
    celery_app.conf.update(overrides)
    use_broker(url)
    # A receiver of `setup_logging` tells Celery to leave logging alone (else it sets the root logger to the
    # worker's level, ERROR, for the rest of the session and caplog sees nothing).
    signals.setup_logging.connect(keep_logging)
    # Two threads on PostgreSQL (row locks keep concurrent sends apart); SQLite's shared in-memory test
    # database takes one writer at a time, so one.
    threads = 2 if connection.vendor == "postgresql" else 1
    worker_state.reset_state()
    running = None
    try:
        with start_worker(celery_app, pool="threads", concurrency=threads, perform_ping_check=False) as running:
            running.broker = broker
            yield running
    finally:
        # The test worker stops consuming but leaves its thread pool's threads waiting: end them.
        if executor := getattr(getattr(running, "pool", None), "executor", None):
            executor.shutdown(wait=True)
        worker_state.reset_state()  # requests a stopped worker still held (a retry waiting for its time)
        signals.setup_logging.disconnect(keep_logging)
        celery_app.conf.update(saved)
        use_broker(saved["broker_url"])
        broker.flushdb()
        broker.close()


def wait_for(condition, timeout=15.0, what="the pipeline"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OperationalError:  # SQLite: the worker holds the write lock for a moment
            result = None
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def settle(worker, quiet=0.3):
    """Wait until nothing is queued on the broker or held by the worker (also retries waiting for their
    time), and it stays so for `quiet` seconds: whatever would still arrive has arrived."""

    def idle():
        return (
            not worker_state.active_requests
            and not worker_state.reserved_requests
            and worker.broker.llen(QUEUE) == 0
            and not worker.broker.hlen("unacked")
        )

    calm_since = None
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if idle():
            calm_since = calm_since or time.monotonic()
            if time.monotonic() - calm_since >= quiet:
                return
        else:
            calm_since = None
        time.sleep(0.02)
    raise AssertionError("the worker never became idle")


def row(pk):
    return OutboxMessage.objects.get(pk=pk)


def row_when(pk, condition):
    """The outbox row once `condition` holds for it."""

    def check():
        message = row(pk)
        return message if condition(message) else None

    return wait_for(check, what=f"outbox row {pk}")


def calendar_part(message):
    (part,) = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return part


# --- Tests --------------------------------------------------------------------------------------------------


def test_the_confirmation_arrives_once_with_a_valid_invitation(person, occasion, worker, smtp):
    anna = person("sv", first_name="Anna")

    enrolment = services.enrol(anna, occasion.pk)  # commits; the task is on Redis after the commit

    wait_for(smtp.keys, what="the e-mail")
    settle(worker)
    (received,) = smtp.received
    message = OutboxMessage.objects.get(enrolment=enrolment)
    assert received["X-ATMP-Message"] == message.key
    assert received["To"] == anna.email
    assert received["Subject"].strip() == f"Anmälan bekräftad: {SV_TITLE}"  # folded: a space after "Subject:"
    assert "Hej Anna!" in received.get_body(("plain",)).get_content()
    assert '<html lang="sv">' in received.get_body(("html",)).get_content()
    part = calendar_part(received)
    assert part.get_filename() == "invite.ics"
    assert part.get_param("method") == "REQUEST"
    calendar = parse_calendar(part.get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == occasion.ical_uid
    assert event.decoded("DTSTART") == occasion.start
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Stockholm"
    assert str(event["ATTENDEE"]) == f"mailto:{anna.email}"
    message = row_when(message.pk, lambda m: m.status == OutboxMessage.Status.SENT)
    assert message.attempts == 1


def test_broker_down_at_commit_the_sweep_sends_it_later_exactly_once(person, occasion, worker, smtp, settings, caplog):
    anna = person("en")
    use_broker(DEAD_BROKER)
    try:
        enrolment = services.enrol(anna, occasion.pk)  # the enrolment commits; the enqueue after it fails
    finally:
        use_broker(broker_url())
    message = OutboxMessage.objects.get(enrolment=enrolment)
    assert f"Broker unavailable; outbox message {message.pk} waits for the sweep" in caplog.text
    settle(worker)
    assert smtp.received == []
    assert row(message.pk).status == OutboxMessage.Status.QUEUED
    assert row(message.pk).attempts == 0

    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 0
    assert notifications.sweep() == 1
    notifications.sweep()  # the beat job again before the worker got to it: at most a second task

    wait_for(smtp.keys, what="the swept e-mail")
    settle(worker)
    assert smtp.keys() == [message.key]
    assert row(message.pk).status == OutboxMessage.Status.SENT
    assert notifications.sweep() == 0


def test_the_same_task_delivered_twice_sends_one_email(person, occasion, worker, smtp, monkeypatch):
    monkeypatch.setattr(notifications, "enqueue", lambda message_id: None)  # we deliver the task ourselves
    anna = person("sv")
    enrolment = services.enrol(anna, occasion.pk)
    message = OutboxMessage.objects.get(enrolment=enrolment)

    send_outbox_message.delay(message.pk)
    send_outbox_message.delay(message.pk)

    wait_for(smtp.keys, what="the e-mail")
    settle(worker)
    assert smtp.keys() == [message.key]
    message = row(message.pk)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_a_server_that_says_try_again_gets_the_message_on_a_later_attempt(person, occasion, worker, smtp, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 5
    smtp.refuse_data = 2
    anna = person("sv")

    enrolment = services.enrol(anna, occasion.pk)
    message = OutboxMessage.objects.get(enrolment=enrolment)

    # Between the first and the second attempt (attempts counts an attempt from its start).
    waiting = row_when(message.pk, lambda m: m.attempts == 1 and m.attempt_started_at is None)
    assert waiting.status == OutboxMessage.Status.QUEUED
    assert waiting.last_error == "SMTPDataError: (451, b'4.3.0 try again later')"
    assert waiting.next_attempt_at > waiting.last_attempt_at
    wait_for(smtp.keys, what="the e-mail after the retries")
    settle(worker)
    assert smtp.keys() == [message.key]
    assert smtp.data_attempts == 3
    message = row_when(message.pk, lambda m: m.status == OutboxMessage.Status.SENT)
    assert message.attempts == 3
    assert message.last_error == ""


def test_a_permanent_refusal_fails_with_the_reason_on_the_row(person, occasion, worker, smtp, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 5
    smtp.refuse_rcpt = "550 5.1.1 Recipient address rejected: User unknown"
    anna = person("sv")

    enrolment = services.enrol(anna, occasion.pk)
    message = OutboxMessage.objects.get(enrolment=enrolment)

    message = row_when(message.pk, lambda m: m.status == OutboxMessage.Status.FAILED)
    settle(worker)
    assert message.attempts == 1  # 5xx: no point trying again
    assert "SMTPRecipientsRefused" in message.last_error
    assert "550" in message.last_error and "User unknown" in message.last_error
    assert smtp.received == []


def test_no_mail_server_at_all_retries_then_fails(person, occasion, worker, smtp, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.05
    settings.EMAIL_PORT = free_port()  # nothing listens there
    anna = person("sv")

    enrolment = services.enrol(anna, occasion.pk)
    message = OutboxMessage.objects.get(enrolment=enrolment)

    message = row_when(message.pk, lambda m: m.status == OutboxMessage.Status.FAILED)
    settle(worker)
    assert message.attempts == 3
    assert message.last_error.startswith("ConnectionRefusedError")
    assert smtp.data_attempts == 0
