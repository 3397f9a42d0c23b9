"""The read-only JSON API the regions' intranets use to list courses."""

from decimal import Decimal

import pytest

from courses.factories import OccasionFactory, TopicFactory, create_course, translate_course, translate_snippet

pytestmark = pytest.mark.usefixtures("site")

COURSES_EN = "/api/v2/pages/?type=courses.CoursePage&locale=en&fields=summary,upcoming_occasions_api"


@pytest.fixture
def english_course():
    topic = TopicFactory(name="Cellterapi")
    translate_snippet(topic, "en", name="Cell therapy")
    course = create_course(title="CAR-T i praktiken", topics=[topic])
    OccasionFactory(course=course, capacity=12, language="en")
    OccasionFactory(course=course, past=True)
    return translate_course(course, "en", title="CAR-T in practice", summary="From apheresis to infusion.")


def test_api_lists_the_english_courses(client, english_course):
    create_course(title="Bara på svenska")

    data = client.get(COURSES_EN).json()

    assert data["meta"]["total_count"] == 1
    [item] = data["items"]
    assert item["title"] == "CAR-T in practice"
    assert item["summary"] == "From apheresis to infusion."
    assert item["meta"]["locale"] == "en"


def test_api_gives_the_upcoming_occasions_of_the_swedish_page(client, english_course):
    [item] = client.get(COURSES_EN).json()["items"]

    [occasion] = item["upcoming_occasions_api"]
    assert occasion["language"] == "en"
    assert occasion["capacity"] == 12
    assert occasion["seats_left"] == 12
    assert occasion["availability"] == "open"
    assert occasion["url"].endswith(f"{english_course.url}occasions/{occasion['id']}/")
    assert occasion["fee"] is None  # free of charge


def test_api_gives_each_occasions_fee_with_its_vat_status(client):
    course = create_course(title="GMP för ATMP", fee=Decimal("4500"), fee_vat="exempt")
    whole_day = OccasionFactory(course=course)
    evening = OccasionFactory(course=course, fee=Decimal("1200.50"))
    free = OccasionFactory(course=course, fee=Decimal("0"))
    translate_course(course, "en", title="GMP for ATMPs")  # the translation carries the fee, as a sync does

    [item] = client.get(COURSES_EN).json()["items"]

    fees = {occasion["id"]: occasion["fee"] for occasion in item["upcoming_occasions_api"]}
    assert fees == {
        whole_day.pk: {"amount": "4500.00", "currency": "SEK", "vat": "exempt"},
        evening.pk: {"amount": "1200.50", "currency": "SEK", "vat": "exempt"},
        free.pk: None,
    }


def test_api_names_topics_in_the_page_language(client, english_course):
    response = client.get(f"/api/v2/pages/{english_course.pk}/")

    assert response.json()["topic_names"] == ["Cell therapy"]


def test_api_lists_swedish_courses_with_locale_sv(client, english_course):
    data = client.get("/api/v2/pages/?type=courses.CoursePage&locale=sv").json()

    assert [item["title"] for item in data["items"]] == ["CAR-T i praktiken"]


@pytest.mark.parametrize("query", ["search=a%00b", "title=%00", "locale=en&search=%00"])
def test_a_nul_character_in_the_query_is_refused_with_a_reason(client, english_course, query):
    response = client.get(f"/api/v2/pages/?{query}")

    assert response.status_code == 400
    assert "NUL" in response.json()["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('search="', None),
        ('search=a"b', None),
        ("search=x&search_operator=xor", "search_operator must be 'and' or 'or'"),
        ("offset=99999999999999999999", "offset cannot be higher than"),
        ("type=courses.CoursePage&cpd_hours=abc", "'abc' is not a valid value for cpd_hours"),
        ("type=courses.CoursePage&first_published_at=tomorrow", "not a valid value for first_published_at"),
        ("alias_of=99999999999999999999", "out of range for alias_of"),
    ],
)
def test_malformed_parameters_from_issue_11_get_an_answer_not_a_server_error(client, english_course, query, message):
    response = client.get(f"/api/v2/pages/?{query}")

    if message is None:  # a quote in a search is no syntax: it is read as a space
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert message in response.json()["message"]


def test_a_search_with_quotes_finds_what_the_words_find(client, english_course):
    response = client.get('/api/v2/pages/?type=courses.CoursePage&locale=en&search="practice"')

    assert [item["title"] for item in response.json()["items"]] == ["CAR-T in practice"]


def test_find_by_id_needs_a_number(client, english_course):
    response = client.get("/api/v2/pages/find/?id=abc")

    assert response.status_code == 400
    assert response.json()["message"] == "id must be a positive integer"


def test_a_nul_character_is_refused_by_the_detail_view_too(client, english_course):
    response = client.get(f"/api/v2/pages/{english_course.pk}/?site=%00")

    assert response.status_code == 400
    assert "NUL" in response.json()["message"]


def test_courses_can_be_filtered_by_format(client, english_course):
    create_course(title="Distanskurs", format="online")

    online = client.get("/api/v2/pages/?type=courses.CoursePage&format=online").json()
    unknown = client.get("/api/v2/pages/?type=courses.CoursePage&format=telepathy")

    assert [item["title"] for item in online["items"]] == ["Distanskurs"]
    assert unknown.status_code == 200
    assert unknown.json()["items"] == []
