"""Enrolling, My courses, cancelling and the personal calendar, as a browser sees them, in Swedish and English."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from accounts.models import Profession
from courses.factories import AudienceFactory, OccasionFactory, create_course, translate_course
from enrolment import services
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

Status = Enrolment.Status


# --- Helpers ------------------------------------------------------------------------------------------


def enrol_url(page, occasion_id):
    """The enrolment form of an occasion, in the language of the course page it was reached from."""
    with translation.override(page.locale.language_code):
        return reverse("enrol", args=[occasion_id])


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the <section> labelled by `heading_id` ("" if there is none)."""
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def is_private(response):
    return {"private", "no-store"} <= cache_control(response)


@pytest.fixture
def course_en(course):
    return translate_course(course, "en", title="CAR-T cell therapy for nurses", summary="About CAR-T.")


@pytest.fixture
def logged_in(client, participant):
    client.force_login(participant)
    return client


@pytest.fixture
def enrolment(participant, occasion):
    return services.enrol(participant, occasion.pk)


# --- Enrol --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_anonymous_visitor_is_sent_to_login_and_back(client, course, course_en, occasion, language):
    page = {"sv": course, "en": course_en}[language]
    url = enrol_url(page, occasion.pk)

    response = client.get(url)

    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == f"/{language}/accounts/login/"
    assert parse_qs(location.query)["next"] == [url]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_old_enrolment_address_under_the_course_page_leads_to_the_form(
    client, course, course_en, occasion, language
):
    page = {"sv": course, "en": course_en}[language]

    response = client.get(f"{page.url}occasions/{occasion.pk}/enrol/")

    assert response.status_code == 301
    assert response["Location"] == enrol_url(page, occasion.pk)


def test_enrol_form_shows_the_course_questions(logged_in, course, occasion):
    course.enrolment_questions = [
        ("question", {"label": "Vilken avdelning?", "help_text": "", "kind": "text", "choices": [], "required": True})
    ]
    course.save_revision().publish()

    response = logged_in.get(enrol_url(course, occasion.pk))

    html = text(response)
    assert "Vilken avdelning?" in html
    assert 'name="q_' in html
    assert is_private(response)


def test_enrol_enrols_and_shows_the_status(logged_in, participant, course, occasion):
    response = logged_in.post(enrol_url(course, occasion.pk))

    enrolment = Enrolment.objects.get(user=participant, occasion=occasion)
    assert response.status_code == 302
    assert response["Location"] == f"/sv/my-courses/{enrolment.pk}/"
    assert "Bekräftad" in text(logged_in.get(response["Location"]))


def test_enrol_through_the_english_page(logged_in, participant, course_en, occasion):
    response = logged_in.post(enrol_url(course_en, occasion.pk), follow=True)

    html = text(response)
    assert Enrolment.objects.get(user=participant).status == Status.CONFIRMED
    assert "CAR-T cell therapy for nurses" in html
    assert "Confirmed" in html


def test_enrol_in_a_full_occasion_puts_the_person_on_the_waiting_list(logged_in, course, occasion):
    EnrolmentFactory.create_batch(2, occasion=occasion)
    EnrolmentFactory(occasion=occasion, status=Status.WAITING)

    html = text(logged_in.post(enrol_url(course, occasion.pk), follow=True))

    assert "På reservlistan" in html


def test_answers_are_required_as_the_course_asks(logged_in, participant, course, occasion):
    course.enrolment_questions = [
        ("question", {"label": "Vilken avdelning?", "help_text": "", "kind": "text", "choices": [], "required": True})
    ]
    course.save_revision().publish()

    response = logged_in.post(enrol_url(course, occasion.pk), {})

    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_replayed_post_says_already_enrolled_and_keeps_one_row(logged_in, participant, course, occasion):
    url = enrol_url(course, occasion.pk)
    logged_in.post(url)

    response = logged_in.post(url, follow=True)

    assert "Du är redan anmäld till kurstillfället." in text(response)
    assert Enrolment.objects.filter(user=participant, occasion=occasion).count() == 1


def test_post_without_csrf_token_is_refused(participant, course, occasion):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)

    response = client.post(enrol_url(course, occasion.pk))

    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_post_with_the_form_csrf_token_enrols(participant, course, occasion):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    url = enrol_url(course, occasion.pk)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(client.get(url))).group(1)

    response = client.post(url, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Enrolment.objects.filter(user=participant).exists()


def test_another_course_occasion_under_this_course_url_is_not_found(logged_in, site, course, occasion):
    other_occasion = OccasionFactory(course=create_course(site.catalogue["sv"], title="Annan kurs"))
    url = f"{course.url}occasions/{other_occasion.pk}/enrol/"  # the old address, under the course page

    assert logged_in.get(url).status_code == 404
    assert logged_in.post(url).status_code == 404
    assert not Enrolment.objects.exists()


def test_unknown_occasion_id_is_not_found(logged_in, course, occasion):
    url = enrol_url(course, occasion.pk + 1000)

    assert logged_in.post(url).status_code == 404
    assert not Enrolment.objects.exists()


def test_enrol_refused_by_a_rule_shows_the_reason(logged_in, participant, course, occasion):
    participant.emailaddress_set.update(verified=False)

    response = logged_in.post(enrol_url(course, occasion.pk))

    assert response.status_code == 409
    assert "Bekräfta din e-postadress innan du anmäler dig." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_cancelled_occasion_takes_no_enrolments(logged_in, course):
    occasion = OccasionFactory(course=course, cancelled=True)

    response = logged_in.post(enrol_url(course, occasion.pk))

    assert response.status_code == 409
    assert "Det går inte att anmäla sig till kurstillfället just nu." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_ineligible_person_sees_why_before_enrolling(logged_in, course, occasion):
    course.eligible_professions = [
        AudienceFactory(name="Läkare", slug="physicians", professions=[Profession.PHYSICIAN])
    ]
    course.save()

    html = text(logged_in.get(enrol_url(course, occasion.pk)))

    assert "Kursen är bara öppen för följande yrkesroller: Läkare." in html
    assert 'class="form-card"' not in html


def test_incomplete_profile_is_sent_to_the_profile_page_first(logged_in, participant, course, occasion):
    participant.workplace = ""
    participant.save()
    url = enrol_url(course, occasion.pk)

    response = logged_in.post(url)

    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == "/sv/accounts/profile/"
    assert parse_qs(location.query)["next"] == [url]
    assert not Enrolment.objects.exists()


# --- Profile ------------------------------------------------------------------------------------------


def profile_data(profession, **overrides):
    return {
        "first_name": "Anna",
        "last_name": "Svensson",
        "profession": profession,
        "workplace": "Karolinska universitetssjukhuset",
        "region": "stockholm",
        "preferred_language": "sv",
        "accept_privacy": "on",
        **overrides,
    }


def test_profile_saves_and_returns_to_next(logged_in, participant, course, occasion):
    participant.workplace = ""
    participant.save()
    url = enrol_url(course, occasion.pk)

    response = logged_in.post("/sv/accounts/profile/", profile_data(participant.profession, next=url))

    assert response.status_code == 302
    assert response["Location"] == url
    participant.refresh_from_db()
    assert participant.workplace == "Karolinska universitetssjukhuset"
    assert participant.profile_is_complete


def test_profile_refuses_an_external_next(logged_in, participant):
    response = logged_in.post(
        "/sv/accounts/profile/", profile_data(participant.profession, next="https://evil.example/steal")
    )

    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/profile/"


def test_profile_in_english_takes_the_english_profession(logged_in, participant):
    form = logged_in.get("/en/accounts/profile/").content.decode()
    assert re.search(r'<option value="nurse" selected>Nurse</option>', form)

    response = logged_in.post("/en/accounts/profile/", profile_data(Profession.NURSE, preferred_language="en"))

    assert response.status_code == 302
    participant.refresh_from_db()
    # One code in every language, so eligibility rules compare like with like.
    assert participant.profession == Profession.NURSE
    assert participant.preferred_language == "en"


def test_profile_page_is_private(logged_in):
    response = logged_in.get("/sv/accounts/profile/")

    assert response.status_code == 200
    assert is_private(response)


# --- Enrolment detail and cancellation ----------------------------------------------------------------


@pytest.mark.parametrize(("language", "status_text"), [("sv", "Bekräftad"), ("en", "Confirmed")])
def test_enrolment_detail_shows_the_status(logged_in, course_en, enrolment, language, status_text):
    response = logged_in.get(f"/{language}/my-courses/{enrolment.pk}/")

    assert status_text in text(response)
    assert is_private(response)


def test_enrolment_detail_in_english_shows_the_english_title(logged_in, course_en, enrolment):
    assert "CAR-T cell therapy for nurses" in text(logged_in.get(f"/en/my-courses/{enrolment.pk}/"))


def test_another_persons_enrolment_is_not_found(client, participant_factory, enrolment):
    client.force_login(participant_factory())

    assert client.get(f"/sv/my-courses/{enrolment.pk}/").status_code == 404
    assert client.post(f"/sv/my-courses/{enrolment.pk}/cancel/").status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED


def test_another_persons_offer_cannot_be_accepted(client, participant_factory, occasion):
    offered = EnrolmentFactory(occasion=occasion, status=Status.OFFERED)
    client.force_login(participant_factory())

    assert client.post(f"/sv/my-courses/{offered.pk}/accept/").status_code == 404
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED


def test_cancel_by_post(logged_in, enrolment):
    response = logged_in.post(f"/sv/my-courses/{enrolment.pk}/cancel/", follow=True)

    assert "Din anmälan är avbokad." in text(response)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CANCELLED


def test_cancel_asks_first_and_says_the_seat_is_freed(logged_in, enrolment):
    response = logged_in.get(f"/sv/my-courses/{enrolment.pk}/cancel/")

    assert response.status_code == 200
    assert is_private(response)
    page = text(response)
    assert "Avboka din anmälan?" in page
    assert "Din plats blir ledig och vem som helst kan boka den." in page
    assert "Ja, avboka min anmälan" in page
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED


def test_cancel_confirmation_says_the_seat_goes_to_the_waiting_list(
    logged_in, participant, participant_factory, occasion
):
    occasion.capacity = 1
    occasion.save()
    mine = services.enrol(participant, occasion.pk)
    for _ in range(2):
        services.enrol(participant_factory(), occasion.pk)

    page = text(logged_in.get(f"/en/my-courses/{mine.pk}/cancel/"))

    assert "Cancel your enrolment?" in page
    assert "Your seat goes at once to the first person on the waiting list (2 people waiting)." in page


def test_leaving_the_waiting_list_asks_first(logged_in, participant, participant_factory, occasion):
    occasion.capacity = 1
    occasion.save()
    services.enrol(participant_factory(), occasion.pk)
    waiting = services.enrol(participant, occasion.pk)
    assert waiting.status == Status.WAITING

    page = text(logged_in.get(f"/sv/my-courses/{waiting.pk}/cancel/"))

    assert "Lämna väntelistan?" in page
    assert "Ja, lämna väntelistan" in page


def test_cancel_after_the_deadline_shows_why(logged_in, participant, course):
    # A deadline in an hour, not weeks away: travelling further would outlive the login session.
    deadline = timezone.now() + dt.timedelta(hours=1)
    occasion = OccasionFactory(course=course, cancellation_deadline=deadline)
    enrolment = services.enrol(participant, occasion.pk)

    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        response = logged_in.post(f"/sv/my-courses/{enrolment.pk}/cancel/", follow=True)

    assert "Sista avbokningsdag har passerat. Kontakta kursansvarig." in text(response)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED


def test_accept_offer_by_post(logged_in, participant, occasion):
    offered = EnrolmentFactory(
        occasion=occasion,
        user=participant,
        status=Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=24),
    )

    logged_in.post(f"/sv/my-courses/{offered.pk}/accept/")

    offered.refresh_from_db()
    assert offered.status == Status.CONFIRMED


def test_accept_offer_by_get_is_not_allowed(logged_in, participant, occasion):
    offered = EnrolmentFactory(occasion=occasion, user=participant, status=Status.OFFERED)

    assert logged_in.get(f"/sv/my-courses/{offered.pk}/accept/").status_code == 405
    offered.refresh_from_db()
    assert offered.status == Status.OFFERED


# --- My courses ---------------------------------------------------------------------------------------


@pytest.fixture
def three_courses(site, participant, participant_factory):
    """Upcoming confirmed, waiting as number 2, and a past course the participant attended."""
    catalogue = site.catalogue["sv"]
    upcoming = OccasionFactory(course=create_course(catalogue, title="Kommande kurs"), capacity=5)
    EnrolmentFactory(occasion=upcoming, user=participant)
    full = OccasionFactory(course=create_course(catalogue, title="Fullbokad kurs"), capacity=1)
    EnrolmentFactory(occasion=full)
    EnrolmentFactory(occasion=full, status=Status.WAITING)
    EnrolmentFactory(occasion=full, user=participant, status=Status.WAITING)
    past = OccasionFactory(course=create_course(catalogue, title="Avslutad kurs"), past=True)
    EnrolmentFactory(occasion=past, user=participant, status=Status.ATTENDED)


def test_my_courses_lists_upcoming_waiting_and_past(logged_in, three_courses):
    response = logged_in.get("/en/my-courses/")

    html = text(response)
    assert "Kommande kurs" in section(html, "upcoming-heading")
    waiting = section(html, "waiting-heading")
    assert "Fullbokad kurs" in waiting
    assert "Number 2 in line" in waiting
    assert "Avslutad kurs" in section(html, "past-heading")
    assert "Avslutad kurs" not in section(html, "upcoming-heading")
    assert is_private(response)


def test_my_courses_in_swedish(logged_in, three_courses):
    html = text(logged_in.get("/sv/my-courses/"))

    assert "Kommande kurs" in section(html, "upcoming-heading")
    assert "Fullbokad kurs" in section(html, "waiting-heading")


def test_my_courses_shows_nothing_of_other_people(logged_in, participant_factory, occasion):
    EnrolmentFactory(occasion=occasion, user=participant_factory())

    html = text(logged_in.get("/sv/my-courses/"))

    assert "CAR-T-cellsbehandling" not in html


def test_my_courses_needs_login(client):
    response = client.get("/sv/my-courses/")

    assert response.status_code == 302
    assert urlparse(response["Location"]).path == "/sv/accounts/login/"


# --- Personal calendar --------------------------------------------------------------------------------


# A wrong token may first be redirected to a language-prefixed path (LocaleMiddleware tries that for any 404
# outside i18n_patterns); what matters is that it ends in "not found", so the tests follow redirects.


def calendar_uids(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_personal_calendar_lists_confirmed_occasions(client, participant, enrolment, occasion, site):
    cancelled = OccasionFactory(course=create_course(site.catalogue["sv"], title="Avbokad kurs"))
    EnrolmentFactory(occasion=cancelled, user=participant, status=Status.CANCELLED)

    response = client.get(f"/calendar/{participant.calendar_token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert calendar_uids(response) == {occasion.ical_uid}
    assert is_private(response)


@pytest.mark.parametrize("token", ["not-the-token", "a%00b", "%FF", "x" * 300, "..%2F..%2Fetc"])
def test_personal_calendar_with_a_wrong_token_is_not_found(client, participant, enrolment, token):
    assert client.get(f"/calendar/{token}.ics", follow=True).status_code == 404


def test_resetting_the_calendar_token_retires_the_old_address(logged_in, participant, enrolment, occasion):
    old_token = participant.calendar_token

    response = logged_in.post("/sv/my-courses/calendar/reset/")

    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.calendar_token != old_token
    assert logged_in.get(f"/calendar/{old_token}.ics", follow=True).status_code == 404
    assert calendar_uids(logged_in.get(f"/calendar/{participant.calendar_token}.ics")) == {occasion.ical_uid}


def test_calendar_token_cannot_be_reset_by_get(logged_in, participant):
    old_token = participant.calendar_token

    assert logged_in.get("/sv/my-courses/calendar/reset/").status_code == 405
    participant.refresh_from_db()
    assert participant.calendar_token == old_token


def test_my_courses_shows_the_calendar_address(logged_in, participant):
    assert f"/calendar/{participant.calendar_token}.ics" in text(logged_in.get("/sv/my-courses/"))


# --- Cost of an enrolment (the rush's hot path; bench/enrolment_rush.py measures its speed) ---------------


@pytest.mark.postgres  # the lock and the seat state share a round trip only there (services.lock_with_seat_state)
def test_an_enrolment_costs_few_queries_and_fewer_under_the_seat_lock(client, participant_factory, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    occasion = OccasionFactory(course=course, capacity=3)
    for _ in range(3):  # a full occasion with a waiting list: the cost must not grow with the people in it
        services.enrol(participant_factory(), occasion.pk)
    services.enrol(participant_factory(), occasion.pk)
    ContentType.objects.get_for_model(Enrolment)  # warm, as in a running server
    person = participant_factory()
    client.force_login(person)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/sv/enrol/{occasion.pk}/", {})

    assert response.status_code == 302
    assert Enrolment.objects.get(user=person).status == Status.WAITING
    statements = [query["sql"] for query in queries.captured_queries]
    # User, occasion with its course (and whether it has eligibility rules and the person's address is verified);
    # then, under the lock: lock, seat state (which also tells an existing enrolment) and the new ids in one round
    # trip, and the enrolment, audit entry, event and message in another (enrolment.rows).
    locked_at = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql or "atmp_lock_occasion(" in sql)
    assert "atmp_seat_state(" in statements[locked_at] or "FOR UPDATE;" in statements[locked_at], (
        "the seat state goes with the lock"
    )
    assert statements[locked_at + 1].count("INSERT INTO") == 4, "the rows go together"
    under_lock = [sql for sql in statements[locked_at:] if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    assert len([sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE"))]) <= 4, statements
    assert len(under_lock) <= 2, under_lock
