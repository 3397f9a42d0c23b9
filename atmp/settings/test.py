"""Tests: fast hashing, in-memory e-mail, tasks eager unless a test starts a real worker."""

from .base import *  # noqa: F403
from .base import os

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "courses.storage.PrivateFileSystemStorage"},
}
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/atmp-test-media")  # noqa: S108
DOCUMENTS_ROOT = os.environ.get("TEST_DOCUMENTS_ROOT", "/tmp/atmp-test-documents")  # noqa: S108
PAGE_CACHE_SECONDS = 0  # tests of the cache turn it on themselves
# A task sends its own message only, so a test knows which e-mails a change causes; the real-worker tests batch.
NOTIFICATION_SEND_BATCH = 1
# Tests keep the Django cache in memory even when REDIS_URL is set for the broker: allauth's rate limits
# and the page cache must not carry over from one test run (or test) to the next.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory cache: there a second connection (a worker thread, the live
    # server) meets "database table is locked" at once instead of waiting its turn as the real file does.
    _test_dir = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"  # noqa: S108
    DATABASES["default"]["TEST"] = {"NAME": f"{_test_dir}/atmp-test-{os.getpid()}.sqlite3"}  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "atmp.postgresql":  # noqa: F405
    # A test database needs no durability across a crash: a commit (the browser journeys, the real worker and
    # every flush make many) does not wait for the disk. Only this connection's setting; the server's stays.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
