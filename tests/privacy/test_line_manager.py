"""The line manager the person named (on the profile, on each enrolment that needed approval, and in the
requests mailed to the manager) is personal data: exported, erased with the account, and purged by retention."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from accounts import privacy
from courses.factories import OccasionFactory
from enrolment import manager, services
from enrolment.models import Enrolment, ManagerApproval, OutboxMessage

from .conftest import make_person, traces_of

pytestmark = pytest.mark.django_db

MANAGER_NAME = "Quirinia Boxholm"
MANAGER_EMAIL = "quirinia.boxholm@example.se"
MANAGER = {"name": MANAGER_NAME, "email": MANAGER_EMAIL}


@pytest.fixture
def course(course):
    course.requires_manager_approval = True
    course.save()
    return course


@pytest.fixture
def person_with_a_manager(site, course):
    person = make_person()
    upcoming = OccasionFactory(course=course, capacity=3)
    enrolment = services.enrol(person, upcoming.pk, manager=MANAGER)
    manager.queue_reminders(now=timezone.now() + dt.timedelta(days=3))
    return person, enrolment


def test_the_export_holds_the_manager_on_the_profile_on_the_enrolment_and_the_mails(person_with_a_manager):
    person, enrolment = person_with_a_manager
    data = json.loads(privacy.export_json(person))

    assert data["profile"]["manager_email"] == MANAGER_EMAIL
    approval = data["line_manager_approvals"][0]
    assert (approval["enrolment"], approval["manager_name"], approval["manager_email"]) == (
        enrolment.pk,
        MANAGER_NAME,
        MANAGER_EMAIL,
    )
    to_the_manager = [message for message in data["messages"] if message["email"] == MANAGER_EMAIL]
    assert {message["kind"] for message in to_the_manager} == {"manager_request", "manager_reminder"}


def test_erasure_leaves_no_trace_of_the_manager(person_with_a_manager):
    person, enrolment = person_with_a_manager
    token = manager.make_token(enrolment.manager_approval.pk, enrolment.manager_approval.nonce)
    assert {needle for *_where, needle in traces_of(MANAGER_NAME, MANAGER_EMAIL)} == {MANAGER_NAME, MANAGER_EMAIL}

    privacy.erase_person(person, reason="request")

    assert traces_of(MANAGER_NAME, MANAGER_EMAIL) == []
    # The seat went back through the normal rules, and the link mailed to the manager is dead.
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.CANCELLED
    with pytest.raises(manager.LinkError):
        manager.answer(token, "approve")


def test_retention_blanks_the_manager_once_the_occasion_is_long_over(site, course):
    person = make_person()
    occasion = OccasionFactory(course=course, capacity=3, start=timezone.now() + dt.timedelta(days=10))
    enrolment = services.enrol(person, occasion.pk, manager=MANAGER)
    manager.approve_for_manager(enrolment.pk, None)
    person.manager_name = person.manager_email = ""  # the profile is the person's own to keep or change
    person.save()

    with time_machine.travel(timezone.now() + dt.timedelta(days=5 * 31)):
        assert privacy.anonymise_expired()["line_manager_approvals"] == 0  # not yet: within the period
    with time_machine.travel(timezone.now() + dt.timedelta(days=7 * 31 + 10)):
        result = privacy.anonymise_expired()
        again = privacy.anonymise_expired()

    assert result["line_manager_approvals"] == 1 and result["line_manager_messages"] == 1
    assert again["line_manager_approvals"] == again["line_manager_messages"] == 0
    approval = ManagerApproval.objects.get(enrolment=enrolment)
    assert (approval.manager_name, approval.manager_email, approval.decision) == ("", "", "approved")
    assert not OutboxMessage.objects.filter(email=MANAGER_EMAIL).exists()
