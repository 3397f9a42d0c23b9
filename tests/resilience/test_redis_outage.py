"""Redis stops while people use the site: it costs speed, never a page, a login or an enrolment.

Real processes: gunicorn (2 workers, production settings), a Celery worker with beat, a redis-server of the
test's own and an SMTP sink. Redis is stopped mid-run and started again empty, as a restart leaves it. The
negative control runs the same outage against Django's plain RedisCache, which the site used before.
"""

import collections
import time

import pytest

from courses.factories import OccasionFactory, create_course
from enrolment.models import Enrolment, OutboxMessage

from .processes import (
    PASSWORD,
    Visitor,
    WorkerProcess,
    base_env,
    collected_static,
    gunicorn,
    person,
    session_for,
    shared_database_url,
    wait_until,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TITLE = "CAR-T-cellsbehandling för sjuksköterskor"


def env_for(redis_server, smtp_sink, tmp_path, **extra):
    collected_static()
    return base_env(
        database_url=shared_database_url(),
        redis_url=redis_server.url,
        EMAIL_PORT=smtp_sink.port,
        MEDIA_ROOT=tmp_path,
        PAGE_CACHE_SECONDS=30,
        NOTIFICATION_SWEEP_AFTER_SECONDS=3,
        NOTIFICATION_SWEEP_INTERVAL_SECONDS=2,
        NOTIFICATION_RETRY_BASE_SECONDS=1,
        **extra,
    )


@pytest.fixture
def course(site):
    return create_course(site.catalogue["sv"], title=TITLE)


def test_with_redis_stopped_the_site_serves_logs_in_enrols_and_mails_once_when_it_returns(
    course, redis_server, smtp_sink, tmp_path
):
    occasion = OccasionFactory(course=course, capacity=2)
    anna = person("anna@example.se", first_name="Anna")
    bo = person("bo@example.se", first_name="Bo")
    cilla = person("cilla@example.se", first_name="Cilla")
    organiser = person("kursansvarig@example.se", is_staff=True, is_superuser=True)
    env = env_for(redis_server, smtp_sink, tmp_path)
    worker = WorkerProcess(env).start()
    try:
        with gunicorn(env) as web:
            anonymous = Visitor(web.port)
            anna_visits = Visitor(web.port)
            anna_visits.log_in(anna.email, PASSWORD)  # her session: in the database and in Redis
            bo_visits = Visitor(web.port)
            bo_visits.cookies["sessionid"] = session_for(bo)
            organiser_visits = Visitor(web.port)
            organiser_visits.cookies["sessionid"] = session_for(organiser)
            course_url = course.get_url()
            enrol_url = f"/sv/enrol/{occasion.pk}/"
            pages = ["/sv/", "/sv/kurser/", course_url, "/en/courses/"]

            # Before: the page cache answers, Anna enrols, her confirmation arrives.
            assert anonymous.get(course_url).status_code == 200
            assert anonymous.get(course_url).headers.get("X-Page-Cache") == "hit"
            assert anna_visits.post(enrol_url).status_code == 302
            wait_until(lambda: len(smtp_sink.keys()) == 1, 30, "Anna's confirmation")
            annas = Enrolment.objects.get(user=anna)

            redis_server.stop()
            answers = []  # (what, status, seconds)

            def visit(what, call, *args, **kwargs):
                started = time.monotonic()
                response = call(*args, **kwargs)
                answers.append((what, response.status_code, time.monotonic() - started))
                return response

            for path in pages * 2:
                response = visit(f"GET {path}", anonymous.get, path)
                assert response.status_code == 200, (path, response.status_code)
                assert "X-Page-Cache" not in response.headers or response.headers["X-Page-Cache"] == "miss"
            mine = visit("my courses", anna_visits.get, "/sv/my-courses/")
            assert mine.status_code == 200  # still logged in: her session came from the database
            assert TITLE in mine.text

            visit("enrol page", bo_visits.get, enrol_url)
            assert visit("enrol", bo_visits.post, enrol_url).status_code == 302
            cilla_visits = Visitor(web.port)
            visit("login page", cilla_visits.get, "/sv/accounts/login/")
            credentials = {"login": cilla.email, "password": PASSWORD}
            login = visit("log in", cilla_visits.post, "/sv/accounts/login/", credentials)
            assert login.status_code == 302  # logging in works: rate limits count in the process meanwhile
            assert visit("enrol", cilla_visits.post, enrol_url).status_code == 302
            assert Enrolment.objects.get(user=cilla).status == Enrolment.Status.WAITING

            cancel = visit("cancel", anna_visits.post, f"/sv/my-courses/{annas.pk}/cancel/")
            assert cancel.status_code == 302
            bos = Enrolment.objects.get(user=bo)
            visit("admin list", organiser_visits.get, "/admin/enrolments/")
            visit("admin action form", organiser_visits.get, f"/admin/enrolments/{bos.pk}/cancel/")
            by_organiser = visit(
                "admin cancel", organiser_visits.post, f"/admin/enrolments/{bos.pk}/cancel/", {"message": "Flyttad."}
            )
            assert by_organiser.status_code == 302
            health = visit("health", anonymous.get, "/health/")
            assert health.status_code == 503  # load balancers may know; visitors do not notice

            statuses = collections.Counter(status for _what, status, _seconds in answers)
            failures = [(what, status) for what, status, _seconds in answers if status >= 500 and what != "health"]
            assert failures == [], statuses
            assert max(seconds for _what, _status, seconds in answers) < 5
            annas.refresh_from_db()
            bos.refresh_from_db()
            assert annas.status == Enrolment.Status.CANCELLED
            assert bos.status == Enrolment.Status.CANCELLED
            assert Enrolment.objects.get(user=cilla).status in Enrolment.SEAT_STATUSES  # Anna's seat went on
            waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count()
            assert waiting >= 4  # confirmations, cancellations, the waiting list: all in the outbox
            log = web.log_tail(lines=100_000)
            assert log.count("Cache unavailable") <= 2  # once per worker process per minute, not per request
            tracebacks = [line[:300] for line in log.splitlines() if "Traceback" in line]
            assert tracebacks == []

            redis_server.start()  # empty, as after a restart
            returned = time.monotonic()

            def all_sent():
                return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()

            # The worker reconnects with kombu's backoff (2, 4, 6 … up to 30 s between tries), so after a long
            # outage on a busy machine its first try can come half a minute after Redis returned; then the sweep.
            try:
                wait_until(all_sent, 90, "the outbox sweep to send what waited", interval=0.5)
            except AssertionError as error:
                raise AssertionError(f"{error}\n--- the worker's log ---\n{worker.log()[-6000:]}") from None
            drained = time.monotonic() - returned
            time.sleep(4)  # two more sweeps: nothing is sent twice
            keys = set(OutboxMessage.objects.values_list("key", flat=True))
            assert collections.Counter(smtp_sink.keys()) == dict.fromkeys(keys, 1)

            slowest = max(answers, key=lambda answer: answer[2])
            print(
                f"\nRedis stopped: {len(answers)} requests, statuses {dict(statuses)}, slowest {slowest[0]} "
                f"{slowest[2]:.2f} s, health {answers[-1][2]:.2f} s; {waiting} messages waited in the outbox and "
                f"all were sent {drained:.1f} s after Redis returned, each once"
            )

            # Redis is back: Anna is still logged in, and the page cache works again.
            assert anna_visits.get("/sv/my-courses/").status_code == 200
            # Each worker first deletes the keys its writes missed during the outage, when it next talks to Redis:
            # that costs each worker at most one miss, whenever it gets its first request. So: three hits in a row.
            cached = []
            while cached[-3:] != ["hit"] * 3 and len(cached) < 20:
                cached.append(anonymous.get(course_url).headers.get("X-Page-Cache"))
            assert cached[-3:] == ["hit"] * 3, cached
            assert cached.count("miss") <= 3, cached  # the first store, then one per worker's replay at most
            assert "Cache available again" in web.log_tail(lines=100_000)
    finally:
        worker.stop()


def test_negative_control_the_plain_redis_cache_answers_500_when_redis_stops(course, redis_server, smtp_sink, tmp_path):
    """Today's settings before this change: the same outage against Django's RedisCache fails the requests."""
    anna = person("anna@example.se")
    env = env_for(
        redis_server, smtp_sink, tmp_path, DJANGO_SETTINGS_MODULE="tests.resilience.plain_redis_cache_settings"
    )
    with gunicorn(env) as web:
        anna_visits = Visitor(web.port)
        anna_visits.cookies["sessionid"] = session_for(anna)
        assert anna_visits.get("/sv/my-courses/").status_code == 200
        anonymous = Visitor(web.port)
        assert anonymous.get(course.get_url()).status_code == 200

        redis_server.stop()

        assert anonymous.get(course.get_url()).status_code == 500
        assert anonymous.get("/sv/kurser/").status_code == 500
        assert anna_visits.get("/sv/my-courses/").status_code == 500
        assert "ConnectionError" in web.log_tail(lines=100_000)
