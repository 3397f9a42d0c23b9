"""The network is named in the reader's language wherever it signs: the sender of every e-mail, the ORGANIZER
of calendar invitations and the name of the personal calendar feed."""

import pytest
from django.core import mail
from icalendar import Calendar

from enrolment import services
from enrolment.factories import EnrolmentFactory

from .conftest import invitation, only_event

pytestmark = pytest.mark.django_db

NAME = {"sv": "ATMP-kurser", "en": "ATMP Courses"}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_sender_and_the_organiser_are_named_in_the_recipients_language(
    person, occasion, django_capture_on_commit_callbacks, language
):
    someone = person(language)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(someone, occasion.pk)

    (email,) = mail.outbox
    assert email.from_email == f"{NAME[language]} <kurser@atmp-centrum.se>"
    assert email.message()["From"] == f"{NAME[language]} <kurser@atmp-centrum.se>"
    calendar, _mimetype = invitation(email)
    organizer = only_event(calendar)["organizer"]
    assert str(organizer) == "mailto:kurser@atmp-centrum.se"
    assert organizer.params["cn"] == NAME[language]


@pytest.mark.parametrize(("language", "feed_name"), [("sv", "Mina ATMP-kurser"), ("en", "My ATMP courses")])
def test_the_personal_calendar_feed_is_named_in_the_persons_language(client, person, occasion, language, feed_name):
    someone = person(language)
    EnrolmentFactory(user=someone, occasion=occasion)

    # Calendar apps send no language of their own: the feed follows the person, not the request.
    response = client.get(
        f"/calendar/{someone.calendar_token}.ics", HTTP_ACCEPT_LANGUAGE="sv" if language == "en" else "en"
    )

    assert response.status_code == 200
    assert Calendar.from_ical(response.content)["x-wr-calname"] == feed_name
