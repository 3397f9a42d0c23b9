"""Calendar files: one per occasion and a feed for a filtered catalogue, read back with icalendar."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.factories import OccasionFactory, TopicFactory, create_course, translate_course

pytestmark = pytest.mark.usefixtures("site")

NEXT_YEAR = timezone.localdate().year + 1


def at(month, day, hour=9):
    return timezone.make_aware(dt.datetime(NEXT_YEAR, month, day, hour))


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return cal.walk("VEVENT")


@pytest.fixture
def course():
    return create_course(title="CAR-T i praktiken", summary="Från aferes till infusion.")


def test_occasion_calendar_file(client, course):
    occasion = OccasionFactory(course=course, start=at(3, 10), venue="Aula", city="Lund")

    [event] = events(calendar(client, f"{course.url}occasions/{occasion.pk}.ics"))

    assert str(event["UID"]) == f"occasion-{occasion.pk}@atmp-courses.se"
    assert str(event["SUMMARY"]) == "CAR-T i praktiken"
    assert event.decoded("DTSTART") == at(3, 10)
    assert event.decoded("DTEND") == at(3, 10, hour=16)
    assert "Aula" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"{course.url}occasions/{occasion.pk}/")


def test_occasion_times_are_stockholm_time_with_a_timezone(client, course):
    occasion = OccasionFactory(course=course, start=at(7, 1))

    cal = calendar(client, f"{course.url}occasions/{occasion.pk}.ics")
    [event] = events(cal)

    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART").hour == 9
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]


def test_occasion_calendar_file_is_a_download(client, course):
    occasion = OccasionFactory(course=course)

    response = client.get(f"{course.url}occasions/{occasion.pk}.ics")

    assert response["Content-Disposition"].startswith("attachment;")


def test_cancelled_occasion_calendar_file_says_cancelled(client, course):
    occasion = OccasionFactory(course=course, cancelled=True)

    [event] = events(calendar(client, f"{course.url}occasions/{occasion.pk}.ics"))

    assert str(event["STATUS"]) == "CANCELLED"


def test_english_page_serves_the_swedish_occasion_with_the_english_title(client, course):
    occasion = OccasionFactory(course=course)
    english = translate_course(course, "en", title="CAR-T in practice")

    [event] = events(calendar(client, f"{english.url}occasions/{occasion.pk}.ics"))

    assert str(event["SUMMARY"]) == "CAR-T in practice"
    assert str(event["UID"]) == f"occasion-{occasion.pk}@atmp-courses.se"


def test_unknown_occasion_calendar_file_is_not_found(client, course):
    other = OccasionFactory()

    assert client.get(f"{course.url}occasions/{other.pk}.ics").status_code == 404


def test_feed_lists_every_upcoming_occasion(client, course):
    OccasionFactory(course=course, start=at(3, 10))
    OccasionFactory(course=course, start=at(4, 10))
    OccasionFactory(course=create_course(title="Genterapi"), start=at(5, 10))
    OccasionFactory(course=course, past=True)

    cal = calendar(client, "/sv/kurser/feed.ics")

    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events(cal)] == [
        ("CAR-T i praktiken", at(3, 10)),
        ("CAR-T i praktiken", at(4, 10)),
        ("Genterapi", at(5, 10)),
    ]
    assert str(cal["X-WR-CALNAME"]) == "Kurser"


def test_feed_honours_the_filters(client):
    topic = TopicFactory(name="Genterapi")
    wanted = OccasionFactory(course=create_course(title="AAV-vektorer", topics=[topic]))
    OccasionFactory(course=create_course(title="CAR-T"))

    [event] = events(calendar(client, f"/sv/kurser/feed.ics?topic={topic.slug}"))

    assert str(event["UID"]) == wanted.ical_uid
    assert str(event["SUMMARY"]) == "AAV-vektorer"


def test_feed_lists_only_matching_occasions_of_a_course(client, course):
    OccasionFactory(course=course, start=at(3, 10), language="sv")
    english = OccasionFactory(course=course, start=at(4, 10), language="en")

    [event] = events(calendar(client, "/sv/kurser/feed.ics?language=en"))

    assert str(event["UID"]) == english.ical_uid


def test_english_feed_uses_english_titles(client, course):
    OccasionFactory(course=course)
    translate_course(course, "en", title="CAR-T in practice")

    [event] = events(calendar(client, "/en/courses/feed.ics"))

    assert str(event["SUMMARY"]) == "CAR-T in practice"


def test_feed_with_bad_filters_still_answers(client, course):
    OccasionFactory(course=course)

    cal = calendar(client, "/sv/kurser/feed.ics?month=2027-13&topic=nope&q=%22")

    assert len(events(cal)) == 1


def test_unpublished_course_has_no_calendar_file(client, course):
    occasion = OccasionFactory(course=course)
    course.unpublish()

    assert client.get(f"{course.url}occasions/{occasion.pk}.ics").status_code == 404


def test_unknown_file_under_the_catalogue_is_not_found(client):
    assert client.get("/sv/kurser/other.ics").status_code == 404
    assert client.get("/sv/no-such-page/feed.ics").status_code == 404


def test_catalogue_links_to_its_filtered_feed(client, course):
    topic = TopicFactory()
    OccasionFactory(course=create_course(title="Med ämnet", topics=[topic]))
    OccasionFactory(course=course)
    text = client.get(f"/sv/kurser/?topic={topic.slug}").content.decode()

    assert f'href="/sv/kurser/feed.ics?topic={topic.slug}"' in text
    assert [str(e["SUMMARY"]) for e in events(calendar(client, f"/sv/kurser/feed.ics?topic={topic.slug}"))] == [
        "Med ämnet"
    ]


def test_the_feed_keeps_a_cancelled_occasion_as_cancelled_so_calendars_remove_it(client, site):
    from icalendar import Calendar

    from courses.factories import OccasionFactory, create_course, future_morning

    course = create_course(site.catalogue["sv"], title="Vävnadsteknik i praktiken")
    OccasionFactory(course=course)
    called_off = OccasionFactory(course=course, start=future_morning(days=37), cancelled=True)

    response = client.get(site.catalogue["sv"].url + "feed.ics")

    events = {str(event["UID"]): str(event["STATUS"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}
    assert events[called_off.ical_uid] == "CANCELLED"
