"""Finding courses: the catalogue's filters and search as plain functions over querysets.

Facets that describe a course (topic, centre, audience, format) filter course pages; facets that describe
a date (month, range, language, free seats) filter occasions, and a course matches when one of its
upcoming occasions does. Occasions are matched through the page's `translation_key`, so every language
version of a course shows the same dates.
"""

import calendar
import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from wagtail.models import Locale, PageViewRestriction

from courses.models import CoursePage, Occasion

from .forms import SortOrder
from .search_backend import plain_search_text
from .taxonomy import TAXONOMIES, localizer, taxonomy

COURSE_FACETS = {"topic": "topics", "centre": "centres", "audience": "audiences"}


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def matching_occasions(filters, now=None, include_cancelled=False):
    """Upcoming occasions that satisfy the occasion-level filters; scheduled ones unless asked otherwise."""
    now = now or timezone.now()
    occasions = Occasion.objects.upcoming(now)
    if not include_cancelled:
        occasions = occasions.scheduled()
    if language := filters.get("language"):
        occasions = occasions.filter(language__in=language)
    if month := filters.get("month"):
        next_month = month.replace(day=calendar.monthrange(month.year, month.month)[1]) + dt.timedelta(days=1)
        occasions = occasions.filter(start__lt=_local_midnight(next_month), end__gte=_local_midnight(month))
    if date_from := filters.get("date_from"):
        occasions = occasions.filter(end__gte=_local_midnight(date_from))
    if date_to := filters.get("date_to"):
        occasions = occasions.filter(start__lt=_local_midnight(date_to + dt.timedelta(days=1)))
    if filters.get("has_seats"):
        occasions = occasions.filter(
            Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=now),
            Q(enrolment_closes__gt=now) | Q(enrolment_closes__isnull=True, start__gt=now),
        ).with_free_seats()
    return occasions


def search_ranking(query, locale):
    """Ids of the live course pages in `locale` matching a full-text search, best match first."""
    # The PostgreSQL backend stems the query in the active language; make that the catalogue's language.
    with translation.override(locale.language_code):
        results = CoursePage.objects.live().filter(locale=locale).search(query, operator="and")
        return [page.pk for page in results]


def search_text(filters):
    """The search as the backends can take it, or "" for no search."""
    return plain_search_text(filters.get("q"))


def _locale(language):
    return language if isinstance(language, Locale) else Locale.objects.get(language_code=language)


def _course_pages(locale):
    """Live course pages in `locale` that no view restriction covers (as `.public()`, inside the same query
    instead of a query of its own for the restrictions)."""
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return CoursePage.objects.live().filter(~Exists(restricted), locale=locale)


def _matching_courses(filters, pages, ranking, now=None, next_start=False):
    """The course `pages` that satisfy `filters` (and are among `ranking` if searched).

    `next_start`: annotate the start of the next matching occasion, for ordering; otherwise an EXISTS is enough.
    """
    occasions = matching_occasions(filters, now).filter(course__translation_key=OuterRef("translation_key"))
    courses = pages
    if next_start:
        courses = courses.annotate(next_start=Subquery(occasions.order_by("start").values("start")[:1])).filter(
            next_start__isnull=False
        )
    else:
        courses = courses.filter(Exists(occasions))
    for facet, relation in COURSE_FACETS.items():
        if slugs := filters.get(facet):
            field = getattr(CoursePage, relation).field
            through = field.remote_field.through
            target = field.related_model._meta.model_name
            links = through.objects.filter(coursepage=OuterRef("pk"), **{f"{target}__slug__in": slugs})
            courses = courses.filter(Exists(links))
    if formats := filters.get("format"):
        courses = courses.filter(format__in=formats)
    if ranking is not None:
        courses = courses.filter(pk__in=ranking)
    return courses


def find_courses(filters, language, now=None, ranking=None):
    """Live course pages in one language (a code or a Locale) with a matching upcoming occasion, and how to
    order them.

    `ranking`: the search result (search_ranking) if the caller already has it. Returns (queryset, ranks):
    ranks maps page id to search rank when the order is relevance, else None.
    """
    locale = _locale(language)
    query = search_text(filters)
    if query and ranking is None:
        ranking = search_ranking(query, locale)
    courses = _matching_courses(filters, _course_pages(locale), ranking if query else None, now, next_start=True)
    sort = filters.get("sort") or (SortOrder.RELEVANCE if query else SortOrder.DATE)
    ranks = None
    if query and sort == SortOrder.RELEVANCE:
        ranks = {pk: rank for rank, pk in enumerate(ranking)}
    if sort == SortOrder.TITLE:
        courses = courses.order_by("title", "pk")
    else:
        courses = courses.order_by(F("next_start").asc(), "title", "pk")
    return courses, ranks


def facet_counts(filters, language, now=None, ranking=None):
    """How many courses each facet value would give: {facet: {value: count}}, and "has_seats": count."""
    return facet_counts_and_total(filters, language, now, ranking)[0]


def facet_counts_and_total(filters, language, now=None, ranking=None):
    """The facet counts (see facet_counts) and the number of courses the filters give, in one query.

    A value's count keeps every other filter and drops its own facet's, since values within a facet widen
    the choice (topic A or B). One UNION of a part per facet, whatever the number of courses or values.
    """
    locale = language if isinstance(language, Locale | int) else _locale(language)
    query = search_text(filters)
    if query and ranking is None:
        ranking = search_ranking(query, locale if isinstance(locale, Locale) else Locale.objects.get(pk=locale))
    ranking = ranking if query else None
    locale_id = locale.pk if isinstance(locale, Locale) else locale
    compiled = _compiled_facet_query(filters, locale_id, ranking)
    rows = []
    if compiled is not None:
        sql, params = compiled
        now = now or timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(sql, [now if param == _NOW else param for param in params])
            rows = cursor.fetchall()

    counts = {facet: {} for facet in [*COURSE_FACETS, "format", "language"]}
    counts["has_seats"], total = 0, 0
    for facet, value, n in rows:
        if facet == "has_seats":
            counts["has_seats"] = n
        elif facet == "total":
            total = n
        elif value is not None:
            counts[facet][value] = n
    return counts, total


# Compiling the facet UNION (eight parts, each with subqueries) cost more than running it, and its SQL depends
# only on the filters, the locale and the search result: it is compiled once per such set and kept in this
# process, with a stand-in instant for "now" that each run replaces by the real one.
_NOW = dt.datetime(1999, 12, 31, 23, 59, 58, 987654, tzinfo=dt.UTC)
_compiled_facets = {}
COMPILED_FACETS_KEPT = 500


def _compiled_facet_query(filters, locale_id, ranking):
    key = (locale_id, repr(sorted(filters.items())), tuple(ranking) if ranking is not None else None)
    if key in _compiled_facets:
        return _compiled_facets[key]
    try:
        compiled = _facet_union(filters, locale_id, _NOW, ranking).query.sql_with_params()
    except EmptyResultSet:  # a search that found nothing: no course, no count (None: nothing to run)
        compiled = None
    if len(_compiled_facets) >= COMPILED_FACETS_KEPT:
        _compiled_facets.clear()
    _compiled_facets[key] = compiled
    return compiled


def _facet_union(filters, locale, now, ranking):
    """The facet counts' query: rows of (facet, value, n), and ("total", "", n)."""
    pages = _course_pages(locale)

    def courses_without(facet):
        return _matching_courses({k: v for k, v in filters.items() if k != facet}, pages, ranking, now)

    def labelled(queryset, facet, value, count):
        # Every part: (facet, value, n); a constant `value` makes one row for the whole part.
        return (
            queryset.order_by()
            .values(facet=Value(facet, output_field=CharField()), value=value)
            .annotate(n=count)
            .values_list("facet", "value", "n")
        )

    parts = []
    for facet, relation in COURSE_FACETS.items():
        field = getattr(CoursePage, relation).field
        target = field.related_model._meta.model_name
        links = field.remote_field.through.objects.filter(coursepage__in=courses_without(facet).values("pk"))
        parts.append(labelled(links, facet, F(f"{target}__slug"), Count("coursepage", distinct=True)))
    parts.append(labelled(courses_without("format"), "format", F("format"), Count("pk")))
    # Language describes occasions: a course counts for each language one of its matching occasions is in.
    others = {k: v for k, v in filters.items() if k != "language"}
    occasions = matching_occasions(others, now).filter(
        course__translation_key__in=courses_without("language").values("translation_key")
    )
    parts.append(labelled(occasions, "language", F("language"), Count("course__translation_key", distinct=True)))
    no_value = Value("", output_field=CharField())
    with_seats = _matching_courses({**filters, "has_seats": True}, pages, ranking, now)
    parts.append(labelled(with_seats, "has_seats", no_value, Count("pk")))
    parts.append(labelled(_matching_courses(filters, pages, ranking, now), "total", no_value, Count("pk")))
    return parts[0].union(*parts[1:], all=True)


CARD_DEFERRED = ("body", "learning_objectives", "prerequisites", "enrolment_questions", "search_description")


def catalogue_page(courses, ranks, page_number, filters, now=None, per_page=None, count=None, language_code=None):
    """One page of results with their matching occasions, centres and topics, in a fixed number of queries.

    `count`: the number of courses, if the caller already knows it (facet_counts_and_total), saves a query.
    """
    # Cards show none of the long fields: not read, nor decoded (the body's JSON was most of the query's cost).
    courses = courses.prefetch_related(None).defer(*CARD_DEFERRED)
    if ranks is not None:
        # Relevance order comes from the search backend; the result set is small enough to sort here.
        courses = sorted(courses, key=lambda course: ranks[course.pk])
    paginator = Paginator(courses, per_page or settings.CATALOGUE_PAGE_SIZE)
    if count is not None and ranks is None:
        paginator.count = count  # a cached_property: set, it is not asked of the database
    page = paginator.get_page(page_number)
    items = list(page.object_list)
    _attach_taxonomy(items, language_code or translation.get_language() or settings.LANGUAGE_CODE)

    by_course = defaultdict(list)
    occasions = (
        matching_occasions(filters, now)
        .filter(course__translation_key__in=[course.translation_key for course in items])
        .with_seats()
        .annotate(course_key=F("course__translation_key"))
        .order_by("start")
    )
    for occasion in occasions:
        by_course[occasion.course_key].append(occasion)
    for course in items:
        course.matching_occasions = by_course[course.translation_key]
    page.object_list = items
    return page


def _attach_taxonomy(courses, language_code):
    """Set `localized_centres` and `localized_topics` on each course, in the visitor's language: the links of
    both in one query, the entries from the cached taxonomy."""
    if not courses:
        return
    relations = {"centre": CoursePage.centres, "topic": CoursePage.topics}
    parts = []
    for facet, descriptor in relations.items():
        through = descriptor.through
        target = f"{descriptor.field.related_model._meta.model_name}_id"
        parts.append(
            through.objects.filter(coursepage_id__in=[course.pk for course in courses])
            .order_by()
            .values_list(Value(facet, output_field=CharField()), "coursepage_id", target, "pk")
        )
    links = defaultdict(list)
    for facet, course_id, entry_id, link_id in parts[0].union(*parts[1:], all=True):
        links[facet, course_id].append((link_id, entry_id))
    language_code = language_code[:2]
    for facet in relations:
        localize = localizer(facet, language_code)
        by_name = {entry.pk: position for position, entry in enumerate(taxonomy()[facet])}  # as Meta.ordering
        for course in courses:
            ids = sorted((entry_id for _link, entry_id in links[facet, course.pk]), key=lambda pk: by_name.get(pk, -1))
            missing = [pk for pk in ids if pk not in localize]
            if missing:  # an entry newer than the cached taxonomy: read it, this once
                localize.update((entry.pk, entry) for entry in TAXONOMIES[facet].objects.filter(pk__in=missing))
            setattr(course, f"localized_{facet}s", [localize[pk] for pk in ids if pk in localize])
