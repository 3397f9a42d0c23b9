"""Enrolment rush: 2,000 people try for 30 seats at once, over HTTP, against gunicorn (2 workers) on PostgreSQL.

Ceiling, measured in the same run: the seat decision alone (lock the occasion, count, insert) in raw SQL from
the same number of threads, against a second occasion. Then the invariants are checked in the database:
never more confirmed than seats, one enrolment per person, the waiting list in arrival order, no 5xx.

    .venv/bin/python bench/enrolment_rush.py [--attempts 2000] [--seats 30] [--concurrency 64] [--json results.json]

BENCH_PROFILE=server prints where the gunicorn workers' time goes during the rush (cProfile on CPU time, per package
and per function); BENCH_PROFILE=1 profiles one enrolment in-process instead (or a pstats key such as
BENCH_PROFILE=cumulative); both also sample what the workers' PostgreSQL connections are doing (idle, in a
transaction waiting for Python, waiting for the lock, flushing the commit). BENCH_PROFILE=sql prints the SQL
statements of one enrolment. Without it, the CPU time per attempt of the workers, PostgreSQL and the load
generator is printed anyway.
"""

import argparse
import datetime as dt
import json
import os
import pstats
import secrets
import shutil
import string
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    REPO,
    BackendCPU,
    BenchEnv,
    LoadResult,
    Request,
    Row,
    cpu_seconds,
    database_name,
    in_second_process,
    print_table,
    run_load,
)

PRETIX_RATE, PRETIX_P95 = 29, 3.0  # attempts/s and seconds: pretix, PostgreSQL + Redis + 2 gunicorn workers
CSRF_CHARS = string.ascii_letters + string.digits
# BENCH_PROFILE: 1 (or a pstats key such as "cumulative"): profile the in-process probe; server: profile the
# gunicorn workers during the rush; sql: print one enrolment's statements. Both profiles sample PostgreSQL too.
PROFILE = os.environ.get("BENCH_PROFILE", "0")
PROBE_PEOPLE = 25  # enrol in-process on a third occasion, to count queries and time one enrolment


@dataclass
class Scenario:
    path: str  # the rush occasion's enrol URL
    probe_path: str
    rush: object
    ceiling: object
    users: list  # the people in the rush
    sessions: list
    probe_sessions: list


def build(attempts, seats):
    """The site, one course with three occasions of `seats` seats (rush, ceiling, in-process probe), and
    `attempts` people ready to enrol (verified e-mail, complete profile, logged in), plus a few for the probe."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Profession, User
    from catalogue.setup import ensure_site
    from courses.factories import OccasionFactory, create_course

    site = ensure_site()
    course = create_course(site.catalogue["sv"], title="CAR-T-cellsbehandling för sjuksköterskor")
    rush = OccasionFactory(course=course, capacity=seats)
    ceiling = OccasionFactory(course=course, capacity=seats, start=rush.start + dt.timedelta(days=7))
    probe = OccasionFactory(course=course, capacity=seats, start=rush.start + dt.timedelta(days=14))
    profession = Profession.NURSE

    password = make_password("bench-password")  # one hash for all: hashing is slow by design
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"rush{number}@bench.example",
                password=password,
                first_name="Rush",
                last_name=f"Nummer {number}",
                profession=profession,
                workplace="Akademiska sjukhuset",
                region="uppsala",
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                privacy_accepted_at=now,
            )
            for number in range(attempts + PROBE_PEOPLE)
        ],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=1000
    )
    sessions = logged_in_sessions(users)
    return Scenario(
        path=f"/sv/enrol/{rush.pk}/",
        probe_path=f"/sv/enrol/{probe.pk}/",
        rush=rush,
        ceiling=ceiling,
        users=users[:attempts],
        sessions=sessions[:attempts],
        probe_sessions=sessions[attempts:],
    )


def logged_in_sessions(users):
    """A session key per user, logged in as Django's login() would leave it, written straight to the store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    data = [
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        for user in users
    ]
    if not issubclass(store_class, DatabaseStore):
        keys = []
        for values in data:
            store = store_class()
            store.update(values)
            store.create()
            keys.append(store.session_key)
        return keys
    # One INSERT for all instead of an existence check and an INSERT per session.
    model = store_class.get_model_class()
    encoder = store_class()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys = [get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789") for _ in data]
    model.objects.bulk_create(
        [
            model(session_key=key, session_data=encoder.encode(values), expire_date=expires)
            for key, values in zip(keys, data, strict=True)
        ],
        batch_size=1000,
    )
    if prefix := getattr(store_class, "cache_key_prefix", None):
        # cached_db: login() writes the session through to the cache, so a logged-in person's request finds it
        # there (the database is the fallback when the cache lost it).
        from django.core.cache import caches

        caches[settings.SESSION_CACHE_ALIAS].set_many(
            {prefix + key: values for key, values in zip(keys, data, strict=True)}, settings.SESSION_COOKIE_AGE
        )
    return keys


def enrol_requests(path, sessions):
    from django.conf import settings

    requests = []
    for key in sessions:
        csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))  # an unmasked secret is accepted as is
        headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        requests.append(Request("POST", path, headers, f"csrfmiddlewaretoken={csrf}".encode()))
    return requests


def sql_ceiling(database_url, occasion_id, user_ids, seats, seat_statuses, concurrency):
    """The seat decision alone, as the service makes it, in raw SQL from `concurrency` threads (own connections)."""
    import psycopg

    counter = iter(range(len(user_ids)))
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    per_thread = [[] for _ in range(concurrency)]

    def worker(samples):
        with psycopg.connect(database_url) as conn:
            barrier.wait()
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    break
                started = time.perf_counter()
                with conn.transaction():
                    conn.execute("SELECT id FROM courses_occasion WHERE id = %s FOR UPDATE", [occasion_id])
                    (taken,) = conn.execute(
                        "SELECT count(*) FROM enrolment_enrolment WHERE occasion_id = %s AND status = ANY(%s)",
                        [occasion_id, seat_statuses],
                    ).fetchone()
                    conn.execute(
                        "INSERT INTO enrolment_enrolment (occasion_id, user_id, status, answers, message, created_at,"
                        " updated_at, fee_vat, invoice_organisation, cost_centre, invoice_reference, fee_stands)"
                        " VALUES (%s, %s, %s, '{}', '', now(), now(), '', '', '', '', false)",
                        [occasion_id, user_ids[index], "confirmed" if taken < seats else "waiting"],
                    )
                samples.append((started, time.perf_counter() - started, 200))

    threads = [threading.Thread(target=worker, args=(samples,)) for samples in per_thread]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join()
    samples = [(start - begin, latency, status) for samples in per_thread for start, latency, status in samples]
    return LoadResult(samples, max(start + latency for start, latency, _ in samples))


def print_profile(stats, requests, where):
    """Own time per package (Django's ORM, psycopg, our apps...) per request, then the top functions."""
    groups = {}
    for (filename, _line, name), (_calls, _primitive, own, _cumulative, _callers) in stats.stats.items():
        if "site-packages/" in filename:
            parts = filename.split("site-packages/")[1].split("/")
            group = "/".join(parts[:3]) if parts[0] == "django" else parts[0]
        elif filename.startswith(str(REPO)):
            group = filename[len(str(REPO)) + 1 :]
        elif filename == "~":
            group = f"built-in {name}"
        else:
            group = "standard library"
        groups[group] = groups.get(group, 0) + own
    print(f"\nWhere a request's time goes ({where}, own time per request, ms):")
    for group, own in sorted(groups.items(), key=lambda item: -item[1])[:25]:
        print(f"  {own / requests * 1000:7.2f}  {group}")
    order = "tottime" if PROFILE in ("1", "server") else PROFILE  # or a pstats key such as "cumulative"
    stats.sort_stats(order).print_stats(40)


def own_backend_pid():
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.info.backend_pid


class BackendSampler(threading.Thread):
    """What the gunicorn workers' PostgreSQL connections are doing, sampled every few milliseconds during the rush:
    in a transaction waiting for the worker's Python ("idle in transaction"), waiting for the occasion lock,
    flushing the commit to disk, running a statement, or idle between requests."""

    def __init__(self, database_url, interval=0.005):
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.own_pid = own_backend_pid()  # Django's connections are per thread: this one is the main thread's
        self.counts = {}
        self.stop = threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self.stop.is_set():
                # The database's connections but this one and this process's Django connection: the workers'.
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND pid <> %s AND backend_type = 'client backend'",
                    [self.own_pid],
                ).fetchall()
                for state, wait_type, wait_event in rows:
                    what = f"waiting: {wait_type}/{wait_event}" if state == "active" and wait_type else state or "?"
                    self.counts[what] = self.counts.get(what, 0) + 1
                time.sleep(self.interval)

    def report(self):
        total = sum(self.counts.values()) or 1
        return ", ".join(
            f"{what} {count / total:.0%}" for what, count in sorted(self.counts.items(), key=lambda item: -item[1])
        )


def probe_in_process(requests):
    """Send the probe's enrol POSTs through Django in this process: round trips to the database per enrolment (all,
    and those made while the occasion is locked, up to COMMIT) and the mean time per enrolment."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def post(request):
        client.cookies.clear()
        for part in request.headers["Cookie"].split("; "):
            name, value = part.split("=", 1)
            client.cookies[name] = value
        response = client.post(request.path, data=request.body, content_type=request.headers["Content-Type"])
        if response.status_code != 302:
            raise RuntimeError(f"in-process enrol answered {response.status_code}")

    for request in requests[:3]:  # warm
        post(request)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        post(requests[3])
    if PROFILE == "sql":  # BENCH_PROFILE=sql: the statements of one enrolment
        print("\n".join(sql[:160] for sql in statements))
    # BEGIN and COMMIT go with the lock and the rows (enrolment.rows); where they do not, psycopg sends them
    # apart, past the execute wrappers: count them by hand.
    locked_at = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql or "atmp_lock_occasion(" in sql)
    apart = 0 if statements[locked_at].startswith("BEGIN;") else 1
    rest = requests[4:]
    profiler = None
    if PROFILE not in ("0", "sql", "server"):  # BENCH_PROFILE=1: where its time goes
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    for request in rest:
        post(request)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        print_profile(pstats.Stats(profiler), len(rest), "in-process")
        started = time.perf_counter() - elapsed
    per_enrolment = (time.perf_counter() - started) / len(rest) * 1000
    return len(statements) + 2 * apart, len(statements) - locked_at + apart, per_enrolment


def check_invariants(occasion, users, seats, result):
    """(description, passed) for each invariant of the rush occasion (the ceiling's occasion is not checked)."""
    from django.db.models import Count

    from enrolment.models import Enrolment

    rows = list(Enrolment.objects.filter(occasion=occasion).order_by("pk").values_list("user_id", "status"))
    statuses = [status for _user, status in rows]
    confirmed = statuses.count(Enrolment.Status.CONFIRMED)
    holding = sum(status in Enrolment.SEAT_STATUSES for status in statuses)
    per_user = dict(
        Enrolment.objects.filter(occasion=occasion)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    once = sum(per_user.get(user.pk) == 1 for user in users)
    first_waiting = statuses.index(Enrolment.Status.WAITING) if Enrolment.Status.WAITING in statuses else len(statuses)
    in_order = all(status == Enrolment.Status.CONFIRMED for status in statuses[:first_waiting]) and all(
        status == Enrolment.Status.WAITING for status in statuses[first_waiting:]
    )
    server_errors = sum(status >= 500 or status == 0 for _start, _latency, status in result.samples)
    return [
        (
            f"confirmed == seats: {confirmed} confirmed, {holding} holding seats, {seats} seats",
            confirmed == holding == seats,
        ),
        (
            f"each person exactly one enrolment: {once} of {len(users)} ({len(rows)} rows)",
            once == len(users) == len(rows),
        ),
        (
            f"waiting list in arrival order: {first_waiting} confirmed, then {len(statuses) - first_waiting} waiting "
            "(by id)",
            in_order,
        ),
        (f"no 5xx or dropped connections: {server_errors} (responses {result.statuses()})", server_errors == 0),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--database", default=database_name("enrolment_rush"))
    parser.add_argument("--json", help="also write the rush's attempts/s, p50, p95 (seconds) and checks here")
    args = parser.parse_args()

    bench = BenchEnv(args.database)
    try:
        bench.prepare()
        started = time.perf_counter()
        scenario = build(args.attempts, args.seats)
        requests = enrol_requests(scenario.path, scenario.sessions)
        bench.analyze()
        print(
            f"{args.attempts} people with sessions, 3 occasions of {args.seats} seats "
            f"in {time.perf_counter() - started:.1f} s"
        )

        from enrolment.models import Enrolment

        user_ids = [user.pk for user in scenario.users]
        seat_statuses = [str(status) for status in Enrolment.SEAT_STATUSES]
        ceiling = in_second_process(
            sql_ceiling, bench.database_url, scenario.ceiling.pk, user_ids, args.seats, seat_statuses, args.concurrency
        )
        # BENCH_PROFILE_DIR keeps the workers' profiles there (for pstats) instead of in a folder removed afterwards.
        kept = os.environ.get("BENCH_PROFILE_DIR")
        profile_dir = (kept or tempfile.mkdtemp(prefix="bench-rush-profile-")) if PROFILE == "server" else None
        with bench.gunicorn(**({"BENCH_PROFILE_DIR": profile_dir} if profile_dir else {})) as server:
            # Warm both workers (imports, templates, Wagtail's site cache) with the enrol form: no writes.
            warm = [Request("GET", scenario.path, {"Cookie": request.headers["Cookie"]}) for request in requests[:20]]
            warm_result = run_load(server.port, warm, concurrency=4)
            if set(warm_result.statuses()) != {200}:
                raise RuntimeError(f"warm-up GETs answered {warm_result.statuses()}:\n{server.log_tail()}")
            workers = server.worker_pids()
            workers_cpu, backends_cpu = cpu_seconds(workers), BackendCPU(bench.database_url)
            backends_cpu.start()
            sampler = None
            if PROFILE != "0":
                sampler = BackendSampler(bench.database_url)
                sampler.start()
            result = run_load(server.port, requests, concurrency=args.concurrency)
            if sampler:
                sampler.stop.set()
                sampler.join()
            cpu = {"gunicorn workers": cpu_seconds(workers) - workers_cpu, "PostgreSQL": backends_cpu.stop()}
            cpu["load generator"] = result.cpu
            tracebacks = server.server_errors()
        if profile_dir:
            print_profile(pstats.Stats(*map(str, Path(profile_dir).glob("*.prof"))), args.attempts, "gunicorn workers")
            if not kept:
                shutil.rmtree(profile_dir, ignore_errors=True)
        queries, locked, enrol_ms = probe_in_process(enrol_requests(scenario.probe_path, scenario.probe_sessions))

        print()
        print(
            f"Enrolment rush: {args.attempts} attempts by {args.attempts} people on {args.seats} seats, "
            f"{args.concurrency} concurrent clients, gunicorn -w 2 (sync), PostgreSQL"
        )
        print_table(
            [
                Row("enrol over HTTP (POST, 302)", result, ceiling),
                Row("ceiling: lock + count + insert in raw SQL", ceiling),
            ],
            unit="attempts/s",
        )
        print(
            f"pretix reference: {PRETIX_RATE} attempts/s, p95 {PRETIX_P95:.0f} s; the aim (10×) is "
            f"{PRETIX_RATE * 10} attempts/s; this run: {result.rate / PRETIX_RATE:.2f}× pretix"
        )
        print(
            f"one enrolment in-process (test client, no HTTP): {queries} round trips to PostgreSQL, {locked} of "
            f"them while the occasion is locked (up to COMMIT); {enrol_ms:.1f} ms"
        )
        per_attempt = {name: seconds / args.attempts * 1000 for name, seconds in cpu.items()}
        print(
            "CPU per attempt over HTTP: "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in per_attempt.items())
            + f"; {sum(per_attempt.values()):.1f} ms of the {os.cpu_count() * result.wall / args.attempts * 1000:.1f}"
            f" ms the machine's {os.cpu_count()} cores had per attempt (the rest: other processes, or idle)"
        )
        if sampler:
            print(f"the workers' PostgreSQL connections during the rush (sampled): {sampler.report()}")
        print()
        checks = check_invariants(scenario.rush, scenario.users, args.seats, result)
        if tracebacks:
            checks.append((f"server log has {tracebacks} tracebacks", False))
        for description, passed in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {description}")
        if args.json:
            data = {
                "rate": result.rate,
                "p50": result.percentile(50),
                "p95": result.percentile(95),
                "ceiling": ceiling.rate,
                "passed": all(passed for _description, passed in checks),
            }
            Path(args.json).write_text(json.dumps(data, indent=2))
        return 0 if all(passed for _description, passed in checks) else 1
    finally:
        bench.drop()


if __name__ == "__main__":
    sys.exit(main())
