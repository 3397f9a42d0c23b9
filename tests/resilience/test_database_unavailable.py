"""A database that is restarting gets visitors a 503 page in their language, never a 500 or a traceback.

The database's refusal is real to Django: every statement raises OperationalError, as psycopg does while
PostgreSQL restarts (tests/resilience/test_postgres_restart.py cuts a real connection).
"""

import contextlib

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from courses.factories import OccasionFactory, create_course
from enrolment.models import Enrolment
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_a_swedish_page_answers_503_in_swedish(site, visitor):
    with database_down():
        response = visitor.get("/sv/kurser/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Content-Language"] == "sv"
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert "Strax tillbaka" in page
    assert "Inget som du har skickat tidigare har gått förlorat." in page
    assert "Traceback" not in page and "OperationalError" not in page


def test_an_english_page_answers_503_in_english(site, visitor):
    with database_down():
        response = visitor.get("/en/courses/")
    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Back in a moment" in page
    assert "Nothing you have sent before has been lost." in page


def test_outside_the_language_prefixes_the_browser_language_decides(site, visitor):
    with database_down():
        response = visitor.get("/documents/1/program.pdf", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_a_logged_in_visitor_whose_session_cannot_be_read_gets_the_503_page(site, settings, visitor):
    """The session is read in a middleware (the page cache asks who is logged in): the 500 handler answers."""
    settings.PAGE_CACHE_SECONDS = 30
    visitor.force_login(make_participant(email="anna@example.se"))
    with database_down():
        response = visitor.get("/sv/kurser/")
    assert response.status_code == 503
    assert "Strax tillbaka" in response.content.decode()


def test_an_enrolment_posted_while_the_database_is_down_answers_503_and_saves_nothing(site, visitor):
    course = create_course(site.catalogue["sv"], title="GMP för sjukhusundantag")
    occasion = OccasionFactory(course=course, capacity=5)
    visitor.force_login(make_participant(email="bo@example.se"))
    visitor.get(f"/sv/enrol/{occasion.pk}/")
    with database_down():
        response = visitor.post(f"/sv/enrol/{occasion.pk}/")
    assert response.status_code == 503
    assert "Strax tillbaka" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_bad_query_is_a_bug_and_still_gets_the_500_page(site, visitor):
    def bad_query(execute, sql, params, many, context):
        raise ProgrammingError('column "titel" does not exist')

    with connection.execute_wrapper(bad_query):
        response = visitor.get("/sv/kurser/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
