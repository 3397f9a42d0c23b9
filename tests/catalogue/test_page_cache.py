"""Everyone gets cached pages, each with their own parts filled in; editors' changes show at once; private pages
are never cached."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from courses.factories import OccasionFactory, create_course
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

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


def test_logged_in_visitors_get_the_shared_page_with_their_own_name(client, course):
    client.force_login(UserFactory(first_name="Ingrid", last_name="Holm"))

    first = client.get(course.url)
    second = client.get(course.url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "Inloggad som Ingrid Holm" in second.content.decode()
    assert "private" in second["Cache-Control"]
    assert "<!--p:" not in second.content.decode()


def _csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _logged_in(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def test_two_people_never_see_each_others_parts(client, course, catalogue_sv):
    occasion = course.occasions.get()
    anna = UserFactory(first_name="Anna", last_name="Lind")
    erik = UserFactory(first_name="Erik", last_name="Berg")
    EnrolmentFactory(user=anna, occasion=occasion)
    as_anna, as_erik = _logged_in(anna), _logged_in(erik)

    for url in (course.url, catalogue_sv.url):
        annas = as_anna.get(url)
        eriks = as_erik.get(url)
        anonymous = client.get(url)

        assert (annas["X-Page-Cache"], eriks["X-Page-Cache"], anonymous["X-Page-Cache"]) == ("miss", "hit", "hit")
        annas, eriks, anonymous = (r.content.decode() for r in (annas, eriks, anonymous))
        assert "Anna Lind" in annas and "Erik Berg" not in annas
        assert "Erik Berg" in eriks and "Anna Lind" not in eriks
        assert "Du är anmäld" in annas
        assert "Du är anmäld" not in eriks and "Du är anmäld" not in anonymous
        assert "Logga in" in anonymous and "Anna Lind" not in anonymous and "Erik Berg" not in anonymous
        assert "csrfmiddlewaretoken" not in anonymous

    # Each person's page carries a CSRF token that is theirs: it works for them and for nobody else.
    annas_token, eriks_token = _csrf_token(annas), _csrf_token(eriks)
    assert as_erik.post("/sv/accounts/logout/", {"csrfmiddlewaretoken": annas_token}).status_code == 403
    assert as_erik.post("/sv/accounts/logout/", {"csrfmiddlewaretoken": eriks_token}).status_code == 302


def test_the_follow_form_on_a_shared_catalogue_page_is_the_persons_own(client, course, catalogue_sv):
    url = f"{catalogue_sv.url}?q=%3Cb%3Egen&page=1"
    client.get(url)  # someone else filled the cache
    anna = UserFactory(first_name="Anna", last_name="Lind")
    as_anna = _logged_in(anna)

    page = as_anna.get(url).content.decode()

    form = re.search(r'<form method="post" action="([^"]+)" class="follow-view">(.*?)</form>', page, re.DOTALL)
    assert form, "a logged-in person follows the view with one click"
    assert 'name="query" value="q=%3Cb%3Egen"' in form.group(2), "the view's own filters, escaped, without the page"
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1, "one token of the person's own for the page's forms (log out, follow)"
    answer = {"csrfmiddlewaretoken": tokens.pop(), "query": "q=gen", "frequency": "weekly"}
    assert as_anna.post(form.group(1), answer).status_code in (200, 302)


def test_the_course_page_links_the_person_to_their_enrolment_instead_of_enrolling(client, course):
    occasion = course.occasions.get()
    person = UserFactory()
    enrolment = EnrolmentFactory(user=person, occasion=occasion, status=Enrolment.Status.WAITING)
    client.get(course.url)  # someone else filled the cache
    client.force_login(person)

    page = client.get(course.url).content.decode()

    assert "Du står på reservlistan" in page
    assert f"/sv/my-courses/{enrolment.pk}/" in page
    assert f'href="/sv/enrol/{occasion.pk}/"' not in page


def test_a_private_page_is_never_served_from_the_cache(client, course):
    client.get(course.url)
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(course.url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_private_page_seen_by_someone_entitled_is_never_cached_for_others(client, course):
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(UserFactory())
    assert client.get(course.url).status_code == 200

    client.logout()
    response = client.get(course.url)

    assert response.status_code == 302
