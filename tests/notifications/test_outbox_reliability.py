"""Exactly once with one Message-ID, against a real SMTP server and a real Celery worker.

1. A worker process (`celery -A atmp worker`, production settings, on the test database) is killed with
   SIGKILL by the SMTP server itself, in its QUIT handler: the server has accepted the message, the worker
   has not yet marked the row sent. The sweep finds the attempt cut short and a new worker sends it again:
   the server holds two copies with ONE Message-ID (receivers keep one) and the row ends sent.
2. The relay refuses for a while (connection refused, 451 at DATA, 554 at MAIL FROM, then silence until the
   client times out) and then accepts: every message arrives exactly once, with its Message-ID, after the
   back-off stored on its row, which a network admin sees in the outbox. The real schedule (30 s doubling to
   30 min, 8 attempts) is compressed to a base of 0.2 s: the outage here stands for about ten minutes.
"""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from accounts.factories import UserFactory
from atmp.celery import app as celery_app
from courses.centres import network_admins
from enrolment import notifications, services
from enrolment.models import OutboxMessage

from . import test_pipeline as pipeline

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
Status = OutboxMessage.Status

# The in-process worker and its helpers from the pipeline tests (`worker` asks for our `smtp` below).
worker = pipeline.worker
wait_for = pipeline.wait_for
settle = pipeline.settle


class Relay(pipeline.Sink):
    """The sink, plus the ways a relay lets us down: `mode` is "accept", "451" (at DATA), "554" (at MAIL FROM)
    or "hang" (says nothing after the greeting until long after the client gave up); `kill_on_accept` is a
    process group to SIGKILL once a message is accepted, before the client hears so (a worker keeps its connection
    open for the next message, so it would not say QUIT)."""

    def __init__(self, hang_seconds=3.0):
        super().__init__()
        self.mode = "accept"
        self.refused = {"451": 0, "554": 0, "hang": 0}
        self.hang_seconds = hang_seconds
        self.kill_on_accept = None

    def _refusing(self, mode):
        with self.lock:
            if self.mode != mode:
                return False
            self.refused[mode] += 1
            return True

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self._refusing("hang"):
            await asyncio.sleep(self.hang_seconds)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._refusing("554"):
            return "554 5.7.1 Relay temporarily out of service"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._refusing("451"):
            return "451 4.3.0 try again later"
        reply = await super().handle_DATA(server, session, envelope)
        if process := self.kill_on_accept:
            self.kill_on_accept = None
            os.killpg(process.pid, signal.SIGKILL)  # before "250": the worker never learns the outcome
            process.wait(timeout=30)
        return reply

    def message_ids(self):
        with self.lock:
            return [(message["X-ATMP-Message"], message["Message-ID"]) for message in self.received]


@pytest.fixture
def smtp(settings):
    """A relay on a free port that is not listening yet (`smtp.start()`): until then, connection refused."""
    relay = Relay()
    relay.port = pipeline.free_port()
    relay.controller = None

    def start():
        relay.controller = Controller(relay, hostname="127.0.0.1", port=relay.port)
        relay.controller.start()

    relay.start = start
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = relay.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 1.0
    yield relay
    if relay.controller:
        relay.controller.stop()


def rows():
    return list(OutboxMessage.objects.order_by("pk"))


# --- 1. A worker killed between the server's reply and the commit ----------------------------------------------


class WorkerProcess:
    """`celery -A atmp worker` (solo pool: the task runs in this process) with production settings, on the test
    database, the tests' broker and the relay; in a session of its own so it can be killed as a group."""

    def __init__(self, broker_url, relay, name):
        db = {key: connection.settings_dict[key] or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
        self.name = f"{name}{os.getpid()}@outbox-test"
        self.var_dir = tempfile.mkdtemp(prefix="outbox-worker-")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "atmp.settings.production",
            "SECRET_KEY": "test-only-not-secret",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker_url,
            "EMAIL_HOST": "127.0.0.1",
            "BASE_URL": "https://kurser.example.se",
            "DEFAULT_FROM_EMAIL": "ATMP-kurser <kurser@example.se>",
            "EMAIL_PORT": str(relay.port),
            "EMAIL_USE_TLS": "false",
            "VAR_DIR": self.var_dir,
            "CELERY_SKIP_CHECKS": "1",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
        self.log = tempfile.NamedTemporaryFile(prefix="outbox-worker-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = None

    def __enter__(self):
        command = [
            *(sys.executable, "-m", "celery", "-A", "atmp", "worker", "-P", "solo", "-n", self.name),
            *("-Q", pipeline.QUEUE, "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"),
        ]
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log_text()}")
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return self
        raise AssertionError(f"the worker did not answer a ping within 90 s:\n{self.log_text()}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def log_text(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-4000:]


@pytest.mark.postgres
def test_a_worker_killed_after_the_server_accepted_the_message_leaves_one_message_id(
    person, occasion, broker, smtp, settings
):
    smtp.start()
    anna = person("sv")

    with WorkerProcess(pipeline.broker_url(), smtp, "first") as first:
        smtp.kill_on_accept = first.process
        enrolment = services.enrol(anna, occasion.pk)  # commits; the first worker sends, the server kills it
        wait_for(lambda: first.process.poll() is not None, timeout=60, what="the worker to be killed")
        assert first.process.returncode == -signal.SIGKILL

    (message,) = rows()
    assert message.enrolment_id == enrolment.pk
    assert smtp.message_ids() == [(message.key, message.message_id)]  # the server has it ...
    assert message.status == Status.QUEUED  # ... the row does not know
    assert message.attempts == 1
    assert message.attempt_started_at is not None  # but it shows an attempt was under way

    settings.NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS = 0  # time enough has passed for the attempt to finish
    with WorkerProcess(pipeline.broker_url(), smtp, "second"):
        assert notifications.sweep() == 1
        message = pipeline.row_when(message.pk, lambda m: m.status == Status.SENT)

    # Two copies at the server, one message to the receiver: they share the Message-ID of the first attempt.
    assert smtp.message_ids() == [(message.key, message.message_id)] * 2
    assert message.attempts == 2
    assert message.last_error == ""
    assert message.attempt_started_at is None
    assert notifications.sweep() == 0


# --- 2. The relay refuses or times out for a while --------------------------------------------------------------


def wait_until_every_row(condition, what, timeout=60):
    return wait_for(lambda: all(condition(m) for m in rows()), timeout=timeout, what=what)


def test_a_relay_away_for_a_while_loses_nothing_and_sends_nothing_twice(
    person, occasion, worker, smtp, settings, client
):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2  # 30 s in production: 150 times faster
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 12  # 30 min
    settings.NOTIFICATION_MAX_ATTEMPTS = 8
    people = [person("sv"), person("en"), person("sv")]

    for someone in people:  # two seats: two confirmations and a waiting-list mail
        services.enrol(someone, occasion.pk)

    # Nothing listens on the relay's port.
    wait_until_every_row(lambda m: m.last_error.startswith("ConnectionRefusedError"), "refused connections")
    assert {m.kind for m in rows()} == {OutboxMessage.Kind.CONFIRMED, OutboxMessage.Kind.WAITLISTED}

    # The relay is up but says no, three ways, each until it has turned down as many attempts as there are
    # messages; the rows wait in between, each with its next attempt time.
    smtp.mode = "451"
    smtp.start()
    seen_waiting = []
    for mode in ("451", "554", "hang"):
        smtp.mode = mode

        def refused_enough(mode=mode):
            waiting = [m for m in rows() if m.next_attempt_at and m.attempt_started_at is None]
            seen_waiting.extend(waiting)
            return smtp.refused[mode] >= len(people)

        wait_for(refused_enough, timeout=60, what=f"the relay to refuse ({mode})")
    assert seen_waiting and all(m.status == Status.QUEUED and m.last_error for m in seen_waiting)
    assert all(m.next_attempt_at > m.last_attempt_at for m in seen_waiting)

    # An admin looks at the outbox meanwhile: queued, the attempts so far, the error and the next attempt.
    admin = UserFactory(email="natverksadmin@example.se", is_staff=True)
    network_admins().user_set.add(admin)
    client.force_login(admin)
    page = client.get("/admin/outbox/")
    assert page.status_code == 200
    assert "Next attempt" in page.content.decode() or "Nästa försök" in page.content.decode()

    smtp.mode = "accept"
    wait_until_every_row(lambda m: m.status != Status.QUEUED, "every message to be sent", timeout=90)
    settle(worker)

    messages = rows()
    assert [m.status for m in messages] == [Status.SENT] * len(people)
    assert all(2 <= m.attempts <= settings.NOTIFICATION_MAX_ATTEMPTS for m in messages)
    # Exactly once each, with the Message-ID the row was given when it was written.
    assert sorted(smtp.message_ids()) == sorted((m.key, m.message_id) for m in messages)
    assert notifications.sweep() == 0
