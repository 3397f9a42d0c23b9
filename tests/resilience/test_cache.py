"""The tolerant Redis cache (atmp/cache.py) against a real redis-server that is stopped, paused and started."""

import logging
import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from atmp import cache as tolerant

pytestmark = pytest.mark.redis


def make_cache(url, backend=tolerant.TolerantRedisCache, **options):
    tolerant._health.clear()  # what earlier tests taught this process about Redis
    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "RETRY_SECONDS": 0, **options}
    if backend is RedisCache:
        options = {key: value for key, value in options.items() if key.islower()}
    return backend(url, {"OPTIONS": options})


def test_with_redis_stopped_every_operation_answers_as_an_empty_cache(redis_server):
    cache = make_cache(redis_server.url)
    cache.set("kept", "value")
    assert cache.get("kept") == "value"

    redis_server.stop()

    started = time.monotonic()
    assert cache.get("kept") is None
    assert cache.get("kept", "default") == "default"
    assert cache.get_many(["kept", "other"]) == {}
    assert cache.get_or_set("generation", 1) == 1
    assert cache.add("new", 1) is False
    assert cache.has_key("kept") is False
    assert cache.touch("kept") is False
    cache.set("kept", "changed")
    cache.set_many({"a": 1, "b": 2})
    cache.delete("kept")
    cache.delete_many(["a", "b"])
    with pytest.raises(ValueError):
        cache.incr("generation")
    cache.clear()
    assert time.monotonic() - started < 1  # refused connections fail at once


def test_the_plain_redis_cache_raises_instead(redis_server):
    """Negative control: Django's RedisCache, which the site used before, turns a stopped Redis into errors."""
    cache = make_cache(redis_server.url, backend=RedisCache)
    redis_server.stop()
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("kept")


def test_the_error_is_logged_once_per_interval_and_the_recovery_once(redis_server, caplog):
    cache = make_cache(redis_server.url, LOG_INTERVAL_SECONDS=60)
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="atmp.cache")

    for _ in range(200):
        cache.get("page")
        cache.set("page", "content")

    unavailable = [record for record in caplog.records if "Cache unavailable" in record.getMessage()]
    assert len(unavailable) == 1
    assert "ConnectionError" in unavailable[0].getMessage()

    redis_server.start()  # same port, empty
    assert cache.get("page") is None
    cache.set("page", "content")
    assert cache.get("page") == "content"
    again = [record.getMessage() for record in caplog.records if "Cache available again" in record.getMessage()]
    assert len(again) == 1
    assert again[0].endswith("; 400 operations missed")


def test_a_write_that_missed_redis_never_leaves_a_stale_value_behind(redis_server):
    """A network partition: Redis keeps its data but cannot be reached. A session that ends meanwhile (its key
    deleted) or changes (its key written) must not come back from Redis when the partition heals."""
    cache = make_cache(redis_server.url)
    cache.set("session:ended", {"_auth_user_id": "7"})
    cache.set("session:changed", {"step": 1})
    cache.set("untouched", "still here")

    redis_server.pause()
    try:
        cache.delete("session:ended")  # a logout: the delete times out
        cache.set("session:changed", {"step": 2})
        assert cache.get("session:changed") is None
    finally:
        redis_server.resume()

    assert cache.get("session:ended") is None  # not the logged-in session from before the partition
    assert cache.get("session:changed") is None  # a miss (the database has step 2), never step 1
    assert cache.get("untouched") == "still here"


def test_login_rate_limits_keep_counting_in_the_process_while_redis_is_down(redis_server):
    cache = make_cache(redis_server.url)
    key = "allauth:rl:allauth.account:login_failed:10/m/key:abc"
    redis_server.stop()

    assert cache.add(f"{key}:lock", True, 10) is True  # allauth's lock works, so the attempt is counted ...
    assert cache.add(f"{key}:lock", True, 10) is False
    cache.delete(f"{key}:lock")
    cache.set(key, [1.0, 2.0], 60)
    assert cache.get(key, []) == [1.0, 2.0]  # ... and the count is there for the next attempt
    assert cache.get("not-a-rate-limit") is None


def test_after_a_failure_redis_is_left_alone_for_a_moment(redis_server):
    """A host that does not answer costs one socket timeout per interval, not one per cache call."""
    cache = make_cache(redis_server.url, RETRY_SECONDS=5)
    cache.set("kept", "value")
    redis_server.pause()
    try:
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("kept") is None
        assert time.monotonic() - started < 1.5  # one timeout of 0.25 s (and a connect), not twenty
    finally:
        redis_server.resume()


def test_one_redis_client_serves_every_operation_and_outlives_a_restart(redis_server):
    """Django makes a redis.Redis per operation (each builds ~170 response callbacks); ours makes one per pool."""
    cache = make_cache(redis_server.url)
    client = cache._cache.get_client()
    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    assert cache._cache.get_client(write=True) is client

    redis_server.stop()
    assert cache.get("kept") is None
    redis_server.start()

    cache.set("kept", "again")
    assert cache.get("kept") == "again"
    assert cache._cache.get_client() is client
