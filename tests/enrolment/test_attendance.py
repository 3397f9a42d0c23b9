"""Attendance: marking who came (services and the admin check-in pages), and no-shows recorded after the occasion.

Time is frozen at 10.00 on a fixed day; the usual occasion runs 09.00–16.00 that day.
"""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from atmp.celery import app as celery_app
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import Centre, CentreTeam, CoursePage, Occasion
from enrolment import services, tasks
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, OutboxMessage
from enrolment.services import EnrolmentError
from tests.conftest import built_once_for_the_module

from .conftest import make_participant

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
TODAY = dt.date(2027, 3, 10)


def at(hour, days=0, minute=0):
    """A time on the frozen day (or `days` from it), Stockholm time."""
    return timezone.make_aware(dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour, minute)))


NOW = at(10)


@pytest.fixture(autouse=True)
def _ten_o_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(scope="module")
def uppsala(django_db_setup, django_db_blocker):
    """Uppsala's centre and its course, built once for the module at the frozen time (tests/conftest.py)."""
    with built_once_for_the_module(django_db_blocker), time_machine.travel(NOW, tick=False):
        centre = CentreFactory(name="ATMP-centrum Uppsala", slug="uppsala", city="Uppsala")
        course = create_course(title="CAR-T-cellsbehandling i praktiken", centres=[centre])
        yield {"centre": centre.pk, "course": course.pk}


@pytest.fixture
def centre(uppsala, site):
    return Centre.objects.get(pk=uppsala["centre"])


@pytest.fixture
def other_centre(site):
    return CentreFactory(name="ATMP-centrum Lund", slug="lund", city="Lund")


@pytest.fixture
def course(uppsala, centre):
    return CoursePage.objects.get(pk=uppsala["course"])


def occasion_on(course, start, hours=7, **fields):
    return OccasionFactory(course=course, start=start, end=start + dt.timedelta(hours=hours), **fields)


@pytest.fixture
def occasion(course):
    return occasion_on(course, at(9))


def seat(occasion, status=Status.CONFIRMED, **person):
    return EnrolmentFactory(occasion=occasion, user=make_participant(**person), status=status)


def status_of(enrolment):
    enrolment.refresh_from_db()
    return enrolment.status


def entries(enrolment):
    return list(ModelLogEntry.objects.for_instance(enrolment).order_by("pk"))


def staff(email, *, role=None, centre=None, **fields):
    user = UserFactory(email=email, is_staff=True, **fields)
    if role:
        centre_team(centre, role).user_set.add(user)
    return user


@pytest.fixture
def helper(centre):
    return staff(
        "helper@example.se", role=CentreTeam.Role.CHECK_IN_HELPER, centre=centre, first_name="Hanna", last_name="Hjälp"
    )


@pytest.fixture
def owner(centre):
    return staff(
        "owner@example.se", role=CentreTeam.Role.COURSE_OWNER, centre=centre, first_name="Olle", last_name="Ägare"
    )


# --- mark_attendance ----------------------------------------------------------------------------------


def test_marking_a_confirmed_participant_attended_records_who_and_when(occasion, helper):
    enrolment = seat(occasion)

    services.mark_attendance(enrolment.pk, helper, True)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.ATTENDED
    assert enrolment.attendance_recorded_at == NOW
    [entry] = entries(enrolment)
    assert entry.action == "enrolment.attended"
    assert entry.user == helper
    assert entry.user_display_name == "Hanna Hjälp"


def test_marking_sends_nothing(occasion, helper, django_capture_on_commit_callbacks):
    enrolment = seat(occasion)

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_attendance(enrolment.pk, helper, True)
        services.mark_all_present(occasion.pk, helper)
        services.mark_attendance(enrolment.pk, helper, False)

    assert not OutboxMessage.objects.exists()
    assert not enrolment.events.exists()
    assert mail.outbox == []


def test_marking_twice_changes_nothing_the_second_time(occasion, helper):
    enrolment = seat(occasion)

    services.mark_attendance(enrolment.pk, helper, True)
    services.mark_attendance(enrolment.pk, helper, True)

    assert status_of(enrolment) == Status.ATTENDED
    assert [entry.action for entry in entries(enrolment)] == ["enrolment.attended"]


def test_taking_the_mark_back_during_the_occasion_leaves_the_person_unmarked(occasion, helper):
    enrolment = seat(occasion)
    services.mark_attendance(enrolment.pk, helper, True)

    services.mark_attendance(enrolment.pk, helper, False)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED
    assert enrolment.attendance_recorded_at is None
    assert [entry.action for entry in entries(enrolment)] == ["enrolment.attended", "enrolment.attendance_cleared"]


def test_taking_the_mark_back_after_the_occasion_makes_a_no_show(occasion, helper, time_machine):
    enrolment = seat(occasion)
    services.mark_attendance(enrolment.pk, helper, True)
    time_machine.move_to(at(17), tick=False)

    services.mark_attendance(enrolment.pk, helper, False)

    enrolment.refresh_from_db()
    assert enrolment.status == Status.NO_SHOW
    assert enrolment.attendance_recorded_at == at(17)
    assert entries(enrolment)[-1].action == "enrolment.no_show"


def test_unmarking_someone_not_marked_changes_nothing(occasion, helper):
    enrolment = seat(occasion)

    services.mark_attendance(enrolment.pk, helper, False)

    assert status_of(enrolment) == Status.CONFIRMED
    assert entries(enrolment) == []


def test_a_no_show_who_came_after_all_is_marked_attended(occasion, owner, time_machine):
    enrolment = seat(occasion, Status.NO_SHOW)
    time_machine.move_to(at(9, days=2), tick=False)

    services.mark_attendance(enrolment.pk, owner, True)

    assert status_of(enrolment) == Status.ATTENDED


@pytest.mark.parametrize(
    "status", [Status.PENDING, Status.WAITING, Status.OFFERED, Status.CANCELLED, Status.REJECTED, Status.EXPIRED]
)
def test_only_confirmed_participants_can_be_marked(occasion, helper, status):
    enrolment = seat(occasion, status)

    with pytest.raises(EnrolmentError) as error:
        services.mark_attendance(enrolment.pk, helper, True)

    assert error.value.code == "not_confirmed"
    assert status_of(enrolment) == status
    assert entries(enrolment) == []


def test_attendance_cannot_be_marked_before_the_day_of_the_occasion(course, helper):
    tomorrow = occasion_on(course, at(9, days=1))
    enrolment = seat(tomorrow)

    with pytest.raises(EnrolmentError) as error:
        services.mark_attendance(enrolment.pk, helper, True)

    assert error.value.code == "not_started"
    assert status_of(enrolment) == Status.CONFIRMED


def test_attendance_can_be_marked_on_the_morning_before_the_start(course, helper):
    afternoon = occasion_on(course, at(13), hours=3)
    enrolment = seat(afternoon)

    services.mark_attendance(enrolment.pk, helper, True)

    assert status_of(enrolment) == Status.ATTENDED


# --- mark_all_present ---------------------------------------------------------------------------------


def test_all_present_marks_every_confirmed_participant_and_nobody_else(occasion, helper):
    confirmed = [seat(occasion) for _ in range(3)]
    no_show = seat(occasion, Status.NO_SHOW)
    waiting = seat(occasion, Status.WAITING)
    cancelled = seat(occasion, Status.CANCELLED)

    assert services.mark_all_present(occasion.pk, helper) == 3

    assert [status_of(enrolment) for enrolment in confirmed] == [Status.ATTENDED] * 3
    assert [status_of(e) for e in (no_show, waiting, cancelled)] == [Status.NO_SHOW, Status.WAITING, Status.CANCELLED]
    assert all([entry.action for entry in entries(e)] == ["enrolment.attended"] for e in confirmed)
    assert all(entries(enrolment)[0].user == helper for enrolment in confirmed)


def test_all_present_twice_marks_nobody_the_second_time(occasion, helper):
    seat(occasion)

    services.mark_all_present(occasion.pk, helper)

    assert services.mark_all_present(occasion.pk, helper) == 0
    assert ModelLogEntry.objects.filter(action="enrolment.attended").count() == 1


def test_all_present_is_refused_before_the_day_of_the_occasion(course, helper):
    next_week = occasion_on(course, at(9, days=7))
    enrolment = seat(next_week)

    with pytest.raises(EnrolmentError):
        services.mark_all_present(next_week.pk, helper)

    assert status_of(enrolment) == Status.CONFIRMED


# --- record_no_shows ----------------------------------------------------------------------------------


def test_unmarked_participants_become_no_shows_after_the_grace_period(occasion, helper, time_machine):
    unmarked = seat(occasion)
    came = seat(occasion)
    services.mark_attendance(came.pk, helper, True)
    grace = dt.timedelta(hours=settings.ATTENDANCE_GRACE_HOURS)

    time_machine.move_to(occasion.end + grace - dt.timedelta(minutes=1), tick=False)
    assert services.record_no_shows() == 0
    assert status_of(unmarked) == Status.CONFIRMED

    time_machine.move_to(occasion.end + grace + dt.timedelta(minutes=1), tick=False)
    assert services.record_no_shows() == 1

    unmarked.refresh_from_db()
    assert unmarked.status == Status.NO_SHOW
    assert unmarked.attendance_recorded_at == occasion.end + grace + dt.timedelta(minutes=1)
    assert status_of(came) == Status.ATTENDED
    [entry] = entries(unmarked)
    assert (entry.action, entry.user) == ("enrolment.no_show", None)


def test_the_grace_period_is_48_hours_by_default():
    assert settings.ATTENDANCE_GRACE_HOURS == 48


def test_recording_no_shows_again_changes_nothing(occasion, time_machine):
    enrolment = seat(occasion)
    time_machine.move_to(at(9, days=5), tick=False)

    assert services.record_no_shows() == 1
    assert services.record_no_shows() == 0
    assert [entry.action for entry in entries(enrolment)] == ["enrolment.no_show"]


def test_recording_no_shows_leaves_other_states_and_later_occasions_alone(course, occasion, time_machine):
    waiting = seat(occasion, Status.WAITING)
    cancelled = seat(occasion, Status.CANCELLED)
    later = seat(occasion_on(course, at(9, days=4)))
    time_machine.move_to(at(12, days=3), tick=False)

    assert services.record_no_shows() == 0

    assert [status_of(e) for e in (waiting, cancelled, later)] == [Status.WAITING, Status.CANCELLED, Status.CONFIRMED]


def test_the_grace_period_follows_the_setting(occasion, settings, time_machine):
    settings.ATTENDANCE_GRACE_HOURS = 2
    enrolment = seat(occasion)
    time_machine.move_to(occasion.end + dt.timedelta(hours=2, minutes=1), tick=False)

    services.record_no_shows()

    assert status_of(enrolment) == Status.NO_SHOW


def test_occasions_that_ended_before_the_look_back_window_are_left_alone(occasion, time_machine):
    # The first run on a database from before check-in must not turn its history into no-shows.
    enrolment = seat(occasion)
    window = dt.timedelta(hours=settings.ATTENDANCE_GRACE_HOURS, days=settings.ATTENDANCE_LOOKBACK_DAYS)

    time_machine.move_to(occasion.end + window + dt.timedelta(minutes=1), tick=False)
    assert services.record_no_shows() == 0
    assert status_of(enrolment) == Status.CONFIRMED

    time_machine.move_to(occasion.end + window - dt.timedelta(minutes=1), tick=False)
    assert services.record_no_shows() == 1
    assert status_of(enrolment) == Status.NO_SHOW


def test_the_look_back_window_is_14_days_by_default():
    assert settings.ATTENDANCE_LOOKBACK_DAYS == 14


def test_the_hourly_beat_job_records_no_shows(occasion, time_machine):
    entry = settings.CELERY_BEAT_SCHEDULE["record-no-shows"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 3600.0
    enrolment = seat(occasion)
    time_machine.move_to(at(9, days=3), tick=False)

    tasks.record_no_shows.delay()

    assert status_of(enrolment) == Status.NO_SHOW


# --- The admin pages ----------------------------------------------------------------------------------


def in_english(user):
    """The admin in English (helpers choose their admin language in their Wagtail account)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def checkin_url(occasion):
    return f"/admin/checkin/{occasion.pk}/"


def mark_url(enrolment):
    return f"/admin/checkin/{enrolment.occasion_id}/mark/{enrolment.pk}/"


def post_json(client, url, data):
    return client.post(url, data, HTTP_ACCEPT="application/json", HTTP_X_REQUESTED_WITH="XMLHttpRequest")


@pytest.fixture
def asa(occasion):
    return seat(occasion, first_name="Åsa", last_name="Östlund", email="asa@example.se")


@pytest.fixture
def bo(occasion):
    enrolment = seat(occasion, first_name="Bo", last_name="Berg", email="bo@example.se")
    enrolment.answers = {"q1": {"question": "Avdelning?", "answer": "Hematologen avd 54"}}
    enrolment.save()
    return enrolment


@pytest.fixture
def other_occasion(other_centre):
    course = create_course(title="GMP för sjukhusundantag", centres=[other_centre])
    return occasion_on(course, at(9))


def test_the_menu_shows_check_in_to_helpers_only(helper, site):
    clinician_with_admin = staff("editor@example.se")
    clinician_with_admin.user_permissions.add(Permission.objects.get(codename="access_admin"))

    assert "/admin/checkin/" in logged_in(helper).get("/admin/").content.decode()
    assert "/admin/checkin/" not in logged_in(clinician_with_admin).get("/admin/").content.decode()


def test_a_helper_sees_todays_occasions_first_then_coming_and_recent_ones(course, occasion, other_occasion, helper):
    occasion_on(course, at(9, days=10), venue="Kommande sal")
    occasion_on(course, at(9, days=-3), venue="Förra sal")
    occasion_on(course, at(9, days=20), venue="Sal långt fram")
    occasion_on(course, at(9, days=-9), venue="Sal för länge sedan")
    occasion_on(course, at(9, days=2), venue="Inställd sal", status=Occasion.Status.CANCELLED)
    seat(occasion)
    services.mark_attendance(seat(occasion).pk, helper, True)
    in_english(helper)

    page = logged_in(helper).get("/admin/checkin/").content.decode()

    assert page.index(checkin_url(occasion)) < page.index("Kommande sal") < page.index("Förra sal")
    assert "1 of 2 attended" in page
    assert "Sal långt fram" not in page
    assert "Sal för länge sedan" not in page
    assert "Inställd sal" not in page
    assert checkin_url(other_occasion) not in page
    assert "GMP för sjukhusundantag" not in page


def test_a_helper_sees_names_profession_and_workplace_but_no_email_or_answers(occasion, helper, asa, bo):
    response = logged_in(helper).get(checkin_url(occasion))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Åsa Östlund" in page and "Bo Berg" in page
    assert "Sjuksköterska" in page and "Akademiska sjukhuset" in page
    assert "asa@example.se" not in page and "bo@example.se" not in page
    assert "Hematologen" not in page


def test_the_profession_is_shown_in_the_admins_language(occasion, helper, asa):
    in_english(helper)

    page = logged_in(helper).get(checkin_url(occasion)).content.decode()

    assert "Nurse" in page and "Sjuksköterska" not in page


def test_a_course_owner_also_sees_the_email(occasion, owner, asa):
    page = logged_in(owner).get(checkin_url(occasion)).content.decode()

    assert "Åsa Östlund" in page
    assert "asa@example.se" in page


def test_the_list_counts_who_came(occasion, helper, asa, bo):
    seat(occasion, Status.NO_SHOW)
    services.mark_attendance(asa.pk, helper, True)

    page = logged_in(helper).get(checkin_url(occasion)).content.decode()

    assert '<dd data-count="total">3</dd>' in page
    assert '<dd data-count="attended">1</dd>' in page
    assert '<dd data-count="unmarked">1</dd>' in page
    assert '<dd data-count="no_show">1</dd>' in page


def test_the_search_without_script_filters_by_name(occasion, helper, asa, bo):
    page = logged_in(helper).get(checkin_url(occasion), {"q": "östl"}).content.decode()

    assert "Åsa Östlund" in page
    assert "Bo Berg" not in page


def test_a_helper_marks_a_participant_with_the_plain_form(occasion, helper, asa):
    response = logged_in(helper).post(mark_url(asa), {"attended": "1", "q": "Åsa"})

    assert response.status_code == 302
    assert response.url == f"{checkin_url(occasion)}?q=%C3%85sa#enrolment-{asa.pk}"
    assert status_of(asa) == Status.ATTENDED
    assert entries(asa)[0].user == helper


def test_the_page_script_marks_and_unmarks_and_gets_the_new_counts(occasion, helper, asa, bo):
    client = logged_in(helper)

    marked = post_json(client, mark_url(asa), {"attended": "1"})
    unmarked = post_json(client, mark_url(asa), {"attended": "0"})

    assert marked.status_code == 200
    assert marked["Content-Type"].startswith("application/json")
    assert marked.json()["id"] == asa.pk
    assert marked.json()["status"] == "attended"
    assert marked.json()["attended"] is True
    assert marked.json()["counts"] == {"total": 2, "attended": 1, "unmarked": 1, "no_show": 0}
    assert "Åsa Östlund" in marked.json()["message"]
    assert unmarked.json()["status"] == "confirmed"
    assert unmarked.json()["counts"]["attended"] == 0
    assert status_of(asa) == Status.CONFIRMED


def test_a_refusal_comes_back_to_the_script_as_an_error(course, helper):
    tomorrow = occasion_on(course, at(9, days=1))
    enrolment = seat(tomorrow)

    response = post_json(logged_in(helper), mark_url(enrolment), {"attended": "1"})

    assert response.status_code == 400
    assert response.json()["error"]
    assert status_of(enrolment) == Status.CONFIRMED


def test_the_page_says_when_attendance_cannot_be_marked_yet(course, helper):
    tomorrow = occasion_on(course, at(9, days=1))
    seat(tomorrow, first_name="Cilla", last_name="Carlsson")

    page = logged_in(helper).get(checkin_url(tomorrow)).content.decode()

    assert "Cilla Carlsson" in page
    assert 'aria-pressed="false" disabled' in page
    assert "/all-present/" not in page


def test_all_present_asks_first_then_marks_everyone(occasion, helper, asa, bo):
    client = logged_in(helper)
    url = f"/admin/checkin/{occasion.pk}/all-present/"

    asked = client.get(url)
    unconfirmed = client.post(url)
    assert asked.status_code == unconfirmed.status_code == 200
    assert 'name="confirm"' in asked.content.decode()
    assert status_of(asa) == status_of(bo) == Status.CONFIRMED

    done = client.post(url, {"confirm": "1"})

    assert done.status_code == 302
    assert status_of(asa) == status_of(bo) == Status.ATTENDED


def test_a_participant_of_another_occasion_cannot_be_marked_through_this_one(course, occasion, helper, asa):
    elsewhere = seat(occasion_on(course, at(8)))

    response = logged_in(helper).post(f"/admin/checkin/{occasion.pk}/mark/{elsewhere.pk}/", {"attended": "1"})

    assert response.status_code == 404
    assert status_of(elsewhere) == Status.CONFIRMED


def test_a_helper_of_another_centre_gets_not_found(occasion, other_centre, asa):
    stranger = staff("lund@example.se", role=CentreTeam.Role.CHECK_IN_HELPER, centre=other_centre)
    client = logged_in(stranger)

    assert client.get(checkin_url(occasion)).status_code == 404
    assert client.post(mark_url(asa), {"attended": "1"}).status_code == 404
    assert client.post(f"/admin/checkin/{occasion.pk}/all-present/", {"confirm": "1"}).status_code == 404
    assert checkin_url(occasion) not in client.get("/admin/checkin/").content.decode()
    assert status_of(asa) == Status.CONFIRMED


def test_a_clinician_is_told_the_admin_is_not_for_them(occasion, asa):
    client = logged_in(asa.user)

    listing = client.get("/admin/checkin/")
    marking = client.post(mark_url(asa), {"attended": "1"})

    assert listing.status_code == marking.status_code == 403
    assert "Ingen åtkomst till administrationen" in listing.content.decode()
    assert status_of(asa) == Status.CONFIRMED


def test_staff_without_a_check_in_role_are_turned_away(occasion, asa):
    editor = staff("editor@example.se")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(editor)

    listing = client.get("/admin/checkin/")
    page = client.get(checkin_url(occasion))
    marking = client.post(mark_url(asa), {"attended": "1"})
    by_script = post_json(client, mark_url(asa), {"attended": "1"})

    assert listing.status_code == page.status_code == marking.status_code == 302
    assert listing.url == "/admin/"
    assert by_script.status_code == 403
    assert status_of(asa) == Status.CONFIRMED


def test_a_course_owner_marks_attendance(occasion, owner, asa):
    post_json(logged_in(owner), mark_url(asa), {"attended": "1"})

    assert status_of(asa) == Status.ATTENDED


def test_a_network_admin_sees_every_centre_and_marks(occasion, other_occasion, asa):
    admin = staff("admin@example.se", is_superuser=True)
    client = logged_in(admin)

    listing = client.get("/admin/checkin/").content.decode()
    client.post(f"/admin/checkin/{occasion.pk}/all-present/", {"confirm": "1"})

    assert checkin_url(occasion) in listing and checkin_url(other_occasion) in listing
    assert status_of(asa) == Status.ATTENDED


def test_the_enrolments_history_shows_who_marked_attendance(occasion, helper, asa):
    services.mark_attendance(asa.pk, helper, True)
    admin = staff("admin@example.se", is_superuser=True)
    in_english(admin)

    page = logged_in(admin).get(f"/admin/enrolments/history/{asa.pk}/").content.decode()

    assert "Marked as attended" in page
    assert "Hanna Hjälp" in page


def test_marking_needs_the_csrf_token(occasion, helper, asa):
    client = Client(enforce_csrf_checks=True)
    client.force_login(helper)

    response = client.post(mark_url(asa), {"attended": "1"})

    assert response.status_code == 403
    assert status_of(asa) == Status.CONFIRMED


def test_the_check_in_page_costs_the_same_queries_for_many_participants(occasion, helper):
    client = logged_in(helper)
    seat(occasion)
    client.get(checkin_url(occasion))  # warm the per-process caches (content types, site)

    with CaptureQueriesContext(connection) as few:
        client.get(checkin_url(occasion))
    for _ in range(10):
        seat(occasion)
    with CaptureQueriesContext(connection) as many:
        client.get(checkin_url(occasion))

    assert len(many) == len(few)


def test_the_search_ignores_case_and_accents_as_the_script_does(occasion, helper, asa, bo):
    page = logged_in(helper).get(checkin_url(occasion), {"q": "asa OSTLUND"}).content.decode()

    assert "Åsa Östlund" in page
    assert "Bo Berg" not in page
