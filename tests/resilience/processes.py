"""Real processes for the resilience tests: a redis-server of our own, gunicorn with production settings, a
Celery worker with beat, an SMTP sink, a TCP proxy in front of PostgreSQL that can be cut, and a small HTTP
client that keeps its cookies by hand (production marks them Secure; the tests speak plain HTTP).

Every process runs in its own session and is ended by its own id, never by name.
"""

import contextlib
import email
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from bench.common import Gunicorn, free_port

REPO = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"


def wait_until(condition, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stop_group(process, timeout=15):
    """End a process started with start_new_session=True, and its children."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Redis -----------------------------------------------------------------------------------------------


class RedisServer:
    """redis-server on a free port, without persistence: stopping it loses everything, like a restart."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", HOST, "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.answers, 10, f"redis-server on port {self.port}", interval=0.02)
        return self

    def answers(self):
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        stop_group(self.process)
        self.process = None

    def pause(self):
        """SIGSTOP: the server keeps its data and its port but answers nothing (a network partition)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


# --- SMTP --------------------------------------------------------------------------------------------------


class Sink:
    """An SMTP server (aiosmtpd, in this process) that keeps every message it accepts."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received = []
        self.controller = Controller(self, hostname=HOST, port=free_port())

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 Ok: queued"

    def keys(self):
        """The outbox key of each message received, in arrival order (duplicates kept)."""
        with self.lock:
            return [message["X-ATMP-Message"] for message in self.received]

    @property
    def port(self):
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


# --- Django in other processes --------------------------------------------------------------------------


_static_root = None


def collected_static():
    """Production settings keep a manifest of the static files: collect them once per test session."""
    global _static_root
    if _static_root is None:
        root = tempfile.mkdtemp(prefix="atmp-resilience-static-")
        # Production settings demand PostgreSQL and Redis addresses; collectstatic connects to neither.
        env = {
            **base_env(database_url="postgres://unused@127.0.0.1:1/unused", redis_url="redis://127.0.0.1:1/0"),
            "BENCH_STATIC_ROOT": root,
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _static_root = root
    return _static_root


def shared_database_url(port=None):
    """The test database, as other processes reach it (through a proxy on `port` if given)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{HOST}:{port or db['PORT'] or 5432}/{db['NAME']}"


def base_env(*, database_url, redis_url, **extra):
    """Everything production settings need (and will need), for gunicorn and the worker alike."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "PYTEST_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",  # production, with the static files collected elsewhere
            "BENCH_STATIC_ROOT": _static_root or "",
            # The test process's key: its sessions (written straight to the database) must be valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "BASE_URL": "https://kurser.example.se",
            "DEFAULT_FROM_EMAIL": "ATMP Courses <kurser@example.se>",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": "25",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "DOCUMENTS_ROOT": settings.DOCUMENTS_ROOT,
            "PYTHONPATH": str(REPO),
            "CELERY_SKIP_CHECKS": "1",
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextlib.contextmanager
def gunicorn(env, workers=2):
    server = Gunicorn(env, workers=workers, port=free_port())
    try:
        server.start(timeout=90)
        yield server
    finally:
        server.stop()
        server.discard_log()  # kept (and its path printed) when it holds tracebacks


class WorkerProcess:
    """`celery -A atmp worker --beat` (threads), as `make worker` runs it, in its own session."""

    def __init__(self, env):
        self.env = env
        self.dir = Path(tempfile.mkdtemp(prefix="atmp-resilience-worker-"))
        self.log_path = self.dir / "worker.log"
        self.process = None

    def start(self):
        command = [
            *(sys.executable, "-m", "celery", "-A", "atmp", "worker", "--beat", "--pool", "threads"),
            *("--concurrency", "2", "--loglevel", "INFO", "--schedule", str(self.dir / "beat-schedule")),
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: "ready." in self.log(), 60, "the Celery worker")
        return self

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self):
        stop_group(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- A TCP proxy in front of PostgreSQL --------------------------------------------------------------------


class TcpProxy:
    """Forwards a local port to PostgreSQL. `cut()` drops every connection and refuses new ones (what the
    app sees while the database restarts); `restore()` lets connections through again."""

    def __init__(self, target_port):
        self.target = (HOST, target_port)
        self.listener = socket.create_server((HOST, 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.stopping = False
        self.lock = threading.Lock()
        self.pairs = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _accept(self):
        self.listener.settimeout(0.1)
        while not self.stopping:
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.open.is_set():
                client.close()  # the server is "restarting": the connection is refused at once
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, client, upstream):
        sockets = [client, upstream]
        try:
            while not self.stopping:
                readable, _, _ = select.select(sockets, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.close()
            with self.lock, contextlib.suppress(ValueError):
                self.pairs.remove((client, upstream))

    def cut(self):
        self.open.clear()
        with self.lock:
            pairs = list(self.pairs)
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def restore(self):
        self.open.set()

    def stop(self):
        self.stopping = True
        self.cut()
        self.listener.close()
        self.thread.join(timeout=2)


# --- An HTTP client ------------------------------------------------------------------------------------------


class Visitor:
    """A browser without JavaScript: keeps its cookies by hand (production sets them Secure, the tests use plain
    HTTP), sends the CSRF token with every POST, never follows redirects."""

    def __init__(self, port, accept_language="sv"):
        self.base = f"http://{HOST}:{port}"
        self.cookies = {}
        self.headers = {"Accept-Language": accept_language}

    def on(self, port):
        """The same person (same cookies) on another web process."""
        other = Visitor(port, self.headers["Accept-Language"])
        other.cookies = self.cookies
        return other

    def _keep(self, response):
        for cookie in response.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        return response

    def get(self, path, **kwargs):
        return self._keep(
            requests.get(
                self.base + path,
                cookies=self.cookies,
                headers=self.headers,
                allow_redirects=False,
                timeout=30,
                **kwargs,
            )
        )

    def post(self, path, data=None, files=None):
        data = {"csrfmiddlewaretoken": self.cookies.get(settings.CSRF_COOKIE_NAME, ""), **(data or {})}
        return self._keep(
            requests.post(
                self.base + path,
                data=data,
                files=files,
                cookies=self.cookies,
                headers=self.headers,
                allow_redirects=False,
                timeout=30,
            )
        )

    def log_in(self, email_address, password):
        self.get("/sv/accounts/login/")  # the CSRF cookie
        response = self.post("/sv/accounts/login/", {"login": email_address, "password": password})
        assert response.status_code == 302, response.text[:2000]
        return response


def form_fields(html, form_marker):
    """The named inputs of the first form whose opening tag contains `form_marker` (name -> value)."""
    start = html.index(form_marker)
    form = html[html.rfind("<form", 0, start) : html.index("</form>", start)]
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and ("checkbox" not in tag or "checked" in tag):
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


PASSWORD = "Kurs-lösenord-2026"


def person(email_address, **fields):
    """Someone who may enrol and can log in with PASSWORD on production settings."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

    from tests.enrolment.conftest import make_participant

    user = make_participant(email=email_address, **fields)
    # Production checks passwords with PBKDF2 (the tests' own settings hash with MD5, which it does not know).
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save(update_fields=["password"])
    return user


def session_for(user):
    """A session key for `user`, logged in as Django's login() leaves it, written to the database only."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
    )
    store.create()
    return store.session_key
