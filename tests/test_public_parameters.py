"""Every public URL answers arbitrary query parameters without a server error (issue 11).

Hypothesis throws strings, numbers and repeated parameters at each public endpoint: the JSON API (listing,
detail, find), the catalogue (filters, search, pages) and its iCal feed, a course page and its occasion
routes, the enrolment link, the personal calendar, certificate verification, document links and the language
switch, and the materials library. Whatever it sends, the answer is below 500; the tests after
the property tests pin the examples from the issue to a clear 400.

Runs on whatever DATABASE_URL names (CI: PostgreSQL), where NUL characters, integer ranges and text-search
syntax fail differently than on SQLite. Each request runs in a savepoint, so a database error in one example
cannot poison the next.
"""

import os
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.api import CoursePagesAPIViewSet
from courses.factories import (
    OccasionFactory,
    TopicFactory,
    create_course,
    create_material,
    translate_course,
    translate_snippet,
)
from courses.models import CoursePage

pytestmark = pytest.mark.usefixtures("site")

FUZZ = settings(
    # FUZZ_EXAMPLES=1000 for a longer hunt; 50 keeps the file well under a minute.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    # The course data is built once per test and only read: examples may share it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that have broken parsers before, or are close to a boundary: quotes and operators of full-text search
# syntax, NUL, numbers beyond 64 bits, negative and fractional numbers, dates at the ends of the calendar.
TRICKY = [
    "",
    " ",
    '"',
    'a"b',
    "'",
    "a'b",
    "*",
    "a*",
    "(",
    ")",
    "-",
    "-a",
    "+",
    ":",
    "^",
    "a OR b",
    "NEAR(a b)",
    "AND",
    "NOT",
    "&",
    "|",
    "!",
    "<->",
    "\\",
    "%",
    "_",
    "\x00",
    "a\x00b",
    "\ufeff",
    "🧬",
    "0",
    "-1",
    "1.5",
    "1e400",
    "NaN",
    "inf",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "root",
    "true",
    "false",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "10000-01-01",
    "2027-02-30",
    "2027-13",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "*,-title",
    "_,title(",
    "title(*)",
    "random",
    "-title",
    "and",
    "or",
    "xor",
    "json",
    "api",
    "html",
    "courses.CoursePage",
    "catalogue.CatalogueIndexPage",
    "wagtailcore.Page",
    "courses.CoursePage,catalogue.StandardPage",
    "courses.Nope",
    "a.b.c",
    "sv",
    "en",
    "zz",
    "in_person",
    "online",
]

# Mostly the tricky values (one_of picks a branch uniformly), the rest anything at all.
tricky = st.sampled_from(TRICKY)
values = st.one_of(
    tricky,
    tricky,
    st.lists(tricky, min_size=2, max_size=3).map("".join),
    st.text(max_size=30),
    st.integers().map(str),
    st.integers(min_value=2**62, max_value=2**80).map(str),  # near and beyond 64 bits
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def query(focus, others=()):
    """A query string: one or two parameters named in `focus`, then 0–3 more from `others`, `focus` or made up.

    A request stops at its first bad parameter, so each example centres on a few parameters (a group) rather
    than spreading over all of them; names repeat now and then (`?search=a&search=b`).
    """
    focus, others = sorted(focus), sorted({*focus, *others})
    first = st.lists(st.tuples(st.sampled_from(focus), values), min_size=1, max_size=2)
    name = st.one_of(st.sampled_from(others), st.sampled_from(others), st.text(min_size=1, max_size=10))
    rest = st.lists(st.tuples(name, values), max_size=3)
    return st.tuples(first, rest).map(lambda pairs: urlencode(pairs[0] + pairs[1]))


def course_fields():
    return set(CoursePagesAPIViewSet.get_available_fields(CoursePage, db_fields_only=True))


# The API listing's parameters in groups that work together; the field filters need the course type named.
API_GROUPS = {
    "search": ({"search"}, {"search_operator", "order", "locale", "type", "offset"}),
    "pagination": ({"offset", "limit"}, {"order", "search", "locale"}),
    "tree": ({"child_of", "ancestor_of", "descendant_of", "translation_of", "locale", "site", "type"}, set()),
    "field filters": (None, {"order", "search"}),
    "output": ({"fields", "order", "rich_text_format", "format", "_"}, {"type", "search"}),
}
CATALOGUE_PARAMETERS = {
    "q",
    "topic",
    "centre",
    "audience",
    "format",
    "language",
    "month",
    "date_from",
    "date_to",
    "has_seats",
    "sort",
    "page",
}


@pytest.fixture
def course():
    """A course in both languages with an occasion, a topic and an English translation of the topic."""
    topic = TopicFactory(name="Cellterapi")
    translate_snippet(topic, "en", name="Cell therapy")
    course = create_course(title="CAR-T i praktiken", summary="Från aferes till infusion.", topics=[topic])
    occasion = OccasionFactory(course=course, capacity=12)
    translate_course(course, "en", title="CAR-T in practice", summary="From apheresis to infusion.")
    course.fuzz_occasion = occasion
    create_material(title="Checklista", topics=[topic], courses=[course], access="participants")
    return course


def get(client, url):
    with transaction.atomic():
        response = client.get(url)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    return response


@pytest.mark.parametrize("group", list(API_GROUPS))
@FUZZ
@given(data=st.data())
def test_the_api_listing_never_fails(client, course, group, data):
    focus, others = API_GROUPS[group]
    prefix = ""
    if focus is None:
        focus, prefix = course_fields(), "type=courses.CoursePage&"
    get(client, f"/api/v2/pages/?{prefix}{data.draw(query(focus, others))}")


@FUZZ
@given(data=st.data())
def test_the_api_detail_and_find_views_never_fail(client, course, data):
    page = data.draw(st.sampled_from([str(course.pk), "99999999999999999999", "0"]))
    get(client, f"/api/v2/pages/{page}/?{data.draw(query({'fields', 'type', 'site', 'rich_text_format'}))}")
    get(client, f"/api/v2/pages/find/?{data.draw(query({'id', 'html_path'}, {'type', 'site', 'fields'}))}")


@FUZZ
@given(data=st.data())
def test_the_catalogue_never_fails(client, course, data):
    language = data.draw(st.sampled_from(["/sv/kurser/", "/en/courses/"]))
    get(client, f"{language}?{data.draw(query(CATALOGUE_PARAMETERS))}")


LIBRARY_PARAMETERS = {"q", "topic", "centre", "audience", "kind", "language", "page"}


@FUZZ
@given(data=st.data())
def test_the_materials_library_never_fails(client, course, data):
    language = data.draw(st.sampled_from(["/sv/utbildningsmaterial/", "/en/materials/"]))
    get(client, f"{language}?{data.draw(query(LIBRARY_PARAMETERS))}")


@FUZZ
@given(data=st.data())
def test_the_catalogue_feed_never_fails(client, course, data):
    get(client, f"/sv/kurser/feed.ics?{data.draw(query(CATALOGUE_PARAMETERS))}")


@FUZZ
@given(
    occasion=st.one_of(st.integers(min_value=0), st.just(None)),
    route=st.sampled_from(["", "occasions/{}/", "occasions/{}.ics", "occasions/{}/enrol/", "/sv/enrol/{}/"]),
    parameters=query({"q", "page"}),
)
def test_occasion_routes_never_fail(client, course, occasion, route, parameters):
    number = course.fuzz_occasion.pk if occasion is None else occasion
    path = route.format(number)
    get(client, f"{path if path.startswith('/') else course.url + path}?{parameters}")


@FUZZ
@given(
    token=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=1, max_size=80)
)
def test_the_personal_calendar_never_fails(client, course, token):
    assert get(client, f"/calendar/{token}.ics").status_code == 404


@FUZZ
@given(parameters=query({"code"}))
def test_certificate_verification_never_fails(client, course, parameters):
    for path in ("/sv/intyg/", "/en/certificate/"):
        get(client, f"{path}?{parameters}")


@FUZZ
@given(
    document=st.integers(min_value=0),
    filename=st.one_of(st.text(min_size=1), st.sampled_from(TRICKY[1:])),
)
def test_document_links_never_fail(client, course, document, filename):
    get(client, f"/documents/{document}/{quote(filename, safe='')}")


@FUZZ
@given(parameters=query({"next", "language"}))
def test_the_language_switch_never_fails(client, course, parameters):
    get(client, f"/i18n/setlang/?{parameters}")


@FUZZ
@given(data=st.data())
def test_following_a_view_never_fails(client, course, data):
    """Alerts (catalogue/alert_views.py): the follow page takes any catalogue query, and so does its form."""
    view = data.draw(query(CATALOGUE_PARAMETERS))
    language = data.draw(st.sampled_from(["sv", "en"]))
    get(client, f"/{language}/alerts/?{urlencode({'query': view})}")
    fields = {"query": view, "email": data.draw(st.text(max_size=40)), "frequency": data.draw(st.text(max_size=10))}
    with transaction.atomic():
        response = client.post(f"/{language}/alerts/", fields)
    assert response.status_code < 500


@FUZZ
@given(
    token=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=1, max_size=80)
)
def test_alert_links_never_fail(client, course, token):
    for action in ("confirm", "unsubscribe"):
        assert get(client, f"/sv/alerts/{action}/{token}/").status_code == 404


@FUZZ
@given(
    token=st.one_of(st.text(min_size=1, max_size=300), st.sampled_from(TRICKY[1:])),
    answer=st.text(max_size=20),
    language=st.sampled_from(["sv", "en"]),
)
def test_the_line_managers_link_never_fails(client, course, token, answer, language):
    """enrolment/manager_views.py: any token, any answer, GET or POST: a clear refusal, never a server error."""
    url = f"/{language}/line-manager/{quote(token, safe='')}/"
    assert get(client, f"{url}?{urlencode({'answer': answer})}").status_code in (400, 404, 410)
    with transaction.atomic():
        response = client.post(url, {"answer": answer, "message": token})
    assert response.status_code in (400, 404, 410)
