"""Wagtail search backend: the database backend, with Swedish and English stemming on PostgreSQL.

On PostgreSQL every object is indexed with the text-search configuration of its own locale
(`swedish` or `english`) and queries use the configuration of the active language, so "kurserna"
finds "kurs" and "therapies" finds "therapy". Other databases use Wagtail's database backend as is.
"""

from django.db import connection
from django.utils import translation
from modelsearch.backends.database import SearchBackend as database_backend

TEXT_SEARCH_CONFIGS = {"sv": "swedish", "en": "english"}


def config_for_language(language_code, default="simple"):
    return TEXT_SEARCH_CONFIGS.get((language_code or "")[:2], default)


def SearchBackend(params):  # noqa: N802 - Wagtail looks up this name
    if connection.vendor != "postgresql":
        return database_backend(params)

    from modelsearch.backends.database.postgres import postgres

    class LocaleObjectIndexer(postgres.ObjectIndexer):
        def __init__(self, obj, backend):
            super().__init__(obj, backend)
            locale = getattr(obj, "locale", None)
            self.config = config_for_language(locale.language_code if locale else None, backend.config)

    class LocaleIndex(postgres.PostgresIndex):
        def add_items(self, model, objs):
            # The parent builds ObjectIndexer instances by module-level name; swap ours in for the call.
            original, postgres.ObjectIndexer = postgres.ObjectIndexer, LocaleObjectIndexer
            try:
                return super().add_items(model, objs)
            finally:
                postgres.ObjectIndexer = original

    class LocaleQueryCompiler(postgres.PostgresSearchQueryCompiler):
        def get_config(self, backend):
            return config_for_language(translation.get_language(), backend.config)

    class LocalePostgresSearchBackend(postgres.PostgresSearchBackend):
        index_class = LocaleIndex
        query_compiler_class = LocaleQueryCompiler

    return LocalePostgresSearchBackend({"SEARCH_CONFIG": "simple", **params})
