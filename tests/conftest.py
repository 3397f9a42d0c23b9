"""Shared fixtures: the site skeleton, locales and catalogue pages; services the tests depend on.

Tests run on SQLite unless DATABASE_URL points elsewhere. Tests marked `postgres`, `redis` or `e2e`
(everything under tests/e2e/ is marked `e2e`) are skipped, with the reason, when the service is missing;
with REQUIRE_SERVICES=1 (CI) they fail instead, so a missing service cannot pass unnoticed.
"""

import os
import socket
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection, transaction
from wagtail.models import Locale

from catalogue.setup import ensure_site

CHROMIUM = Path("/usr/lib/chromium/chromium")
TESTS_DIR = Path(__file__).parent


def _require_services():
    return os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes"}


def _redis_answers(url):
    if not url:
        return False
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _missing_service(marker_name):
    """Why a test with this marker cannot run here, or None if it can."""
    if marker_name == "postgres" and settings.DATABASES["default"]["ENGINE"] != "atmp.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp"
    if marker_name == "redis" and not _redis_answers(settings.REDIS_URL):
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 with Redis running"
    if marker_name == "e2e" and not os.access(CHROMIUM, os.X_OK):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    e2e_dir = TESTS_DIR / "e2e"
    for item in items:
        if e2e_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
        for name in ("postgres", "redis", "e2e"):
            if not _require_services() and item.get_closest_marker(name) and (reason := _missing_service(name)):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _required_services(request):
    """With REQUIRE_SERVICES=1, a test whose service is missing fails (it was not skipped at collection)."""
    if not _require_services():
        return
    for name in ("postgres", "redis", "e2e"):
        if request.node.get_closest_marker(name) and (reason := _missing_service(name)):
            pytest.fail(f"REQUIRE_SERVICES=1 but the test {reason}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _flush_by_deleting_rows():
    """Every transactional test (live server, real worker, migrations) ends with Django's flush. On PostgreSQL
    that is a TRUNCATE of all ~100 tables, which makes new files for each table and index: 1-2 s a test, most of
    the browser journeys' teardown. Deleting the few rows a test leaves takes a tenth of that. The order does not
    matter: every foreign key Django makes is checked at commit (DEFERRABLE INITIALLY DEFERRED)."""
    if connection.vendor != "postgresql":
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def delete_rows(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Content types and permissions stay: the flush's post_migrate would write the same rows straight back, and
        # on a server without autovacuum the deleted copies pile up as dead rows, test after test.
        kept = {"django_content_type", "auth_permission"}
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
            if table not in kept
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", delete_rows)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the site skeleton once in the test database; the `site` fixture rebuilds it after flushes."""
    with django_db_blocker.unblock():
        ensure_site()


@contextmanager
def built_once_for_the_module(django_db_blocker):
    """For a module-scoped fixture: what it builds inside is made once for all the module's tests and rolled back
    after the last; each test runs in a savepoint inside it (Django's setUpTestData). The site skeleton is there.
    Only for modules without transactional tests, and for data the tests read or change in the database only (an
    object's attributes changed in memory would carry over to the next test: look rows up again by id)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield ensure_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(db):
    """Locales sv/en, home pages and catalogue pages (/sv/kurser/, /en/courses/) and the default Site."""
    return ensure_site()


@pytest.fixture
def locale_sv(site):
    return Locale.objects.get(language_code="sv")


@pytest.fixture
def locale_en(site):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def catalogue_sv(site):
    return site.catalogue["sv"]


@pytest.fixture
def catalogue_en(site):
    return site.catalogue["en"]


@pytest.fixture
def db_vendor(db):
    return connection.vendor


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (allauth rate limits, the page cache)."""
    from django.core.cache import cache

    cache.clear()
