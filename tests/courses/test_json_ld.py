"""schema.org Course data on the course page, read back the way a search engine reads it."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from courses.factories import CentreFactory, OccasionFactory, create_course, translate_course, translate_snippet
from courses.models import CourseFormat

pytestmark = pytest.mark.usefixtures("site")

NEXT_YEAR = timezone.localdate().year + 1


def at(month, day, hour=9):
    return timezone.make_aware(dt.datetime(NEXT_YEAR, month, day, hour))


def json_ld(client, url):
    response = client.get(url)
    assert response.status_code == 200
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), flags=re.DOTALL
    )
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def course():
    centre = CentreFactory(name="ATMP-centrum Göteborg", city="Göteborg", website="https://example.se/atmp")
    return create_course(title="CAR-T i praktiken", summary="Från aferes till infusion.", centres=[centre])


def test_course_page_describes_a_course(client, course):
    data = json_ld(client, course.url)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Course"
    assert data["name"] == "CAR-T i praktiken"
    assert data["description"] == "Från aferes till infusion."
    assert data["url"].startswith("http")
    assert data["url"].endswith(course.url)
    assert data["inLanguage"] == "sv"


def test_provider_is_the_organising_centre(client, course):
    provider = json_ld(client, course.url)["provider"]

    assert provider["@type"] == "Organization"
    assert provider["name"] == "ATMP-centrum Göteborg"
    assert provider["url"] == "https://example.se/atmp"


def test_one_course_instance_per_upcoming_occasion(client, course):
    first = OccasionFactory(course=course, start=at(3, 10))
    second = OccasionFactory(course=course, start=at(4, 10), language="en")
    OccasionFactory(course=course, past=True)

    instances = json_ld(client, course.url)["hasCourseInstance"]

    assert [i["@type"] for i in instances] == ["CourseInstance", "CourseInstance"]
    assert [dt.datetime.fromisoformat(i["startDate"]) for i in instances] == [first.start, second.start]
    assert [dt.datetime.fromisoformat(i["endDate"]) for i in instances] == [first.end, second.end]
    assert [i["inLanguage"] for i in instances] == ["sv", "en"]
    assert instances[0]["url"].endswith(f"{course.url}occasions/{first.pk}/")


def test_course_instance_in_person_has_a_place(client, course):
    OccasionFactory(course=course, mode=CourseFormat.IN_PERSON, venue="Aula", address="Blå stråket 5", city="Göteborg")

    [instance] = json_ld(client, course.url)["hasCourseInstance"]

    assert instance["courseMode"] == "Onsite"
    assert instance["location"]["@type"] == "Place"
    assert instance["location"]["name"] == "Aula"
    assert instance["location"]["address"]["streetAddress"] == "Blå stråket 5"
    assert instance["location"]["address"]["addressLocality"] == "Göteborg"
    assert instance["maximumAttendeeCapacity"] == 20


def test_course_instance_online_has_a_virtual_location(client, course):
    OccasionFactory(course=course, mode=CourseFormat.ONLINE)

    [instance] = json_ld(client, course.url)["hasCourseInstance"]

    assert instance["courseMode"] == "Online"
    assert instance["location"]["@type"] == "VirtualLocation"


def test_course_instance_hybrid_is_blended_with_both_locations(client, course):
    OccasionFactory(course=course, mode=CourseFormat.HYBRID)

    [instance] = json_ld(client, course.url)["hasCourseInstance"]

    assert instance["courseMode"] == "Blended"
    assert [place["@type"] for place in instance["location"]] == ["Place", "VirtualLocation"]


def test_cancelled_occasion_is_marked_cancelled(client, course):
    OccasionFactory(course=course, cancelled=True)

    [instance] = json_ld(client, course.url)["hasCourseInstance"]

    assert instance["eventStatus"] == "https://schema.org/EventCancelled"


def test_english_page_has_english_name_and_provider_and_the_swedish_occasions(client, course):
    translate_snippet(course.centres.get(), "en", name="ATMP Centre Gothenburg")
    occasion = OccasionFactory(course=course)
    english = translate_course(course, "en", title="CAR-T in practice", summary="From apheresis to infusion.")

    data = json_ld(client, english.url)

    assert data["name"] == "CAR-T in practice"
    assert data["provider"]["name"] == "ATMP Centre Gothenburg"
    assert [i["url"] for i in data["hasCourseInstance"]] == [
        f"{data['url']}occasions/{occasion.pk}/",
    ]


def test_text_cannot_close_the_script_element(client):
    course = create_course(title="Kurs </script><script>alert(1)</script>")

    response = client.get(course.url)

    assert "</script><script>alert(1)" not in response.content.decode()
    assert json_ld(client, course.url)["name"] == "Kurs </script><script>alert(1)</script>"


def test_course_meets_googles_course_info_requirements(client, course):
    """Google's Course info rich result: name, description, provider with a name, offers with a category,
    and every course instance with courseMode plus courseSchedule (duration, repeats) or courseWorkload."""
    OccasionFactory(course=course, start=at(5, 12, 9), end=at(5, 12, 16))

    data = json_ld(client, course.url)

    assert data["name"] and data["description"]
    assert data["provider"]["name"]
    assert [offer["category"] for offer in data["offers"]] == ["Free"]
    [instance] = data["hasCourseInstance"]
    assert instance["courseMode"] in {"Onsite", "Online", "Blended"}
    assert instance["courseWorkload"] == "PT7H"
    schedule = instance["courseSchedule"]
    assert schedule["@type"] == "Schedule"
    assert schedule["duration"] == "PT7H"
    assert schedule["repeatCount"] == 1
    assert re.fullmatch(r"P\d+[DWMY]", schedule["repeatFrequency"])
    assert schedule["startDate"] == f"{NEXT_YEAR}-05-12"
