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
