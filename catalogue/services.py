"""Finding courses: the catalogue's filters and search as plain functions over querysets.

Facets that describe a course (topic, centre, audience, format) filter course pages; facets that describe
a date (month, range, language, free seats) filter occasions, and a course matches when one of its
upcoming occasions does. Occasions are matched through the page's `translation_key`, so every language
version of a course shows the same dates.
"""

import calendar
import datetime as dt
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
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
    key = (locale.pk, query)
    if key not in _compiled_searches:
        # The PostgreSQL backend stems the query in the active language; make that the catalogue's language.
        with translation.override(locale.language_code):
            results = CoursePage.objects.live().filter(locale=locale).search(query, operator="and")
            if not hasattr(results, "get_queryset"):  # not PostgreSQL
                return [page.pk for page in results]
            # The ranked queryset itself, as ids only: iterating the results would build a page (its body's
            # JSON decoded) for every match, most of a search's cost. Its SQL depends only on the words and
            # the locale: compiled once for them.
            compiled = results.get_queryset().values_list("pk", flat=True).query.sql_with_params()
        if len(_compiled_searches) >= COMPILED_FACETS_KEPT:
            _compiled_searches.clear()
        _compiled_searches[key] = compiled
    sql, params = _compiled_searches[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


_compiled_searches = {}


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
    if connection.vendor == "postgresql":
        counts, total, _ids, _links = _counts_and_window(filters, locale_id, ranking, now, 0, 1)
        return counts, total
    compiled = _compiled_facet_query(filters, locale_id, ranking)
    rows = []
    if compiled is not None:
        sql, params = compiled
        now = now or timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(sql, [now if param == _NOW else param for param in params])
            rows = cursor.fetchall()
    return _read_counts(rows)


def _read_counts(rows):
    """{facet: {value: n}} with "has_seats": n, and the total, from rows of (facet, value, n)."""
    counts = {facet: {} for facet in [*COURSE_FACETS, "format", "language"]}
    counts["has_seats"], total = 0, 0
    for facet, value, n in rows:
        if facet == "has_seats":
            counts["has_seats"] = n
        elif facet == "total":
            total = n
        elif facet in counts and value is not None:
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


def catalogue_listing(filters, locale, page_number, ranking=None, now=None, per_page=None):
    """What the catalogue shows: (facet counts, number of courses, one page of them as catalogue_page gives).

    On PostgreSQL the counts, the total and the ids of the page's courses in order come from one query
    (_counts_and_window); the courses themselves are then read by id. `ranking`: the search result, if searched.
    """
    per_page = per_page or settings.CATALOGUE_PAGE_SIZE
    ranking = ranking if search_text(filters) else None
    if connection.vendor != "postgresql":
        counts, total = facet_counts_and_total(filters, locale, now, ranking)
        courses, ranks = find_courses(filters, locale, now, ranking)
        page = catalogue_page(courses, ranks, page_number, filters, now, per_page, total, locale.language_code)
        return counts, total, page
    number = _requested_page(page_number)
    counts, total, ids, links = _counts_and_window(filters, locale.pk, ranking, now, number, per_page)
    paginator = Paginator([], per_page)
    paginator.count = total  # a cached_property: set, nothing is counted again
    page = paginator.get_page(page_number)  # the page the query chose, by the same rules

    def courses_of(ids, _now):
        return CoursePage.objects.filter(pk__in=ids).prefetch_related(None).defer(*CARD_DEFERRED)

    courses = []
    if ids:
        sql, params = _compiled_shape(("courses", len(ids)), courses_of, _int_stand_ins(len(ids)), ids)
        courses = CoursePage.objects.raw(sql, params)
    position = {pk: n for n, pk in enumerate(ids)}
    items = sorted(courses, key=lambda course: position[course.pk])
    return counts, total, _fill_page(page, items, filters, now, locale.language_code, links)


LAST_PAGE = 2**31 - 1


def _requested_page(page_number):
    """The page asked for, as Paginator.get_page reads it: not a number is the first page, and a number below 1
    or past the end is the last (LAST_PAGE here; the query clamps it to the number of pages)."""
    try:
        number = int(page_number) if page_number is not None else 1
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number < LAST_PAGE else LAST_PAGE


def _counts_and_window(filters, locale_id, ranking, now, number, per_page):
    """The facet counts, the number of courses and the ids of the courses on page `number` (0: none) in the
    chosen order, with their links to centres and topics, in one query (PostgreSQL). Returns (counts, total,
    ids, links) with links as _attach_taxonomy takes them."""
    compiled = _compiled_listing_query(filters, locale_id, ranking)
    if compiled is None:
        return (*_read_counts([]), [], {})
    sql, params = compiled
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(now if param == _NOW else param for param in params), per_page, number, per_page])
        rows = cursor.fetchall()
    counts, total = _read_counts(rows)
    listed = sorted((position, int(value)) for facet, value, position in rows if facet == "listing")
    ids = [pk for _position, pk in listed]
    links = defaultdict(list)
    for facet, value, link_id in rows:
        if facet.endswith("-link"):
            course_id, entry_id = map(int, value.split())
            links[facet.removesuffix("-link"), course_id].append((link_id, entry_id))
    return counts, total, ids, links


_compiled_listings = {}


def _compiled_listing_query(filters, locale_id, ranking):
    # Like the facet UNION below, compiled once per filter set, locale and search result.
    key = (locale_id, repr(sorted(filters.items())), tuple(ranking) if ranking is not None else None)
    if key in _compiled_listings:
        return _compiled_listings[key]
    try:
        compiled = _listing_query(filters, locale_id, ranking)
    except EmptyResultSet:  # a search that found nothing
        compiled = None
    if len(_compiled_listings) >= COMPILED_FACETS_KEPT:
        _compiled_listings.clear()
    _compiled_listings[key] = compiled
    return compiled


def _listing_query(filters, locale_id, ranking):
    """The SQL of _counts_and_window, with _NOW for "now"; its last parameters are per page, page, per page.

    Each course and each upcoming occasion is read once, into a row per course (`matched`) that says which
    filters it passes; each facet's part counts the courses passing every filter but its own. (The facet
    UNION for other databases repeats the whole search per part: eight times the planning and the reading.)
    """
    quote = connection.ops.quote_name
    flags = {}
    for facet, relation in COURSE_FACETS.items():
        slugs = filters.get(facet)
        if slugs:
            field = getattr(CoursePage, relation).field
            target = field.related_model._meta.model_name
            links = field.remote_field.through.objects.filter(**{f"{target}__slug__in": slugs})
            flags[f"{facet}_ok"] = Exists(links.filter(coursepage=OuterRef("pk")))
        else:
            flags[f"{facet}_ok"] = Value(True)
    formats = filters.get("format")
    flags["format_ok"] = ExpressionWrapper(Q(format__in=formats), BooleanField()) if formats else Value(True)
    courses = _course_pages(locale_id)
    if ranking is not None:
        courses = courses.filter(pk__in=ranking)
    course_sql, course_params = (
        courses.annotate(**flags).order_by().values_list("pk", "translation_key", "format", "title", *flags)
    ).query.sql_with_params()

    # Occasions: every filter on them but language and free seats, which are flags (the language facet counts
    # the courses without its own filter, and "with free seats" is counted whether chosen or not).
    languages = filters.get("language")
    free = matching_occasions({"has_seats": True}, _NOW).filter(pk=OuterRef("pk"))
    occasions = (
        matching_occasions({k: v for k, v in filters.items() if k not in ("language", "has_seats")}, _NOW)
        .annotate(
            course_key=F("course__translation_key"),
            seats_ok=Exists(free),
            language_ok=ExpressionWrapper(Q(language__in=languages), BooleanField()) if languages else Value(True),
        )
        .order_by()
        .values_list("course_key", "language", "start", "seats_ok", "language_ok")
    )
    occasion_sql, occasion_params = occasions.query.sql_with_params()
    seats = "o.seats_ok" if filters.get("has_seats") else "TRUE"

    every = ["topic_ok", "centre_ok", "audience_ok", "format_ok"]
    parts = []
    for facet, relation in COURSE_FACETS.items():
        field = getattr(CoursePage, relation).field
        through, target = field.remote_field.through._meta.db_table, field.related_model._meta
        others = " AND ".join(flag for flag in every if flag != f"{facet}_ok")
        parts.append(
            f"SELECT '{facet}', t.slug, COUNT(*) FROM matched m"  # noqa: S608
            f" JOIN {quote(through)} l ON l.{quote(field.m2m_column_name())} = m.id"
            f" JOIN {quote(target.db_table)} t ON t.{quote(target.pk.column)} = l.{quote(field.m2m_reverse_name())}"
            f" WHERE m.next_start IS NOT NULL AND {others} GROUP BY t.slug"
        )
    course_level = " AND ".join(every[:3])
    everything = " AND ".join(every)
    parts += [
        f"SELECT 'format', format, COUNT(*) FROM matched WHERE next_start IS NOT NULL AND {course_level}"  # noqa: S608
        " GROUP BY format",
        # A course counts once for each language one of its occasions (matching the other filters) is in.
        "SELECT 'language', l.language, COUNT(*) FROM matched m CROSS JOIN LATERAL unnest(m.languages)"  # noqa: S608
        f" AS l(language) WHERE {everything} GROUP BY l.language",
        f"SELECT 'has_seats', '', COUNT(*) FROM matched WHERE {everything} AND with_seats",  # noqa: S608
        f"SELECT 'total', '', COUNT(*) FROM matched WHERE next_start IS NOT NULL AND {everything}",  # noqa: S608
    ]
    sort = filters.get("sort") or (SortOrder.RELEVANCE if ranking is not None else SortOrder.DATE)
    order_params = []
    if sort == SortOrder.TITLE:
        order = "title, id"
    elif sort == SortOrder.RELEVANCE and ranking is not None:
        order, order_params = "array_position(%s::integer[], id)", [list(ranking)]
    else:
        order = "next_start, title, id"
    # The page's courses: page `number` of `per_page` (the last parameters), or the last page if past it.
    listed = (
        ", listed AS (SELECT id, position FROM (SELECT id, row_number() OVER (ORDER BY "  # noqa: S608
        f"{order}) AS position, COUNT(*) OVER () AS total FROM matched WHERE next_start IS NOT NULL AND {everything})"
        " AS ranked WHERE (position - 1) / %s + 1 = LEAST(%s, (GREATEST(total, 1) - 1) / %s + 1)) "
    )
    parts.append("SELECT 'listing', id::text, position FROM listed")
    # Their links to centres and topics, for the cards (_attach_taxonomy): "course entry", link id.
    for facet in TAXONOMY_LINKS:
        field = getattr(CoursePage, COURSE_FACETS[facet]).field
        course, entry = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
        parts.append(
            f"SELECT '{facet}-link', l.{course}::text || ' ' || l.{entry}::text, l.id FROM listed"  # noqa: S608
            f" JOIN {quote(field.remote_field.through._meta.db_table)} l ON l.{course} = listed.id"
        )
    matched = (
        f"WITH matched AS MATERIALIZED (SELECT c.*, o.next_start, o.with_seats, o.languages"  # noqa: S608
        f" FROM ({course_sql}) AS c(id, translation_key, format, title, {', '.join(every)})"
        f" JOIN (SELECT o.course_key, MIN(o.start) FILTER (WHERE o.language_ok AND {seats}) AS next_start,"
        " bool_or(o.language_ok AND o.seats_ok) AS with_seats,"
        f" array_agg(DISTINCT o.language) FILTER (WHERE {seats}) AS languages"
        f" FROM ({occasion_sql}) AS o(course_key, language, start, seats_ok, language_ok) GROUP BY o.course_key)"
        " AS o ON o.course_key = c.translation_key) "
    )
    sql = matched + listed + " UNION ALL ".join(f"({part})" for part in parts)
    return sql, (*course_params, *occasion_params, *order_params)


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
    return _fill_page(page, list(page.object_list), filters, now, language_code)


def _fill_page(page, items, filters, now, language_code, links=None):
    """`page` showing the courses `items`, each with its matching occasions, centres and topics (`links`: see
    _attach_taxonomy)."""
    _attach_taxonomy(items, language_code or translation.get_language() or settings.LANGUAGE_CODE, links)

    def occasions_of(keys, when):
        return (
            matching_occasions(filters, when)
            .filter(course__translation_key__in=keys)
            .with_seats()
            .annotate(course_key=F("course__translation_key"))
            .order_by("start")
        )

    by_course = defaultdict(list)
    keys = [course.translation_key for course in items]
    if keys:
        shape = ("occasions", repr(sorted(filters.items())), len(keys))
        sql, params = _compiled_shape(shape, occasions_of, _uuid_stand_ins(len(keys)), keys, now)
        for occasion in Occasion.objects.raw(sql, params):
            key = occasion.course_key  # a raw query's extra column is as the driver gives it: SQLite's is hex text
            by_course[key if isinstance(key, uuid.UUID) else uuid.UUID(key)].append(occasion)
    for course in items:
        course.matching_occasions = by_course[course.translation_key]
    page.object_list = items
    return page


# The queries of a page of results are small: compiling them cost more of this process's time than PostgreSQL
# took to run them. Their SQL depends only on their shape (the filters, how many courses), so each shape is
# compiled once, with stand-in values (and _NOW) that each run replaces by the real ones.
_compiled_shapes = {}


def _int_stand_ins(n):
    return [-(10**15) - i for i in range(n)]


def _uuid_stand_ins(n):
    return [uuid.UUID(int=(0xFFFF << 112) + i) for i in range(n)]


def _compiled_shape(shape, build, stand_ins, values, now=None):
    """(sql, params) of the queryset build(values, now), compiled as build(stand_ins, _NOW) once per `shape`.

    PostgreSQL only: other backends turn values into strings while compiling (SQLite writes an instant as text), so
    a stand-in would stay in the SQL unnoticed; there each run compiles its own."""
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        return build(values, now).query.sql_with_params()
    compiled = _compiled_shapes.get(shape)
    if compiled is None:
        if len(_compiled_shapes) >= COMPILED_FACETS_KEPT:
            _compiled_shapes.clear()
        compiled = _compiled_shapes[shape] = build(stand_ins, _NOW).query.sql_with_params()
    sql, params = compiled
    real = {**dict(zip(stand_ins, values, strict=True)), _NOW: now}
    swapped, replaced = [], set()
    for param in params:
        try:
            value = real.get(param, param)
        except TypeError:  # unhashable (a list): not a stand-in
            value = param
        if value is not param:
            replaced.add(param)
        swapped.append(value)
    if replaced != {*stand_ins, *({_NOW} & replaced)}:  # a stand-in did not reach the SQL as such: no shortcut
        return build(values, now).query.sql_with_params()
    return sql, swapped


TAXONOMY_LINKS = ("centre", "topic")  # on the cards


def _attach_taxonomy(courses, language_code, links=None):
    """Set `localized_centres` and `localized_topics` on each course, in the visitor's language: the links of
    both in one query (unless given: {(facet, course id): [(link id, entry id)]}), the entries from the cached
    taxonomy."""
    if not courses:
        return
    relations = {facet: getattr(CoursePage, COURSE_FACETS[facet]) for facet in TAXONOMY_LINKS}
    if links is None:
        links = _taxonomy_links(courses, relations)
    _localize(courses, language_code, relations, links)


def _taxonomy_links(courses, relations):
    """The courses' links to their centres and topics, in one query."""

    def links_of(ids, _now):
        parts = []
        for facet, descriptor in relations.items():
            through = descriptor.through
            target = f"{descriptor.field.related_model._meta.model_name}_id"
            parts.append(
                through.objects.filter(coursepage_id__in=ids)
                .order_by()
                .values_list(Value(facet, output_field=CharField()), "coursepage_id", target, "pk")
            )
        return parts[0].union(*parts[1:], all=True)

    ids = [course.pk for course in courses]
    sql, params = _compiled_shape(("links", len(ids)), links_of, _int_stand_ins(len(ids)), ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    links = defaultdict(list)
    for facet, course_id, entry_id, link_id in rows:
        links[facet, course_id].append((link_id, entry_id))
    return links


def _localize(courses, language_code, relations, links):
    """Each course's entries in the taxonomy order, from the cache (a newer entry read once)."""
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
