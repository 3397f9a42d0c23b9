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
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.utils import timezone, translation
from wagtail.models import Locale

from courses.models import Centre, CoursePage, Occasion, Topic, localized

from .forms import SortOrder
from .search_backend import plain_search_text

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
    # public() reads the view restrictions when it is called: call it once per request, not once per facet.
    return CoursePage.objects.live().public().filter(locale=locale)


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
    """How many courses each facet value would give: {facet: {value: count}}, and "has_seats": count.

    A value's count keeps every other filter and drops its own facet's, since values within a facet widen
    the choice (topic A or B). One query per facet, whatever the number of courses or values.
    """
    locale = _locale(language)
    query = search_text(filters)
    if query and ranking is None:
        ranking = search_ranking(query, locale)
    ranking = ranking if query else None
    pages = _course_pages(locale)

    def courses_without(facet):
        return _matching_courses({k: v for k, v in filters.items() if k != facet}, pages, ranking, now)

    counts = {}
    for facet, relation in COURSE_FACETS.items():
        field = getattr(CoursePage, relation).field
        target = field.related_model._meta.model_name
        rows = (
            field.remote_field.through.objects.filter(coursepage__in=courses_without(facet).values("pk"))
            .values_list(f"{target}__slug")
            .annotate(n=Count("coursepage", distinct=True))
            .order_by()
        )
        counts[facet] = dict(rows)
    counts["format"] = dict(courses_without("format").order_by().values_list("format").annotate(n=Count("pk")))
    # Language describes occasions: a course counts for each language one of its matching occasions is in.
    others = {k: v for k, v in filters.items() if k != "language"}
    occasions = matching_occasions(others, now).filter(
        course__translation_key__in=courses_without("language").values("translation_key")
    )
    counts["language"] = dict(
        occasions.order_by().values_list("language").annotate(n=Count("course__translation_key", distinct=True))
    )
    counts["has_seats"] = _matching_courses({**filters, "has_seats": True}, pages, ranking, now).count()
    return counts


def catalogue_page(courses, ranks, page_number, filters, now=None, per_page=None):
    """One page of results with their matching occasions, centres and topics, in a fixed number of queries."""
    courses = courses.prefetch_related(None)
    if ranks is not None:
        # Relevance order comes from the search backend; the result set is small enough to sort here.
        courses = sorted(courses, key=lambda course: ranks[course.pk])
    page = Paginator(courses, per_page or settings.CATALOGUE_PAGE_SIZE).get_page(page_number)
    items = list(page.object_list)
    # localized() reads each entry's locale: fetch it with the entries, not once per entry.
    prefetch_related_objects(
        items,
        Prefetch("centres", queryset=Centre.objects.select_related("locale")),
        Prefetch("topics", queryset=Topic.objects.select_related("locale")),
    )
    for relation in ("centres", "topics"):
        _attach_localized(items, relation)

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


def _attach_localized(courses, relation):
    """Set `localized_<relation>` on each course, translating all entries with one query."""
    entries = [entry for course in courses for entry in getattr(course, relation).all()]
    translated = iter(localized(entries))
    for course in courses:
        count = len(getattr(course, relation).all())
        setattr(course, f"localized_{relation}", [next(translated) for _ in range(count)])
