"""A Redis cache that costs speed, never a request, when Redis is unreachable.

Redis only accelerates this site: PostgreSQL holds the truth (sessions are `cached_db`), so a lost Redis must
turn into cache misses, not 500s. Every operation of `TolerantRedisCache` catches connection errors and
timeouts and answers as if the cache were empty. Three details keep that correct:

- After a failure Redis is left alone for `RETRY_SECONDS` (every operation answers at once from "empty"), so
  an unreachable host costs one short socket timeout per interval instead of one per cache call.
- A write or delete that failed may have left an old value behind (a session changed or ended while Redis was
  unreachable but kept its data). Its key is remembered and deleted as soon as Redis answers again, before
  anything is read: a stale entry can never outlive the outage.
- Keys that must keep counting during an outage (allauth's rate limits, `LOCAL_FALLBACK_PREFIXES`) move to a
  cache in this process meanwhile, so rate limits keep working, per process, instead of failing open or
  locking everyone out.

The error is logged once per `LOG_INTERVAL_SECONDS` per process (with how many operations missed since),
and once when Redis answers again.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover - redis is a dependency whenever this backend is configured
    RedisConnectionError = RedisTimeoutError = OSError

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

MAX_PENDING_DELETES = 100_000


class _Health:
    """What one process knows about one Redis server: shared by every thread's cache instance."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # monotonic time of the first failure of this outage
        self.retry_at = 0.0
        self.logged_at = None
        self.misses = 0  # operations answered from "empty" since the last log line
        self.pending_deletes = set()
        self.fallback = LocMemCache("tolerant-redis-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


_health = {}
_health_lock = threading.Lock()


def health_for(servers):
    key = tuple(servers)
    with _health_lock:
        return _health.setdefault(key, _Health())


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, tolerance, **options):
        super().__init__(servers, **options)
        self._tolerance = tolerance
        self._health = health_for(servers)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        # One client per connection pool, made once: Django makes a new one for every operation, and a redis-py
        # client builds its table of ~200 response callbacks when made (a quarter of a millisecond per cache
        # call). Clients are safe to share between threads; the pool hands each command its own connection.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    # --- the guard around every operation ---------------------------------------------------------------

    def _call(self, operation, keys, write, fallback, *args):
        """Run `operation` on Redis; on a connection failure (or while Redis is resting) answer `fallback()`.

        `keys`: the keys a write touches, remembered for deletion when Redis is back.
        """
        health = self._health
        if health.down_since is not None and time.monotonic() < health.retry_at:
            return self._missed(keys, write, fallback)
        try:
            if health.pending_deletes:
                self._replay_deletes()
            result = getattr(super(), operation)(*args)
        except UNAVAILABLE as error:
            self._failed(error)
            return self._missed(keys, write, fallback)
        if health.down_since is not None:
            self._recovered()
        return result

    def _missed(self, keys, write, fallback):
        health = self._health
        with health.lock:
            health.misses += 1
            if write and keys:
                if len(health.pending_deletes) < MAX_PENDING_DELETES:
                    health.pending_deletes.update(keys)
                elif health.misses % 1000 == 1:
                    logger.error("Cache: too many writes missed Redis; flush its cache keys when it is back")
        return fallback()

    def _failed(self, error):
        health = self._health
        now = time.monotonic()
        with health.lock:
            if health.down_since is None:
                health.down_since = now
            health.retry_at = now + self._tolerance["retry_seconds"]
            due = health.logged_at is None or now - health.logged_at >= self._tolerance["log_interval_seconds"]
            if due:
                health.logged_at = now
                misses, health.misses = health.misses, 0
        if due:
            since = f", {misses} operations missed since the last report" if misses else ""
            logger.warning("Cache unavailable (%s: %s); serving without it%s", type(error).__name__, error, since)

    def _recovered(self):
        health = self._health
        with health.lock:
            if health.down_since is None:
                return
            seconds = time.monotonic() - health.down_since
            health.down_since = health.logged_at = None
            misses, health.misses = health.misses, 0
        logger.warning("Cache available again after %.1f s; %d operations missed", seconds, misses)

    def _replay_deletes(self):
        health = self._health
        with health.lock:
            keys, health.pending_deletes = list(health.pending_deletes), set()
        try:
            for start in range(0, len(keys), 1000):
                super().delete_many(keys[start : start + 1000])
        except UNAVAILABLE:
            with health.lock:
                health.pending_deletes.update(keys)
            raise

    def _local(self, key):
        return any(prefix in key for prefix in self._tolerance["local_fallback_prefixes"])

    # --- the operations (keys arrive already made: prefix, version) ---------------------------------------

    def add(self, key, value, timeout):
        if self._local(key):
            local = self._health.fallback
            return self._call("add", (), True, lambda: local.add(key, value, timeout), key, value, timeout)
        return self._call("add", (key,), True, lambda: False, key, value, timeout)

    def get(self, key, default):
        if self._local(key):
            local = self._health.fallback
            return self._call("get", (), False, lambda: local.get(key, default), key, default)
        return self._call("get", (), False, lambda: default, key, default)

    def set(self, key, value, timeout):
        if self._local(key):
            local = self._health.fallback
            return self._call("set", (), True, lambda: local.set(key, value, timeout), key, value, timeout)
        return self._call("set", (key,), True, lambda: None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", (key,), True, lambda: False, key, timeout)

    def delete(self, key):
        if self._local(key):
            local = self._health.fallback
            return self._call("delete", (), True, lambda: local.delete(key), key)
        return self._call("delete", (key,), True, lambda: False, key)

    def get_many(self, keys):
        keys = list(keys)
        return self._call("get_many", (), False, dict, keys)

    def has_key(self, key):
        return self._call("has_key", (), False, lambda: False, key)

    def incr(self, key, delta):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")

        return self._call("incr", (key,), True, missing, key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", tuple(data), True, lambda: None, data, timeout)

    def delete_many(self, keys):
        keys = list(keys)
        return self._call("delete_many", tuple(keys), True, lambda: None, keys)

    def clear(self):
        return self._call("clear", (), False, lambda: False)


class TolerantRedisCache(RedisCache):
    """Django's RedisCache, answering "not cached" instead of raising when Redis is unreachable.

    OPTIONS (besides Django's): RETRY_SECONDS (leave Redis alone this long after a failure, default 1),
    LOG_INTERVAL_SECONDS (at most one error line per process this often, default 60),
    LOCAL_FALLBACK_PREFIXES (keys kept in this process during an outage, default allauth's rate limits).
    Set short `socket_connect_timeout` and `socket_timeout` too, so an unreachable host cannot hang requests.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        tolerance = {
            "retry_seconds": float(options.pop("RETRY_SECONDS", 1.0)),
            "log_interval_seconds": float(options.pop("LOG_INTERVAL_SECONDS", 60.0)),
            "local_fallback_prefixes": tuple(options.pop("LOCAL_FALLBACK_PREFIXES", (":allauth:rl:",))),
        }
        self._options = {**options, "tolerance": tolerance}
        self._class = TolerantRedisCacheClient
