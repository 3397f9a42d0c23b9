"""Topics, centres and audiences for the catalogue, cached until one of them changes.

A few dozen rows that change rarely and every catalogue view needs (the filter choices, the names on the
cards): read from the cache, three queries when it has lost them.
"""

from django.core.cache import cache

from courses import page_cache
from courses.models import Audience, Centre, Topic

GENERATION_KEY = "catalogue:taxonomy-generation"
TAXONOMIES = {"topic": Topic, "centre": Centre, "audience": Audience}


def invalidate(**kwargs):
    """Signal receiver: a topic, centre or audience changed (its name shows on every cached page too)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
    page_cache.invalidate()


def taxonomy():
    """{facet: [entry, ...]}: every topic, centre and audience in every language, by name."""
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    key = f"catalogue:taxonomy:{generation}"
    entries = cache.get(key)
    if entries is None:
        entries = {
            facet: list(model.objects.select_related("locale").order_by("name")) for facet, model in TAXONOMIES.items()
        }
        cache.set(key, entries, 24 * 3600)
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
