"""PostgreSQL restarts under load: visitors get a 503 page in their language, the site recovers by itself within
seconds, and no enrolment is half-written.

The restart is a TCP proxy between gunicorn (2 workers, production settings, persistent connections with health
checks) and PostgreSQL that drops every connection and refuses new ones for a while, as a restart does; the
machine's PostgreSQL itself is never touched.
"""

import threading
import time

import pytest

from courses.factories import OccasionFactory, create_course
from enrolment.models import Enrolment, EnrolmentEvent, OutboxMessage
from tests.enrolment.conftest import make_participant

from .processes import TcpProxy, Visitor, base_env, collected_static, gunicorn, session_for, shared_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PEOPLE = 30
SEATS = 10
CUT_SECONDS = 3


@pytest.fixture
def proxy():
    from django.db import connection

    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432)).start()
    yield proxy
    proxy.stop()


def test_a_database_restart_under_load_gives_503_pages_then_recovers_with_nothing_half_written(
    site, proxy, redis_server, tmp_path
):
    course = create_course(site.catalogue["sv"], title="GMP för sjukhusundantag")
    occasion = OccasionFactory(course=course, capacity=SEATS)
    people = [make_participant(email=f"deltagare{number}@example.se") for number in range(PEOPLE)]
    sessions = [session_for(person) for person in people]
    collected_static()
    env = base_env(
        database_url=shared_database_url(port=proxy.port),
        redis_url=redis_server.url,
        MEDIA_ROOT=tmp_path,
        PAGE_CACHE_SECONDS=0,  # every page asks the database (cached pages would hide the restart)
        DB_CONN_MAX_AGE=60,
    )
    enrol_url = f"/sv/enrol/{occasion.pk}/"
    with gunicorn(env) as web:
        visitors = []
        for key in sessions:
            visitor = Visitor(web.port)
            visitor.cookies["sessionid"] = key
            assert visitor.get(enrol_url).status_code == 200  # the CSRF cookie; warms both workers
            visitors.append(visitor)

        samples = []  # (seconds since start, what, status, body)
        lock = threading.Lock()
        started = time.monotonic()
        stop = threading.Event()
        pending = list(enumerate(visitors))

        def client(number):
            browser = Visitor(web.port, accept_language="en" if number % 2 else "sv")
            pages = ["/sv/kurser/", course.get_url(), "/en/courses/", "/sv/my-courses/"]
            turn = 0
            while not stop.is_set():
                with lock:
                    job = pending.pop() if pending and turn % 6 == 0 else None
                if job:
                    index, visitor = job
                    what, response = f"enrol {index}", visitor.post(enrol_url)
                else:
                    path = pages[turn % len(pages)]
                    who = visitors[number] if path == "/sv/my-courses/" else browser
                    what, response = f"GET {path}", who.get(path)
                with lock:
                    samples.append((time.monotonic() - started, what, response.status_code, response.text))
                turn += 1
                time.sleep(0.05)

        clients = [threading.Thread(target=client, args=(number,)) for number in range(6)]
        for thread in clients:
            thread.start()
        time.sleep(1.5)
        cut_at = time.monotonic() - started
        proxy.cut()  # PostgreSQL goes away: open connections drop, new ones are refused
        time.sleep(CUT_SECONDS)
        restored_at = time.monotonic() - started
        proxy.restore()
        time.sleep(6)
        stop.set()
        for thread in clients:
            thread.join()

        statuses = sorted({status for _at, _what, status, _body in samples})
        assert set(statuses) <= {200, 302, 503}, statuses  # never a 500
        unavailable = [(at, what, body) for at, what, status, body in samples if status == 503]
        assert unavailable, "the cut should have been noticed"
        assert all(cut_at <= at <= restored_at + 5 for at, _what, _body in unavailable)
        for _at, what, body in unavailable:
            assert "Traceback" not in body and "OperationalError" not in body
            if what.startswith(("GET /sv/", "enrol")):
                assert "Strax tillbaka" in body
            elif what.startswith("GET /en/"):
                assert "Back in a moment" in body
        cut_short = sum(what.startswith("enrol") for _at, what, _body in unavailable)
        assert cut_short  # enrolments were among the requests the restart cut short
        recovered_after = (
            min(at for at, _what, status, _body in samples if at > restored_at and status in (200, 302)) - restored_at
        )
        late = [(at, what, status) for at, what, status, _body in samples if at > restored_at + 5]
        assert late and all(status in (200, 302) for _at, _what, status in late), late
        print(
            f"\n{len(samples)} requests, {len(unavailable)} answered 503 while PostgreSQL was away "
            f"({CUT_SECONDS} s), {cut_short} of them enrolments;"
            f" the first answer after it returned came {recovered_after:.2f} s later"
        )

        # Whoever got a 503 (or never got a turn) enrols now: the site has recovered.
        for index, visitor in enumerate(visitors):
            if not Enrolment.objects.filter(user=people[index]).exists():
                assert visitor.post(enrol_url).status_code == 302

    # Nothing half-written: each person one enrolment, each with its event and its message; seats respected.
    enrolments = list(Enrolment.objects.filter(occasion=occasion))
    assert sorted(enrolment.user_id for enrolment in enrolments) == sorted(person.pk for person in people)
    for enrolment in enrolments:
        assert EnrolmentEvent.objects.filter(enrolment=enrolment).exists()
        assert OutboxMessage.objects.filter(enrolment=enrolment).exists()
    confirmed = sum(enrolment.status == Enrolment.Status.CONFIRMED for enrolment in enrolments)
    assert confirmed == SEATS
