"""Production settings with Django's plain RedisCache, as the site had them before atmp/cache.py: the negative
control of tests/resilience/test_redis_outage.py."""

from bench.settings import *  # noqa: F403
from bench.settings import CACHES

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHES["default"]["LOCATION"]}
}
