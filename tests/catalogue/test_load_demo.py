"""The demo content: loads twice without change, leaves no mail due for the newcomer's first start, and refuses
to run where DEBUG is off (it publishes its logins' passwords)."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from courses.models import CoursePage, Occasion
from enrolment import notifications
from enrolment.models import Enrolment, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=False)


def load_demo():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())


def test_demo_loads_once_and_sends_no_reminders_on_first_start(site):
    load_demo()
    counts = (CoursePage.objects.count(), Occasion.objects.count(), Enrolment.objects.count())
    assert counts[0] > 10 and counts[2] > 100

    load_demo()

    assert (CoursePage.objects.count(), Occasion.objects.count(), Enrolment.objects.count()) == counts
    # What the worker's first beat would queue now is already recorded as sent, and nothing is waiting.
    now = timezone.now()
    notifications.queue_reminders(now)
    notifications.queue_follow_ups(now)
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).exists()
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REMINDER, status=OutboxMessage.Status.SENT).exists()
    assert mail.outbox == []


def test_load_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-not-production") as refusal:
        call_command("load_demo")

    assert "only with DEBUG on" in str(refusal.value)
    assert not User.objects.exists()


def test_the_demo_shows_every_enrolment_rule(site):
    load_demo()
    courses = CoursePage.objects.filter(locale__language_code="sv")

    assert courses.filter(requires_approval=True).exists()
    assert courses.filter(eligible_professions__isnull=False).exists()
    assert courses.filter(waiting_list_mode="offer").exists()
    assert courses.exclude(organiser_notices="none").exists()
    assert courses.exclude(evaluation_url="").exists()
    # A course that needs the line manager's approval, with people awaiting their manager's answer.
    manager_course = courses.get(requires_manager_approval=True)
    awaiting = Enrolment.objects.filter(occasion__course=manager_course, status=Enrolment.Status.AWAITING_MANAGER)
    assert awaiting.exists()
    assert all(enrolment.manager_approval.manager_email for enrolment in awaiting)
    kinds = {block.value["kind"] for course in courses for block in course.enrolment_questions}
    assert kinds == {"text", "long_text", "choice", "multiple_choice", "yes_no"}
    # Skåne's owner finds an approval course with questions and people waiting for a decision.
    skane = courses.get(slug="aferes-infor-car-t-tillverkning")
    assert skane.requires_approval and len(skane.enrolment_questions) == 2
    assert Enrolment.objects.filter(occasion__course=skane, status=Enrolment.Status.PENDING).exists()
    answered = Enrolment.objects.filter(occasion__course=skane, status=Enrolment.Status.PENDING).first()
    assert skane.enrolment_questions[0].id in answered.answers
    # Both languages ask the same questions, in their own words.
    english = skane.get_translation(site.catalogue["en"].locale).specific
    assert [block.id for block in english.enrolment_questions] == [block.id for block in skane.enrolment_questions]
    assert english.enrolment_questions[0].value["label"] == "What is your role in apheresis?"
