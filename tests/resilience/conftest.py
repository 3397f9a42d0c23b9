"""Fixtures for the resilience tests: a redis-server of the test's own and an SMTP sink on free ports."""

import pytest

from .processes import RedisServer, Sink


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    sink = Sink().start()
    yield sink
    sink.stop()
