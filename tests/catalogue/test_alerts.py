"""Alerts: any catalogue view can be followed by e-mail. Double opt-in without an account, one click when logged
in; at once or a weekly digest of courses and occasions published afterwards that match; a one-click unsubscribe
in every mail; the person's alerts on their profile, in their data export and gone with their erasure."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts import privacy
from catalogue import alerts
from catalogue.models import Alert, AlertMatch, AlertMessage
from courses.factories import OccasionFactory, TopicFactory, create_course, translate_course, translate_snippet
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def car_t(site):
    topic = TopicFactory(name="CAR-T", slug="car-t")
    translate_snippet(topic, "en", name="CAR-T")
    return topic


@pytest.fixture
def gmp(site):
    topic = TopicFactory(name="GMP", slug="gmp")
    translate_snippet(topic, "en", name="GMP")
    return topic


def publish(title_sv, title_en, topic):
    course = create_course(title=title_sv, topics=[topic])
    translate_course(course, "en", title=title_en)
    OccasionFactory(course=course)
    return course


@pytest.fixture
def existing(car_t):
    """A CAR-T course published before anyone follows: never news."""
    return publish("CAR-T-grunder", "CAR-T basics", car_t)


@pytest.fixture
def person(site):
    return make_participant(email="karin.lind@example.se", first_name="Karin", preferred_language="sv")


def follow_by_click(client, person, query="topic=car-t", frequency="instant", language="sv"):
    client.force_login(person)
    return client.post(f"/{language}/alerts/", {"query": query, "frequency": frequency})


def run_and_send(django_capture_on_commit_callbacks, now=None):
    with django_capture_on_commit_callbacks(execute=True):
        queued = alerts.queue_matches(now=now)
    return queued


# --- Following ------------------------------------------------------------------------------------------


def test_a_logged_in_person_follows_a_filtered_view_with_one_click(client, person, existing):
    client.force_login(person)
    html = client.get("/sv/kurser/?topic=car-t").content.decode()
    assert 'action="/sv/alerts/"' in html
    assert 'name="query" value="topic=car-t"' in html

    response = follow_by_click(client, person)

    assert response.status_code == 302
    assert response["Location"].endswith("/sv/kurser/?topic=car-t")
    alert = Alert.objects.get()
    assert (alert.email, alert.user, alert.query, alert.frequency) == (person.email, person, "topic=car-t", "instant")
    assert alert.confirmed_at is not None
    assert not mail.outbox  # nothing to confirm: the account's address is verified


def test_following_the_same_view_again_changes_how_often_and_makes_no_second_alert(client, person, existing):
    follow_by_click(client, person, frequency="instant")
    follow_by_click(client, person, query="sort=title&topic=car-t&page=2", frequency="weekly")

    alert = Alert.objects.get()
    assert alert.frequency == "weekly"
    assert alert.next_digest_at is not None


def test_someone_without_an_account_confirms_the_address_first(client, existing, django_capture_on_commit_callbacks):
    page = client.get("/en/alerts/", {"query": "topic=car-t"})
    assert page.status_code == 200
    assert "Topic: CAR-T" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/alerts/", {"query": "topic=car-t", "email": "Nils@Example.se", "frequency": "weekly"}
        )

    assert "Check your e-mail" in response.content.decode()
    alert = Alert.objects.get()
    assert alert.email == "nils@example.se"
    assert alert.confirmed_at is None
    (message,) = mail.outbox
    assert message.to == ["nils@example.se"]
    assert message.subject == "Confirm your course alert"
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver/en/alerts/unsubscribe/{alert.token}/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"http://testserver(/en/alerts/confirm/\S+/)", message.body).group(1)

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert "Confirm" in client.get(link).content.decode()
    assert Alert.objects.get().confirmed_at is None
    client.post(link)
    assert Alert.objects.get().confirmed_at is not None


def test_an_unconfirmed_alert_gets_no_matches(client, car_t, django_capture_on_commit_callbacks):
    client.post("/sv/alerts/", {"query": "topic=car-t", "email": "nils@example.se", "frequency": "instant"})
    publish("CAR-T fördjupning", "CAR-T advanced", car_t)

    assert run_and_send(django_capture_on_commit_callbacks) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"query": "topic=car-t", "email": "not an address", "frequency": "weekly"},
        {"query": "topic=car-t", "email": "nils@example.se", "frequency": "hourly"},
        {"query": "topic=nonsense&month=99999&date_from=x", "email": "", "frequency": "weekly"},
    ],
)
def test_bad_input_is_told_never_a_server_error(client, site, data):
    response = client.post("/sv/alerts/", data)

    assert response.status_code in (302, 400)
    assert not Alert.objects.exists()


def test_unknown_values_in_the_view_are_left_out_of_the_alert(client, person, car_t):
    follow_by_click(client, person, query="topic=car-t&topic=nonsense&page=3&sort=title")

    assert Alert.objects.get().query == "topic=car-t"


# --- What an alert tells --------------------------------------------------------------------------------


def test_an_instant_alert_tells_new_matching_courses_once(
    client, person, existing, car_t, gmp, django_capture_on_commit_callbacks
):
    follow_by_click(client, person)
    publish("CAR-T fördjupning", "CAR-T advanced", car_t)
    publish("GMP i praktiken", "GMP in practice", gmp)

    assert run_and_send(django_capture_on_commit_callbacks) == 1
    assert run_and_send(django_capture_on_commit_callbacks) == 0  # the beat job runs again: nothing new

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "CAR-T fördjupning" in message.subject or "CAR-T" in message.subject
    assert "CAR-T fördjupning" in message.body
    assert "ny kurs" in message.body
    assert "GMP i praktiken" not in message.body
    assert "CAR-T-grunder" not in message.body  # published before the alert began
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/sv/alerts/unsubscribe/")


def test_a_new_occasion_of_a_known_course_is_news_too(client, person, existing, django_capture_on_commit_callbacks):
    follow_by_click(client, person)
    OccasionFactory(course=existing, start=timezone.now() + dt.timedelta(days=90))

    run_and_send(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert "CAR-T-grunder" in message.body
    assert "ny kurs" not in message.body


def test_the_mail_is_in_the_language_of_the_view_followed(client, person, car_t, django_capture_on_commit_callbacks):
    follow_by_click(client, person, language="en")
    publish("CAR-T fördjupning", "CAR-T advanced", car_t)

    run_and_send(django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "New courses for your alert: Topic: CAR-T"
    assert "CAR-T advanced" in message.body
    assert "/en/alerts/unsubscribe/" in message.body


def test_a_weekly_digest_waits_for_its_week(client, person, car_t, django_capture_on_commit_callbacks):
    follow_by_click(client, person, frequency="weekly")
    publish("CAR-T fördjupning", "CAR-T advanced", car_t)

    assert run_and_send(django_capture_on_commit_callbacks) == 0
    assert run_and_send(django_capture_on_commit_callbacks, now=timezone.now() + dt.timedelta(days=7, minutes=1)) == 1
    assert run_and_send(django_capture_on_commit_callbacks, now=timezone.now() + dt.timedelta(days=7, minutes=2)) == 0
    assert len(mail.outbox) == 1
    assert AlertMatch.objects.filter(alert__frequency="weekly").count() == 1


# --- Unsubscribing and managing --------------------------------------------------------------------------


def test_one_click_unsubscribe_from_a_mail_program_needs_no_form(person, client, existing):
    follow_by_click(client, person)
    alert = Alert.objects.get()
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(f"/sv/alerts/unsubscribe/{alert.token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Alert.objects.exists()


def test_opening_the_unsubscribe_link_asks_first(person, client, existing):
    follow_by_click(client, person)
    alert = Alert.objects.get()

    html = Client().get(f"/sv/alerts/unsubscribe/{alert.token}/").content.decode()

    assert "Ämne: CAR-T" in html
    assert Alert.objects.exists()
    assert Client().get("/sv/alerts/unsubscribe/no-such-token/").status_code == 404
    assert Client().get("/sv/alerts/confirm/no-such-token/").status_code == 404


def test_the_profile_lists_the_alerts_to_change_or_delete(client, person, existing):
    follow_by_click(client, person, language="en")
    alert = Alert.objects.get()

    html = client.get("/en/accounts/profile/").content.decode()
    assert "Your course alerts" in html
    assert "Topic: CAR-T" in html

    client.post(f"/en/alerts/{alert.pk}/frequency/", {"frequency": "weekly"})
    assert Alert.objects.get().frequency == "weekly"
    client.post(f"/en/alerts/{alert.pk}/delete/")
    assert not Alert.objects.exists()


def test_nobody_deletes_someone_elses_alert(client, person, existing):
    follow_by_click(client, person)
    alert = Alert.objects.get()
    client.force_login(make_participant(email="someone.else@example.se"))

    client.post(f"/sv/alerts/{alert.pk}/delete/")
    client.post(f"/sv/alerts/{alert.pk}/frequency/", {"frequency": "weekly"})

    assert Alert.objects.get().frequency == "instant"


# --- Personal data ----------------------------------------------------------------------------------------


def test_the_data_export_holds_the_alerts_made_before_the_account_too(client, person, existing):
    Alert.objects.create(email=person.email, language="en", query="topic=car-t")  # followed before signing up
    follow_by_click(client, person, query="topic=car-t")

    data = json.loads(client.get("/sv/accounts/privacy/export/").content)

    assert sorted(alert["view"] for alert in data["course_alerts"]) == ["Topic: CAR-T", "Ämne: CAR-T"]


def test_erasure_deletes_the_alerts_and_their_mails(
    client, person, existing, car_t, django_capture_on_commit_callbacks
):
    follow_by_click(client, person)
    publish("CAR-T fördjupning", "CAR-T advanced", car_t)
    run_and_send(django_capture_on_commit_callbacks)
    assert AlertMessage.objects.exists()

    privacy.erase_person(person, reason="request")

    assert not Alert.objects.exists()
    assert not AlertMessage.objects.exists()


def test_an_address_nobody_confirms_gets_few_mails_and_is_forgotten(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for topic in ["a", "b", "c", "d", "e"]:
            client.post("/sv/alerts/", {"query": f"q={topic}", "email": "someone@example.se", "frequency": "weekly"})

    assert len(mail.outbox) == 3
    assert Alert.objects.count() == 3

    alerts.queue_matches(now=timezone.now() + dt.timedelta(days=8))

    assert not Alert.objects.exists()
