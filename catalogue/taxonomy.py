"""Topics, centres and audiences for the catalogue, cached until one of them changes.

A few dozen rows that change rarely and every catalogue view needs (the filter choices, the names on the
cards): read from the cache, three queries when it has lost them. Within one request they are read once (a
page asks for them several times: each facet's choices, the cards' names).
"""

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started

from courses import page_cache
from courses.models import Audience, Centre, Topic

GENERATION_KEY = "catalogue:taxonomy-generation"
TAXONOMIES = {"topic": Topic, "centre": Centre, "audience": Audience}


def invalidate(**kwargs):
    """Signal receiver: a topic, centre or audience changed (its name shows on every cached page too)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    if getattr(_request, "active", False):
        _request.entries = None
    page_cache.invalidate()


# What this request has read; only while a request runs (code outside one, such as tests, always reads afresh).
_request = threading.local()


def _begin_request(**kwargs):
    _request.entries = None
    _request.active = True


def _end_request(**kwargs):
    _request.entries = None
    _request.active = False


request_started.connect(_begin_request, dispatch_uid="catalogue.taxonomy.begin")
request_finished.connect(_end_request, dispatch_uid="catalogue.taxonomy.end")


def taxonomy():
    """{facet: [entry, ...]}: every topic, centre and audience in every language, by name."""
    if getattr(_request, "active", False):
        if _request.entries is None:
            _request.entries = _read()
        return _request.entries
    return _read()


# The entries of the generation this process read last: a page then asks the cache only for the generation
# number, not for the pickled entries. A generation starts from the clock, so a cache that lost its keys (a
# flush, a restart) starts a number this process has not seen.
_process = {}


def _read():
    generation = cache.get_or_set(GENERATION_KEY, time.time_ns, timeout=None)
    if generation in _process:
        return _process[generation]
    key = f"catalogue:taxonomy:{generation}"
    entries = cache.get(key)
    if entries is None:
        entries = {
            facet: list(model.objects.select_related("locale").order_by("name")) for facet, model in TAXONOMIES.items()
        }
        cache.set(key, entries, 24 * 3600)
    _process.clear()
    _process[generation] = entries
    return entries


def choices(facet, language_code):
    """(slug, name) of a facet's entries in one language, by name (as TaxonomyQuerySet.in_language)."""
    language_code = language_code[:2]
    return [(entry.slug, entry.name) for entry in taxonomy()[facet] if entry.locale.language_code == language_code]


def localizer(facet, language_code):
    """entry id → the entry in `language_code` (itself when it has no translation), as courses.models.localized."""
    entries = taxonomy()[facet]
    translated = {entry.translation_key: entry for entry in entries if entry.locale.language_code == language_code}
    return {entry.pk: translated.get(entry.translation_key, entry) for entry in entries}
