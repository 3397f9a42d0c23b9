"""Soak: 20 minutes of mixed browsing, enrolment, cancellation and export at a steady rate, against gunicorn
(2 sync workers, production settings), PostgreSQL, Redis, a real Celery worker and an SMTP sink.

What it proves is flatness, so the ceiling is the run's own first minute: memory per gunicorn worker and of the
Celery worker, PostgreSQL connections, and p95 latency, at the start and at the end, printed with their ratio.
Every minute prints its own line (requests, p95, 5xx), so a slow leak or a creeping latency shows as a trend.

    .venv/bin/python bench/soak.py [--minutes 20] [--rate 12] [--clients 8]
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import http.client
import os
import re
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, BenchEnv, database_name, free_port, in_second_process  # noqa: E402
from enrolment_rush import logged_in_sessions  # noqa: E402

CSRF_CHARS = string.ascii_letters + string.digits
# What a minute of traffic is made of: (kind, weight). Pages dominate, as they do in real life.
MIX = [
    ("catalogue", 30),
    ("course", 25),
    ("catalogue_filtered", 10),
    ("my_courses", 10),
    ("enrol_or_cancel", 20),
    ("export", 5),
]


def build(people, occasions):
    """A catalogue of courses with occasions large enough that people can enrol and cancel all run long, the
    people (logged in), and a network admin who exports."""
    import logging

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    logging.getLogger("wagtail").setLevel(logging.WARNING)  # a line per page saved otherwise

    from accounts.models import Profession, User
    from catalogue.setup import ensure_site
    from courses.factories import AudienceFactory, CentreFactory, OccasionFactory, create_course

    site = ensure_site()
    centre = CentreFactory(name="ATMP-centrum Region Uppsala", slug="uppsala", city="Uppsala")
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=[Profession.NURSE])
    profession = Profession.NURSE
    occasion_ids = []
    for number in range(occasions):
        course = create_course(
            site.catalogue["sv"],
            title=f"Soak-kurs {number}: CAR-T-cellsbehandling",
            summary="Praktisk kunskap om cell- och genterapi för vården.",
            centres=[centre],
            audiences=[nurses],
        )
        occasion = OccasionFactory(course=course, capacity=people // 2, start=timezone.now() + dt.timedelta(days=30))
        occasion_ids.append(occasion.pk)
    password = make_password("bench-password")
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"soak{number}@bench.example",
                password=password,
                first_name="Soak",
                last_name=f"Nummer {number}",
                profession=profession,
                workplace="Akademiska sjukhuset",
                region="uppsala",
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                privacy_accepted_at=now,
            )
            for number in range(people)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    admin = User.objects.create(email="admin@bench.example", is_staff=True, is_superuser=True, password=password)
    sessions = logged_in_sessions([*users, admin])
    return {
        "course_paths": [page.url for page in _live_courses()],
        "occasions": occasion_ids,
        "sessions": sessions[:-1],
        "admin_session": sessions[-1],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def _live_courses():
    from courses.models import CoursePage

    return CoursePage.objects.live().filter(locale__language_code="sv")


# --- The load: a second process, paced clients ------------------------------------------------------------


def soak_load(port, plan, minutes, rate, clients, seed=7):
    """Send `rate` requests per second in all from `clients` paced threads for `minutes`; per-minute samples."""
    import random

    rng = random.Random(seed)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    sessions = list(plan["sessions"])
    rng.shuffle(sessions)
    per_client_people = [sessions[index::clients] for index in range(clients)]
    interval = clients / rate
    begin = time.monotonic()
    end = begin + minutes * 60
    samples = [[] for _ in range(clients)]

    def cookie(session, csrf=None):
        parts = [f"{plan['session_cookie']}={session}"]
        if csrf:
            parts.append(f"{plan['csrf_cookie']}={csrf}")
        return "; ".join(parts)

    def client(index):
        local = random.Random(seed + index)
        people = per_client_people[index]
        held = {}  # session -> enrolment detail path, for the people this client has enrolled
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        due = begin + local.random() * interval
        while True:
            now = time.monotonic()
            if due > end:
                break
            if due > now:
                time.sleep(due - now)
            due += interval
            kind = local.choice(kinds)
            person = local.choice(people)
            headers = {}
            method, path, body = "GET", "/sv/kurser/", None
            if kind == "course":
                path = local.choice(plan["course_paths"])
            elif kind == "catalogue_filtered":
                path = local.choice(["/en/courses/?q=CAR-T", "/sv/kurser/?free=on", "/sv/kurser/?q=genterapi"])
            elif kind == "my_courses":
                path, headers = "/sv/my-courses/", {"Cookie": cookie(person)}
            elif kind == "export":
                occasion = local.choice(plan["occasions"])
                path = f"/admin/enrolments/?occasion={occasion}&export=csv"
                headers = {"Cookie": cookie(plan["admin_session"])}
            elif kind == "enrol_or_cancel":
                csrf = "".join(local.choice(CSRF_CHARS) for _ in range(32))
                headers = {
                    "Cookie": cookie(person, csrf),
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                method, body = "POST", f"csrfmiddlewaretoken={csrf}&confirm=1".encode()
                if person in held:
                    path = held.pop(person).rstrip("/") + "/cancel/"
                    kind = "cancel"
                else:
                    path = f"/sv/enrol/{local.choice(plan['occasions'])}/"
                    kind = "enrol"
            started = time.monotonic()
            location = ""
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                location = response.getheader("Location") or ""
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            if kind == "enrol" and status == 302 and (match := re.search(r"/my-courses/(\d+)/", location)):
                held[person] = f"/sv/my-courses/{match.group(1)}/"
            samples[index].append((started - begin, time.monotonic() - started, status, kind))
        conn.close()

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [sample for per_client in samples for sample in per_client]


# --- Processes and what they hold ----------------------------------------------------------------------------


def rss_mb(pid):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid):
    with contextlib.suppress(OSError):
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


def database_connections(database):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
        return cursor.fetchone()[0]


def snapshot(server, worker, database):
    return {
        "gunicorn workers (MB)": [round(rss_mb(pid), 1) for pid in children(server.process.pid)],
        "celery worker (MB)": round(sum(rss_mb(pid) for pid in [worker.pid, *children(worker.pid)]), 1),
        "PostgreSQL connections": database_connections(database),
    }


def smtp_sink(port, counter_path):
    """An aiosmtpd server in a second process that only counts what it receives (in a file, for the report)."""
    from aiosmtpd.controller import Controller

    class Counter:
        received = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            Counter.received += 1
            Path(counter_path).write_text(str(Counter.received))
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(asyncio.Event().wait())


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "20")))
    parser.add_argument("--rate", type=float, default=12.0, help="requests per second, all kinds together")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--occasions", type=int, default=6)
    parser.add_argument("--database", default=database_name("soak"))
    args = parser.parse_args()

    bench = BenchEnv(args.database)
    smtp_port = free_port()
    counter = Path(tempfile.mkdtemp(prefix="soak-smtp-")) / "received"
    mail_env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "NOTIFICATION_SWEEP_AFTER_SECONDS": "30"}
    sink = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(REPO / 'bench')!r}); import soak; "
            f"soak.smtp_sink({smtp_port}, {str(counter)!r})",
        ],
        cwd=REPO,
        start_new_session=True,
    )
    worker = None
    try:
        bench.prepare()
        started = time.perf_counter()
        plan = build(args.people, args.occasions)
        bench.analyze()
        print(f"{args.people} people, {args.occasions} courses in {time.perf_counter() - started:.1f} s")
        log = tempfile.NamedTemporaryFile(prefix="soak-worker-", suffix=".log", delete=False)  # noqa: SIM115
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "atmp",
                "worker",
                "--beat",
                "--concurrency=1",
                "--loglevel=WARNING",
                f"--schedule={tempfile.mkdtemp(prefix='soak-beat-')}/schedule",
            ],
            cwd=REPO,
            env={**bench.env, **mail_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with bench.gunicorn(**mail_env) as server:
            warm = in_second_process(soak_load, server.port, plan, 0.25, args.rate, args.clients)
            before = snapshot(server, worker, args.database)
            samples = in_second_process(soak_load, server.port, plan, args.minutes, args.rate, args.clients)
            after = snapshot(server, worker, args.database)
            tracebacks = server.server_errors()
        time.sleep(5)
        from enrolment.models import OutboxMessage

        queued = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).count()
        messages = OutboxMessage.objects.count()
        received = int(counter.read_text()) if counter.exists() else 0

        print()
        print(
            f"Soak: {args.minutes:g} min at {args.rate:g} req/s from {args.clients} clients, gunicorn -w 2 (sync), "
            f"PostgreSQL, Redis, one Celery worker, SMTP sink (warm-up: {len(warm)} requests)"
        )
        print(f"{'minute':>6} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'5xx':>5}  kinds")
        minutes = int(args.minutes + 0.999)
        p95s = []
        for minute in range(minutes):
            rows = [s for s in samples if minute * 60 <= s[0] < (minute + 1) * 60]
            latencies = [latency for _start, latency, _status, _kind in rows]
            errors = sum(status >= 500 or status == 0 for _start, _latency, status, _kind in rows)
            kinds = {}
            for _start, _latency, _status, kind in rows:
                kinds[kind] = kinds.get(kind, 0) + 1
            p95 = percentile(latencies, 95) * 1000
            p95s.append(p95)
            print(
                f"{minute + 1:6d} {len(rows):8d} {len(rows) / 60:7.1f} {percentile(latencies, 50) * 1000:8.1f} "
                f"{p95:8.1f} {errors:5d}  {' '.join(f'{k}={v}' for k, v in sorted(kinds.items()))}"
            )
        print()
        print(f"{'':28} {'start':>24} {'end':>24} {'end/start':>10}")
        for name in before:
            start, end = before[name], after[name]
            total_start = sum(start) if isinstance(start, list) else start
            total_end = sum(end) if isinstance(end, list) else end
            ratio = total_end / total_start if total_start else float("nan")
            print(f"{name:28} {start!s:>24} {end!s:>24} {ratio:10.2f}")
        print(f"{'p95 (ms), first/last minute':28} {p95s[0]:>24.1f} {p95s[-1]:>24.1f} {p95s[-1] / p95s[0]:10.2f}")
        statuses = {}
        for _start, _latency, status, _kind in samples:
            statuses[status] = statuses.get(status, 0) + 1
        errors = sum(count for status, count in statuses.items() if status >= 500 or status == 0)
        print(f"responses: {dict(sorted(statuses.items()))}; server tracebacks: {tracebacks}")
        print(f"mail: {messages} outbox messages, {queued} not (yet) sent, {received} received by the sink")
        checks = [
            ("no 5xx or dropped connections", errors == 0),
            ("no server tracebacks", tracebacks == 0),
        ]
        for description, passed in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {description}")
        return 0 if all(passed for _d, passed in checks) else 1
    finally:
        for process in (worker, sink):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        bench.drop()


if __name__ == "__main__":
    sys.exit(main())
