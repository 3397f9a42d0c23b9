"""Retention: personal data on enrolments goes once their occasions ended long enough ago, free-text answers
sooner; whole accounts go when nothing recent is left and nobody has logged in. Counts remain."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.db.models import Count

from accounts import privacy, tasks
from accounts.factories import UserFactory
from accounts.models import User
from courses.factories import OccasionFactory
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

from .conftest import FREE_TEXT_ANSWER, stockholm

Status = Enrolment.Status
NOW = stockholm(2029, 6, 15, 10, 0)
JOINED = stockholm(2026, 1, 10, 12)  # retention 24 months: before 15 Jun 2027; free text 6 months: 15 Dec 2028


def at(when):
    return time_machine.travel(when, tick=False)


@pytest.fixture
def answers(question_ids):
    """(free-text and choice answers, the choice answer alone), keyed by the course's question ids."""
    text_id, choice_id = question_ids
    choice = {choice_id: {"question": "Kost", "answer": "Vegetarisk"}}
    return {text_id: {"question": "Något vi behöver veta?", "answer": FREE_TEXT_ANSWER}, **choice}, choice


@pytest.fixture
def ended(course):
    """Occasions that ended: long ago (past retention), eight months ago (past the free-text limit), last month."""

    def occasion(*start):
        return OccasionFactory(course=course, start=stockholm(*start), end=stockholm(*start) + dt.timedelta(hours=7))

    return {
        "long_ago": occasion(2027, 3, 10, 9),
        "months_ago": occasion(2028, 10, 10, 9),
        "recent": occasion(2029, 5, 10, 9),
    }


def person(email, last_login=None, joined=JOINED, **fields):
    user = UserFactory(email=email, first_name="Greta", last_name="Gammal", workplace="Ljungby lasarett", **fields)
    User.objects.filter(pk=user.pk).update(last_login=last_login, date_joined=joined)
    return User.objects.get(pk=user.pk)


def enrol(user, occasion, answers, status=Status.ATTENDED):
    return EnrolmentFactory(user=user, occasion=occasion, status=status, answers=answers, message="Välkommen, Greta!")


def state():
    """Everything retention may touch, to compare two runs."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Enrolment.objects.order_by("pk").values("pk", "user_id", "status", "answers", "message")),
    )


def counts():
    return sorted(Enrolment.objects.values_list("occasion_id", "status").annotate(n=Count("pk")))


def test_a_dormant_account_with_only_old_enrolments_is_anonymised(ended, answers):
    dormant = person("dormant@example.se", last_login=stockholm(2027, 3, 11, 8))
    old = enrol(dormant, ended["long_ago"], answers[0])

    with at(NOW):
        result = privacy.anonymise_expired()

    dormant.refresh_from_db()
    assert result["accounts"] == 1
    assert privacy.is_anonymised(dormant)
    assert (dormant.first_name, dormant.workplace, dormant.is_active) == ("", "", False)
    old.refresh_from_db()
    assert (old.status, old.answers, old.message) == (Status.ATTENDED, {}, "")


def test_an_account_never_used_since_it_was_made_is_anonymised(site):
    never = person("never@example.se", joined=stockholm(2027, 1, 5, 12))

    with at(NOW):
        privacy.anonymise_expired()

    never.refresh_from_db()
    assert privacy.is_anonymised(never)


def test_someone_who_logged_in_recently_keeps_the_account_but_not_old_answers(ended, answers):
    active = person("active@example.se", last_login=stockholm(2029, 1, 3, 8))
    old = enrol(active, ended["long_ago"], answers[0])

    with at(NOW):
        result = privacy.anonymise_expired()

    active.refresh_from_db()
    old.refresh_from_db()
    assert result["accounts"] == 0
    assert active.email == "active@example.se" and active.is_active
    assert (old.answers, old.message) == ({}, "")


def test_someone_with_a_recent_enrolment_keeps_the_account(ended, answers):
    returning = person("returning@example.se", last_login=stockholm(2027, 3, 11, 8))
    old = enrol(returning, ended["long_ago"], answers[0])
    enrol(returning, ended["recent"], answers[0])

    with at(NOW):
        privacy.anonymise_expired()

    returning.refresh_from_db()
    old.refresh_from_db()
    assert not privacy.is_anonymised(returning)
    assert old.answers == {}


def test_someone_enrolled_in_an_upcoming_occasion_keeps_the_account(course, ended, answers):
    waiting = person("waiting@example.se", last_login=stockholm(2027, 3, 11, 8))
    enrol(waiting, ended["long_ago"], answers[0])
    upcoming = OccasionFactory(course=course, start=stockholm(2029, 9, 1, 9), end=stockholm(2029, 9, 1, 16))
    enrol(waiting, upcoming, {}, status=Status.WAITING)

    with at(NOW):
        privacy.anonymise_expired()

    waiting.refresh_from_db()
    assert not privacy.is_anonymised(waiting)


def test_free_text_answers_go_sooner_and_choices_stay_until_retention(ended, answers):
    participant = person("recent@example.se", last_login=stockholm(2029, 6, 1, 8))
    months_ago = enrol(participant, ended["months_ago"], answers[0])
    recent = enrol(participant, ended["recent"], answers[0])

    with at(NOW):
        result = privacy.anonymise_expired()

    months_ago.refresh_from_db()
    recent.refresh_from_db()
    assert result["free_text_answers"] == 1
    assert months_ago.answers == answers[1]
    assert months_ago.message == "Välkommen, Greta!"
    assert recent.answers == answers[0]


def test_answers_to_questions_no_longer_on_the_course_count_as_free_text(ended, answers):
    participant = person("recent@example.se", last_login=stockholm(2029, 6, 1, 8))
    removed = {"gone-question-id": {"question": "Borttagen fråga", "answer": "Vegetarisk"}}
    months_ago = enrol(participant, ended["months_ago"], {**answers[1], **removed})

    with at(NOW):
        privacy.anonymise_expired()

    months_ago.refresh_from_db()
    assert months_ago.answers == answers[1]


def test_organisers_are_never_anonymised_by_retention(ended, answers):
    organiser = person("owner@example.se", last_login=stockholm(2027, 3, 11, 8), is_staff=True)
    enrol(organiser, ended["long_ago"], {})

    with at(NOW):
        privacy.anonymise_expired()

    organiser.refresh_from_db()
    assert organiser.email == "owner@example.se"


def test_the_retention_period_is_a_setting(settings, ended, answers):
    settings.PRIVACY_RETENTION_MONTHS = 36
    dormant = person("dormant@example.se", last_login=stockholm(2027, 3, 11, 8))
    old = enrol(dormant, ended["long_ago"], answers[0])

    with at(NOW):
        privacy.anonymise_expired()

    dormant.refresh_from_db()
    old.refresh_from_db()
    assert not privacy.is_anonymised(dormant)
    assert old.answers == answers[1]  # past the free-text limit only


def test_a_second_run_changes_nothing_and_counts_remain(ended, answers):
    for number, (occasion, login) in enumerate(
        [
            (ended["long_ago"], stockholm(2027, 3, 11, 8)),
            (ended["long_ago"], stockholm(2029, 1, 3, 8)),
            (ended["months_ago"], stockholm(2029, 6, 1, 8)),
            (ended["recent"], stockholm(2029, 6, 1, 8)),
        ]
    ):
        enrol(person(f"p{number}@example.se", last_login=login), occasion, answers[0])
    enrol(person("p9@example.se"), ended["long_ago"], answers[0], status=Status.NO_SHOW)  # never logged in
    before = counts()

    with at(NOW):
        first = privacy.anonymise_expired()
        after_first = state()
        second = privacy.anonymise_expired()

    nothing_of_managers = {"line_manager_approvals": 0, "line_manager_messages": 0}
    assert first == {
        "accounts": 2,
        "enrolments": 1,
        "free_text_answers": 1,
        "invoice_details": 0,
        **nothing_of_managers,
    }
    assert second == {
        "accounts": 0,
        "enrolments": 0,
        "free_text_answers": 0,
        "invoice_details": 0,
        **nothing_of_managers,
    }
    assert state() == after_first
    assert counts() == before


def test_the_daily_task_runs_the_service(ended, answers):
    dormant = person("dormant@example.se", last_login=stockholm(2027, 3, 11, 8))
    enrol(dormant, ended["long_ago"], answers[0])

    with at(NOW):
        result = tasks.anonymise_expired.delay().get()

    assert result["accounts"] == 1


def test_the_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-expired"]
    schedule = entry["schedule"]

    assert entry["task"] == tasks.anonymise_expired.name == "accounts.tasks.anonymise_expired"
    assert (len(schedule.hour), len(schedule.minute)) == (1, 1)  # once a day ...
    assert (len(schedule.day_of_week), len(schedule.day_of_month), len(schedule.month_of_year)) == (7, 31, 12)


def test_the_defaults_are_24_and_6_months():
    from atmp.settings import base

    assert (base.PRIVACY_RETENTION_MONTHS, base.PRIVACY_ANSWERS_RETENTION_MONTHS) == (24, 6)
