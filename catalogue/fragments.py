"""Parts of the catalogue rendered once for what they show, and reused until that changes: the course cards
and the filter panel.

Cards are most of the work of a catalogue page (and of the home page's upcoming courses), and most of them are
the same from one render to the next: a publish changes one course, an enrolment one seat badge. A card's
cache key is a digest of everything it shows (the course's fields and address, the names of its centres and
topics in the language, its first occasions' dates, places and availability with the seats left, how many more
there are), so a card is reused exactly until something on it changes and is never shown stale. All the cards
of a list come from the cache in one round trip; those it lacks are rendered and stored.

The filter panel ({% cache %} in the catalogue template) is keyed the same way: the language, the filters
chosen, the choices offered and the counts beside them.
"""

import hashlib
import json

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from courses import page_cache

CARD_TEMPLATE = "includes/course_card.html"
SHOWN_OCCASIONS = 3  # as the card template's slice
CARD_SECONDS = 24 * 3600  # unused cards fall out; a used one is found again by its key
VERSION = 1  # raise when the card template changes what it shows


def _occasion_facts(occasion, now):
    availability = occasion.availability_at(now)
    seats = occasion.seats_left if availability == "few_seats" else None
    return (
        occasion.pk,
        occasion.start,
        occasion.end,
        occasion.status,
        occasion.mode,
        occasion.venue,
        occasion.city,
        occasion.language,
        availability.value,
        seats,
    )


def card_key(course, url, language, heading_level, shared, now):
    occasions = getattr(course, "matching_occasions", None) or []
    facts = (
        VERSION,
        language,
        heading_level,
        shared,
        course.pk,
        url,
        course.title,
        course.summary,
        course.format,
        str(course.cpd_hours),
        course.language_of_instruction,
        [centre.name for centre in getattr(course, "localized_centres", ())],
        [topic.name for topic in getattr(course, "localized_topics", ())],
        [_occasion_facts(occasion, now) for occasion in occasions[:SHOWN_OCCASIONS]],
        len(occasions),
    )
    return "course-card:" + hashlib.sha256(repr(facts).encode()).hexdigest()


FILTER_FIELDS = ("centre", "topic", "audience", "format", "language", "sort")


def filters_key(form, counts, page_url):
    """A digest of everything the catalogue's filter panel shows (for its {% cache %} fragment)."""
    chosen = sorted((name, form.data.getlist(name)) for name in form.data if name not in ("page", "q"))
    choices = [(name, [(value, str(label)) for value, label in form.fields[name].choices]) for name in FILTER_FIELDS]
    facts = (VERSION, translation.get_language(), page_url, chosen, choices, json.dumps(counts, sort_keys=True))
    return hashlib.sha256(repr(facts).encode()).hexdigest()


def render_cards(context, courses, heading_level):
    """The HTML of the cards of `courses` (with `matching_occasions`, `localized_centres`, `localized_topics`
    set, as catalogue.services.catalogue_page leaves them), in order."""
    request = context.get("request")
    language = translation.get_language()
    shared = page_cache.is_shared_render(request)
    now = timezone.now()
    keys = [card_key(course, course.get_url(request), language, heading_level, shared, now) for course in courses]
    found = cache.get_many(keys)
    html, missing = [], {}
    for course, key in zip(courses, keys, strict=True):
        card = found.get(key)
        if card is None:
            template = get_template(CARD_TEMPLATE).template
            with context.push(course=course, heading_level=heading_level):
                card = template.render(context)
            missing[key] = card
        html.append(card)
    if missing:
        cache.set_many(missing, CARD_SECONDS)
    return mark_safe("".join(html))  # noqa: S308 - the cards' own template escaped what it rendered
