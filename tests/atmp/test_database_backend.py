"""The PostgreSQL backend's health check (atmp/postgresql/base.py): a connection at rest is checked without a
round trip, and one the server has closed is replaced before the request's first query."""

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_connection_at_rest_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()

    def no_queries():
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(connection.connection, "cursor", no_queries)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_replaced_before_the_next_query():
    connection.ensure_connection()
    old = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [old])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:  # the server's goodbye reaches the socket
        time.sleep(0.05)
    assert not connection.is_usable()

    # What Django does when a request starts and before its first query.
    connection.close_if_unusable_or_obsolete()
    connection.health_check_enabled = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old
