"""Anonymous visitors get cached pages; editors' changes show at once; nobody else gets a cached page."""

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from courses.factories import OccasionFactory, create_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def course(site):
    page = create_course(site.catalogue["sv"], title="Biosäkerhet vid genterapi")
    OccasionFactory(course=page)
    return page


def test_an_anonymous_visitor_gets_the_second_view_from_the_cache(client, course):
    first = client.get(course.url)
    second = client.get(course.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_the_catalogue_is_cached_per_query_string(client, course, catalogue_sv):
    client.get(catalogue_sv.url)

    filtered = client.get(catalogue_sv.url + "?q=biosäkerhet")

    assert filtered["X-Page-Cache"] == "miss"
    assert "Biosäkerhet vid genterapi" in filtered.content.decode()


def test_publishing_a_change_shows_it_at_once(client, course):
    client.get(course.url)

    course.title = "Biosäkerhet vid genterapi – uppdaterad"
    course.save_revision().publish()
    response = client.get(course.url)

    assert response["X-Page-Cache"] == "miss"
    assert "uppdaterad" in response.content.decode()


def test_logged_in_visitors_never_get_or_fill_the_cache(client, course):
    client.force_login(UserFactory())

    first = client.get(course.url)
    second = client.get(course.url)

    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second


def test_a_private_page_is_never_served_from_the_cache(client, course):
    client.get(course.url)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(course.url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
