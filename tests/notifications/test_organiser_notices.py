"""Course owners who opt in hear about enrolments and cancellations: one e-mail each, or a daily digest."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from courses.factories import OccasionFactory, create_course
from courses.models import OrganiserNotices
from enrolment import notifications, services
from enrolment.models import OutboxMessage
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db


def course_with(site, notices):
    course = create_course(
        site.catalogue["sv"], title=f"ICANS i praktiken {notices}", contact_email="kursansvarig@example.se"
    )
    course.organiser_notices = notices
    course.save_revision().publish()
    return course


def to_owner():
    return [message for message in mail.outbox if message.to == ["kursansvarig@example.se"]]


def test_the_owner_gets_an_email_for_each_enrolment_and_cancellation(site, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.EACH)
    occasion = OccasionFactory(course=course, capacity=5)
    person = make_participant(first_name="Karin", last_name="Lind")

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrol(person, occasion.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(enrolment.pk, person)

    messages = to_owner()
    assert len(messages) == 2
    assert "Karin Lind" in messages[0].body
    assert "Anmälan bekräftad" in messages[0].subject
    assert "Anmälan avbokad" in messages[1].subject


def test_no_email_to_the_owner_without_opting_in(site, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.NONE)
    occasion = OccasionFactory(course=course, capacity=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(make_participant(), occasion.pk)

    assert to_owner() == []


def test_the_daily_digest_lists_the_days_changes_once(site, time_machine, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.DAILY)
    occasion = OccasionFactory(course=course, capacity=5)
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(6, 0))))
    services.enrol(make_participant(first_name="Anna", last_name="Berg"), occasion.pk)
    services.enrol(make_participant(first_name="Per", last_name="Ek"), occasion.pk)
    assert notifications.queue_organiser_digests() == 0  # before 07.00

    time_machine.move_to(timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(7, 30))))
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.queue_organiser_digests() == 1
    assert notifications.queue_organiser_digests() == 0

    (digest,) = to_owner()
    assert "Anna Berg" in digest.body
    assert "Per Ek" in digest.body
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.ORGANISER_DIGEST).count() == 1


def test_the_notice_links_to_the_participant_list_of_that_occasion(site, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.EACH)
    occasion = OccasionFactory(course=course, capacity=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(make_participant(), occasion.pk)

    [notice] = to_owner()
    assert f"/admin/enrolments/?occasion={occasion.pk}" in notice.body
    assert "status=pending" not in notice.body


def test_a_notice_about_approval_links_to_the_pending_people_of_that_occasion(site, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.EACH)
    course.requires_approval = True
    course.save_revision().publish()
    occasion = OccasionFactory(course=course, capacity=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(make_participant(), occasion.pk)

    [notice] = to_owner()
    assert f"/admin/enrolments/?occasion={occasion.pk}&status=pending" in notice.body


def test_the_notice_of_a_paid_enrolment_says_the_fee_and_who_is_invoiced(site, django_capture_on_commit_callbacks):
    course = course_with(site, OrganiserNotices.EACH)
    course.fee = Decimal("4500")
    course.save_revision().publish()
    occasion = OccasionFactory(course=course, capacity=5, cancellation_deadline=timezone.now() + dt.timedelta(hours=1))
    person = make_participant(first_name="Karin", last_name="Lind")
    invoice = {"invoice_organisation": "Region Skåne", "cost_centre": "51200", "invoice_reference": "Karin Lind"}

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrol(person, occasion.pk, invoice=invoice)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)), django_capture_on_commit_callbacks(execute=True):
        services.cancel(enrolment.pk, person)

    confirmed, cancelled = (message.body.replace("\u00a0", " ") for message in to_owner())
    fee_line = "Avgift: 4 500 kr exkl. moms, faktureras Region Skåne, kostnadsställe 51200, referens Karin Lind."
    assert fee_line in confirmed
    assert "avgiften står kvar" not in confirmed
    assert fee_line in cancelled
    assert "Avbokad efter sista avbokningsdag: avgiften står kvar." in cancelled
