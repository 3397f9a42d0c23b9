"""Wagtail search backend: the database backend, with Swedish and English stemming on PostgreSQL.

On PostgreSQL every object is indexed with the text-search configuration of its own locale
(`swedish` or `english`) and queries use the configuration of the active language, so "kurserna"
finds "kurs" and "therapies" finds "therapy". Other databases use Wagtail's database backend as is.
"""

import functools

from django.db import connection
from django.utils import translation
from modelsearch.backends.database import SearchBackend as database_backend

TEXT_SEARCH_CONFIGS = {"sv": "swedish", "en": "english"}


def plain_search_text(text):
    """What a visitor typed, as words for any backend: no quotes, single spaces.

    A double quote means nothing in a plain-text search, and the SQLite backend puts each word inside "..."
    without escaping it (a lone `"` is an FTS5 syntax error, a 500), so quotes become spaces.
    """
    return " ".join((text or "").replace('"', " ").split())


def config_for_language(language_code, default="simple"):
    return TEXT_SEARCH_CONFIGS.get((language_code or "")[:2], default)


@functools.cache
def _postgres_backend_class():
    """Built once: the Postgres backend with per-locale text-search configurations."""
    from modelsearch.backends.database.postgres import postgres

    class LocaleObjectIndexer(postgres.ObjectIndexer):
        def __init__(self, obj, backend):
            super().__init__(obj, backend)
            locale = getattr(obj, "locale", None)
            self.config = config_for_language(locale.language_code if locale else None, backend.config)

    # PostgresIndex.add_items builds indexers by this module-level name and offers no other hook. Ours
    # behaves exactly like the original for objects without a locale, so it replaces it for good (a
    # temporary swap per call would race between threads).
    postgres.ObjectIndexer = LocaleObjectIndexer

    class LocaleQueryCompiler(postgres.PostgresSearchQueryCompiler):
        def get_config(self, backend):
            return config_for_language(translation.get_language(), backend.config)

    class LocalePostgresSearchBackend(postgres.PostgresSearchBackend):
        query_compiler_class = LocaleQueryCompiler

    return LocalePostgresSearchBackend


def SearchBackend(params):  # noqa: N802 - Wagtail looks up this name
    if connection.vendor != "postgresql":
        return database_backend(params)
    return _postgres_backend_class()({"SEARCH_CONFIG": "simple", **params})
