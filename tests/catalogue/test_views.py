"""The catalogue as a visitor sees it through the browser's requests: filters, bad input, languages."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from courses.factories import OccasionFactory, TopicFactory, create_course, translate_course

pytestmark = pytest.mark.usefixtures("site")

NEXT_YEAR = timezone.localdate().year + 1


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def course_on(start=None, **fields):
    course = create_course(**fields)
    OccasionFactory(course=course, **({"start": start} if start else {}))
    return course


def html_lang(text):
    return re.search(r"<html[^>]*\blang=\"([^\"]+)\"", text).group(1)


# --- Listing ----------------------------------------------------------------------------------------


def test_catalogue_lists_upcoming_courses(client):
    course_on(title="Cellterapi vid leukemi")

    assert "Cellterapi vid leukemi" in html(client.get("/sv/kurser/"))


def test_catalogue_filtered_by_topic(client):
    topic = TopicFactory(name="Genterapi")
    course_on(title="AAV-vektorer", topics=[topic])
    course_on(title="CAR-T i praktiken")

    text = html(client.get(f"/sv/kurser/?topic={topic.slug}"))

    assert "AAV-vektorer" in text
    assert "CAR-T i praktiken" not in text


def test_catalogue_search(client):
    course_on(title="Cellterapi vid leukemi")
    course_on(title="Genterapi")

    text = html(client.get("/sv/kurser/?q=leukemi"))

    assert "Cellterapi vid leukemi" in text
    assert "Genterapi" not in text


def test_english_catalogue_lists_english_titles(client):
    course = course_on(title="Cellterapi vid leukemi")
    translate_course(course, "en", title="Cell therapy for leukaemia")

    text = html(client.get("/en/courses/"))

    assert "Cell therapy for leukaemia" in text
    assert "Cellterapi vid leukemi" not in text


def test_catalogue_without_matches_says_so(client):
    course_on(title="Cellterapi")

    assert "No course matches all of these choices." in html(client.get("/en/courses/?q=quantum"))


# --- Bad input: always a page, with a message -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("topic=no-such-topic", "An unknown value was ignored."),
        ("format=teleportation", "An unknown value was ignored."),
        ("language=xx", "An unknown value was ignored."),
        ("month=2027-13", "Give the month as year and month, for example 2027-03."),
        ("month=garbage", "Give the month as year and month, for example 2027-03."),
        ("date_from=garbage", "Enter a valid date."),
        ("date_to=2027-02-30", "Enter a valid date."),
        ("date_from=2027-05-01&date_to=2027-04-01", "The end date is before the start date."),
        ("q=" + "x" * 5000, "The search text was shortened to 200 characters."),
    ],
)
def test_bad_filter_gives_the_page_with_a_message(client, query, message):
    translate_course(course_on(title="Genterapi", revision=False), "en", title="Gene therapy")

    text = html(client.get(f"/en/courses/?{query}"))

    assert message in text
    assert "Gene therapy" in text or "No course matches" in text


def test_unknown_value_does_not_spoil_the_other_filters(client):
    topic = TopicFactory()
    course_on(title="Med ämnet", topics=[topic])
    course_on(title="Utan ämnet")

    text = html(client.get(f"/sv/kurser/?topic={topic.slug}&topic=no-such-topic"))

    assert "Med ämnet" in text
    assert "Utan ämnet" not in text


@pytest.mark.parametrize(
    "query",
    [
        "page=999",
        "page=abc",
        "page=-1",
        "page=",
        "sort=sideways",
        "has_seats=maybe",
        "q=" + "leukemi " * 700,
        "q=%00",
        "q=a%00b",
        'q="',
        "q=*",
        "q=AND",
        "q=OR+NOT",
        "q=(",
        "q=-",
        "q=title:x",
        "q=^",
        "q=NEAR(a+b)",
        "q=%E2%80%9D%3C%2Fscript%3E",
        "q=50%25",
        "q=%25s+%25s",
        "q=a%27b",
        "q=%5C",
        "q=%22a+b%22",
        "q=a%22b+c",
        "q=%27%22%3B+DROP+TABLE",
        "month=0001-01",
        "month=9999-12",
        "date_from=0001-01-01",
        "date_to=0001-01-01",
        "date_from=9999-12-31",
        "topic=" + "x" * 5000,
        "month=99999-01",
        "date_from=0000-01-01",
        "date_to=9999-12-31",
    ],
)
def test_odd_input_never_breaks_the_catalogue(client, query):
    course_on(title="Cellterapi vid leukemi", revision=False)

    assert client.get(f"/sv/kurser/?{query}").status_code == 200


def test_page_past_the_end_shows_the_last_page(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for month in (3, 4, 5):
        course_on(timezone.make_aware(dt.datetime(NEXT_YEAR, month, 1, 9)), title=f"Kurs {month}")

    text = html(client.get("/sv/kurser/?page=999"))

    assert "Kurs 5" in text
    assert "Kurs 3" not in text


def test_search_text_is_escaped(client):
    text = html(client.get("/sv/kurser/?q=%3Cscript%3Ealert(1)%3C/script%3E"))

    assert "<script>alert(1)</script>" not in text


# --- Course pages and languages ---------------------------------------------------------------------


def test_swedish_course_page_is_in_swedish(client):
    course = course_on(title="Cellterapi vid leukemi")

    text = html(client.get(course.url))

    assert course.url.startswith("/sv/kurser/")
    assert html_lang(text) == "sv"
    assert "Cellterapi vid leukemi" in text


def test_english_course_page_is_in_english(client):
    english = translate_course(course_on(title="Cellterapi vid leukemi"), "en", title="Cell therapy for leukaemia")

    text = html(client.get(english.url))

    assert english.url.startswith("/en/courses/") and english.url.endswith("/cell-therapy-for-leukaemia/")
    assert html_lang(text) == "en"
    assert "Cell therapy for leukaemia" in text


def test_english_course_page_shows_the_occasions_of_the_swedish_page(client):
    course = course_on(title="Cellterapi vid leukemi")
    occasion = course.occasions.get()
    english = translate_course(course, "en", title="Cell therapy for leukaemia")

    assert f"occasions/{occasion.pk}/" in html(client.get(english.url))


def test_occasion_page(client):
    course = course_on(title="Cellterapi vid leukemi")
    occasion = course.occasions.get()

    assert "Cellterapi vid leukemi" in html(client.get(f"{course.url}occasions/{occasion.pk}/"))


def test_occasion_of_another_course_is_not_found(client):
    course = course_on(title="Cellterapi")
    other = course_on(title="Genterapi")

    assert client.get(f"{course.url}occasions/{other.occasions.get().pk}/").status_code == 404


def test_root_redirects_to_swedish_by_default(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/sv/"


def test_root_redirects_to_english_for_english_browsers(client):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("url", "lang"), [("/sv/", "sv"), ("/en/", "en"), ("/sv/kurser/", "sv"), ("/en/courses/", "en")]
)
def test_home_and_catalogue_pages_in_both_languages(client, url, lang):
    assert html_lang(html(client.get(url))) == lang
