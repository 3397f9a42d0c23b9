"""Attendance: marking who came (services and the admin check-in pages), and no-shows recorded after the occasion.

Time is frozen at 10.00 on a fixed day; the usual occasion runs 09.00–16.00 that day.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from atmp.celery import app as celery_app
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam
from enrolment import services, tasks
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, OutboxMessage
from enrolment.services import EnrolmentError

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


@pytest.fixture
def centre(site):
    return CentreFactory(name="ATMP-centrum Uppsala", slug="uppsala", city="Uppsala")


@pytest.fixture
def other_centre(site):
    return CentreFactory(name="ATMP-centrum Lund", slug="lund", city="Lund")


@pytest.fixture
def course(centre):
    return create_course(title="CAR-T-cellsbehandling i praktiken", centres=[centre])


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


def test_the_hourly_beat_job_records_no_shows(occasion, time_machine):
    entry = settings.CELERY_BEAT_SCHEDULE["record-no-shows"]
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"] == 3600.0
    enrolment = seat(occasion)
    time_machine.move_to(at(9, days=3), tick=False)

    tasks.record_no_shows.delay()

    assert status_of(enrolment) == Status.NO_SHOW
