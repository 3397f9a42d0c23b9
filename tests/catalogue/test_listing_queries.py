"""The catalogue listing costs the same few queries whatever the number of courses."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from modelsearch.backends import get_search_backends

from catalogue.models import CatalogueIndexPage, SiteLinks, StandardPage
from catalogue.setup import ensure_site
from courses import page_cache
from courses.factories import (
    AudienceFactory,
    CentreFactory,
    CoursePageFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    translate_snippet,
)
from courses.models import CoursePage
from enrolment.factories import EnrolmentFactory

# The remembered route (1) and the view restrictions of the page and its ancestors (1), facet counts with the
# total, the page's course ids and their centres and topics (1), the page's courses (1), their occasions (1),
# the site's addresses (1), the language switch (1), the footer's links and their translations (2); a search
# adds its own (1).
MAX_QUERIES = 9
SEARCH_QUERIES = 1
# Other databases than PostgreSQL (SQLite for `make run`) count the facets and read the page's courses in two.
OTHER_DATABASES_QUERIES = 1


@pytest.fixture(scope="module")
def hundred_courses(django_db_setup, django_db_blocker):
    """100 courses in Swedish and English, each with occasions, built once and rolled back after the module.

    Each course has a shared centre and one of its own, a topic and audience, an occasion with an
    enrolment and an unlimited English occasion. Returns the translation keys in title order.
    """
    # Indexing every save is most of the cost of building pages; index the course pages once at the end.
    no_auto_update = {
        name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(WAGTAILSEARCH_BACKENDS=no_auto_update):
        skeleton = ensure_site()
        # The footer's links, in both languages, as on the real site.
        links = SiteLinks.load()
        for field, (sv, en) in {
            "privacy_notice": ("Integritet", "Privacy"),
            "accessibility_statement": ("Tillg", "Access"),
        }.items():
            page = skeleton.home["sv"].add_child(instance=StandardPage(title=sv, slug=sv.lower()))
            skeleton.home["en"].add_child(
                instance=StandardPage(
                    title=en, slug=en.lower(), locale=skeleton.home["en"].locale, translation_key=page.translation_key
                )
            )
            setattr(links, field, page)
        links.save()
        centre, topic, audience = CentreFactory(), TopicFactory(), AudienceFactory()
        translate_snippet(centre, "en", name="English centre")
        translate_snippet(topic, "en", name="English topic")
        catalogue_en = CatalogueIndexPage.objects.get(locale__language_code="en")
        keys = []
        for n in range(100):
            # Pages without revisions, and an English version made directly rather than through
            # copy_for_translation: the listing only needs live pages sharing a translation key.
            fields = {"centres": [centre, CentreFactory()], "topics": [topic], "audiences": [audience]}
            course = create_course(title=f"Kurs {n:03}", revision=False, **fields)
            CoursePageFactory(
                parent=catalogue_en,
                title=f"Course {n:03}",
                translation_key=course.translation_key,
                revision=False,
                **fields,
            )
            EnrolmentFactory(occasion=OccasionFactory(course=course, capacity=5))
            OccasionFactory(course=course, capacity=None, language="en")
            keys.append(course.translation_key)
        for backend in get_search_backends():
            backend.add_bulk(CoursePage, list(CoursePage.objects.all()))
        yield keys
        transaction.set_rollback(True)


def listing_queries(client, url):
    page_cache.invalidate()  # as after a publish: nothing rendered before is reused
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/sv/kurser/",
        "/en/courses/",
        "/sv/kurser/?has_seats=on&language=sv&language=en&sort=title",
        "/en/courses/?q=course",
        "/sv/kurser/?page=2",
    ],
)
@override_settings(CATALOGUE_PAGE_SIZE=12)
def test_listing_queries_do_not_grow_with_the_number_of_courses(client, db, hundred_courses, url):
    # Hide 90 of the 100 courses, count, show them again, count.
    hidden = CoursePage.objects.filter(translation_key__in=hundred_courses[10:])
    hidden.update(live=False)
    client.get(url)  # warm per-process caches (site root paths, content types)
    with_10, text_10 = listing_queries(client, url)

    hidden.update(live=True)
    with_100, text_100 = listing_queries(client, url)

    assert with_10 == with_100
    other_database = OTHER_DATABASES_QUERIES if connection.vendor != "postgresql" else 0
    assert with_100 <= MAX_QUERIES + (SEARCH_QUERIES if "q=" in url else 0) + other_database
    # The listing really showed 10 courses, then a full page of the 100.
    assert (text_10.count('class="course-card"'), text_100.count('class="course-card"')) == (10, 12)
    # The footer links each page in the visitor's language.
    assert ('href="/en/privacy/"' in text_100) == url.startswith("/en/")
    assert ('href="/sv/integritet/"' in text_100) == url.startswith("/sv/")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2",
        "page=9",
        "page=0",
        "sort=title&page=3",
        "has_seats=on&language=en",
        "topic=nothing",
        "q=kurs&page=2",
        "q=kurs&sort=date",
    ],
)
def test_the_listing_query_gives_what_the_orm_listing_gives(db, hundred_courses, query):
    """On PostgreSQL the counts and the page of courses come from one hand-written query: the same counts, the
    same courses in the same order as the queries the ORM builds (the path of other databases)."""
    from django.http import QueryDict
    from django.utils import timezone
    from wagtail.models import Locale

    from catalogue import services
    from catalogue.forms import CatalogueFilterForm

    if connection.vendor != "postgresql":
        pytest.skip("the one-query listing is PostgreSQL's")
    # Courses starting in another order than their ids, so that an order by id would show.
    for n, course in enumerate(CoursePage.objects.filter(locale__language_code="sv").order_by("-pk")):
        course.occasions.update(start=timezone.now() + timezone.timedelta(days=10 + n % 7, hours=n))
    locale = Locale.objects.get(language_code="sv")
    params = QueryDict(query)
    filters = CatalogueFilterForm(params, language_code="sv").filters
    text = services.search_text(filters)
    ranking = services.search_ranking(text, locale) if text else None
    now = timezone.now()

    counts, total, page = services.catalogue_listing(filters, locale, params.get("page"), ranking, now, per_page=12)

    expected_counts, expected_total = services._read_counts(
        list(services._facet_union(filters, locale.pk, now, ranking))
    )
    courses, ranks = services.find_courses(filters, locale, now, ranking)
    expected = services.catalogue_page(courses, ranks, params.get("page"), filters, now, per_page=12)
    assert (counts, total) == (expected_counts, expected_total)
    assert page.number == expected.number
    assert [course.pk for course in page.object_list] == [course.pk for course in expected.object_list]
    assert [
        ([o.pk for o in c.matching_occasions], c.localized_centres, c.localized_topics) for c in page.object_list
    ] == [([o.pk for o in c.matching_occasions], c.localized_centres, c.localized_topics) for c in expected.object_list]
