"""Enrolment rush: 2,000 people try for 30 seats at once, over HTTP, against gunicorn (2 workers) on PostgreSQL.

Ceiling, measured in the same run: the seat decision alone (lock the occasion, count, insert) in raw SQL from
the same number of threads, against a second occasion. Then the invariants are checked in the database:
never more confirmed than seats, one enrolment per person, the waiting list in arrival order, no 5xx.

    .venv/bin/python bench/enrolment_rush.py [--attempts 2000] [--seats 30] [--concurrency 64]
"""

import argparse
import datetime as dt
import secrets
import string
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BenchEnv, LoadResult, Request, Row, in_second_process, print_table, run_load  # noqa: E402

PRETIX_RATE, PRETIX_P95 = 29, 3.0  # attempts/s and seconds: pretix, PostgreSQL + Redis + 2 gunicorn workers
CSRF_CHARS = string.ascii_letters + string.digits


def build(attempts, seats):
    """The site, one course with two occasions of `seats` seats, and `attempts` people ready to enrol."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from catalogue.setup import ensure_site
    from courses.factories import AudienceFactory, OccasionFactory, create_course

    site = ensure_site()
    course = create_course(site.catalogue["sv"], title="CAR-T-cellsbehandling för sjuksköterskor")
    rush = OccasionFactory(course=course, capacity=seats)
    ceiling = OccasionFactory(course=course, capacity=seats, start=rush.start + dt.timedelta(days=7))
    profession = AudienceFactory(name="Sjuksköterskor", slug="nurses")

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
            for number in range(attempts)
        ],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=1000
    )
    sessions = logged_in_sessions(users)
    path = f"{course.url}occasions/{rush.pk}/enrol/"
    return path, rush, ceiling, users, sessions


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
        [model(session_key=key, session_data=encoder.encode(values), expire_date=expires) for key, values in zip(keys, data, strict=True)],
        batch_size=1000,
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


def sql_ceiling(database_url, occasion_id, user_ids, seats, concurrency):
    """The seat decision alone, as the service makes it, in raw SQL from `concurrency` threads (own connections)."""
    import psycopg

    seat_statuses = ["pending", "confirmed", "offered", "attended", "no_show"]
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
                        " updated_at) VALUES (%s, %s, %s, '{}', '', now(), now())",
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


def check_invariants(occasion, users, seats, result):
    """(description, passed) for each invariant of the rush occasion."""
    from django.db.models import Count

    from enrolment.models import Enrolment

    rows = list(Enrolment.objects.filter(occasion=occasion).order_by("pk").values_list("user_id", "status"))
    statuses = [status for _user, status in rows]
    confirmed = statuses.count(Enrolment.Status.CONFIRMED)
    holding = sum(status in Enrolment.SEAT_STATUSES for status in statuses)
    per_user = dict(
        Enrolment.objects.filter(occasion=occasion).values("user_id").annotate(n=Count("pk")).values_list("user_id", "n")
    )
    once = sum(per_user.get(user.pk) == 1 for user in users)
    first_waiting = statuses.index(Enrolment.Status.WAITING) if Enrolment.Status.WAITING in statuses else len(statuses)
    in_order = all(status == Enrolment.Status.CONFIRMED for status in statuses[:first_waiting]) and all(
        status == Enrolment.Status.WAITING for status in statuses[first_waiting:]
    )
    server_errors = sum(status >= 500 or status == 0 for _start, _latency, status in result.samples)
    return [
        (f"confirmed == seats: {confirmed} confirmed, {holding} holding seats, {seats} seats", confirmed == holding == seats),
        (f"each person exactly one enrolment: {once} of {len(users)} ({len(rows)} rows)", once == len(users) == len(rows)),
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
    parser.add_argument("--database", default="atmp_bench_enrolment_rush")
    args = parser.parse_args()

    bench = BenchEnv(args.database)
    try:
        bench.prepare()
        started = time.perf_counter()
        path, rush, ceiling, users, sessions = build(args.attempts, args.seats)
        requests = enrol_requests(path, sessions)
        bench.analyze()
        print(f"{args.attempts} people with sessions, 2 occasions of {args.seats} seats in {time.perf_counter() - started:.1f} s")

        ceiling_result = in_second_process(
            sql_ceiling, bench.database_url, ceiling.pk, [user.pk for user in users], args.seats, args.concurrency
        )
        with bench.gunicorn() as server:
            # Warm both workers (imports, templates, Wagtail's site cache) with the enrol form: no writes.
            warm = [Request("GET", path, {"Cookie": request.headers["Cookie"]}) for request in requests[:20]]
            warm_result = run_load(server.port, warm, concurrency=4)
            if set(warm_result.statuses()) != {200}:
                raise RuntimeError(f"warm-up GETs of {path} answered {warm_result.statuses()}:\n{server.log_tail()}")
            result = run_load(server.port, requests, concurrency=args.concurrency)
            tracebacks = server.server_errors()

        print()
        print(f"Enrolment rush: {args.attempts} attempts by {args.attempts} people on {args.seats} seats, "
              f"{args.concurrency} concurrent clients, gunicorn -w 2 (sync), PostgreSQL")
        print_table(
            [
                Row("enrol over HTTP (POST → 302)", result, ceiling_result),
                Row("ceiling: lock + count + insert in raw SQL", ceiling_result),
            ],
            unit="attempts/s",
        )
        print(
            f"pretix reference: {PRETIX_RATE} attempts/s, p95 {PRETIX_P95:.0f} s; the aim (10×) is "
            f"{PRETIX_RATE * 10} attempts/s; this run is {result.rate / PRETIX_RATE:.1f}× pretix"
        )
        print()
        checks = check_invariants(rush, users, args.seats, result)
        if tracebacks:
            checks.append((f"server log has {tracebacks} tracebacks", False))
        for description, passed in checks:
            print(f"  {'ok  ' if passed else 'FAIL'} {description}")
        return 0 if all(passed for _description, passed in checks) else 1
    finally:
        bench.drop()


if __name__ == "__main__":
    sys.exit(main())
