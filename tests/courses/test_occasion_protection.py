"""Occasions people enrolled in survive the CMS: stale drafts, deletion, and capacity edits."""

import pytest

from courses.factories import OccasionFactory
from courses.models import Occasion
from enrolment import services
from enrolment.models import Enrolment
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site):
    from courses.factories import create_course

    return create_course(site.catalogue["sv"], title="Hantering av ATMP på sjukhusapoteket")


def publish_draft(revision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()


def test_publishing_an_old_draft_keeps_an_occasion_people_enrolled_in(course, django_capture_on_commit_callbacks):
    draft = course.save_revision()
    added_later = OccasionFactory(course=course, capacity=5)
    services.enrol(make_participant(), added_later.pk)

    publish_draft(draft, django_capture_on_commit_callbacks)

    assert Occasion.objects.filter(pk=added_later.pk).exists()
    assert Enrolment.objects.filter(occasion=added_later).count() == 1


def test_publishing_an_old_draft_does_not_undo_a_cancellation(course, django_capture_on_commit_callbacks):
    occasion = OccasionFactory(course=course, capacity=5)
    draft = course.save_revision()
    services.cancel_occasion(occasion.pk, by=None, reason="Föreläsaren är sjuk")

    publish_draft(draft, django_capture_on_commit_callbacks)

    assert Occasion.objects.get(pk=occasion.pk).is_cancelled


def test_publishing_an_old_draft_never_lowers_capacity_below_the_seats_taken(
    course, django_capture_on_commit_callbacks
):
    occasion = OccasionFactory(course=course, capacity=1)
    draft = course.save_revision()
    services.change_capacity(occasion.pk, 3, by=None)
    for _ in range(3):
        services.enrol(make_participant(), occasion.pk)

    publish_draft(draft, django_capture_on_commit_callbacks)

    occasion.refresh_from_db()
    assert occasion.capacity == 3
    assert Enrolment.objects.filter(occasion=occasion, status=Enrolment.Status.CONFIRMED).count() == 3


def test_raising_capacity_in_the_editor_promotes_the_waiting_list(course, django_capture_on_commit_callbacks):
    occasion = OccasionFactory(course=course, capacity=1)
    first, second = make_participant(), make_participant()
    services.enrol(first, occasion.pk)
    waiting = services.enrol(second, occasion.pk)
    assert waiting.status == Enrolment.Status.WAITING

    occasion.capacity = 2
    occasion.save()
    publish_draft(course.save_revision(), django_capture_on_commit_callbacks)

    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED


def test_cancelling_an_occasion_in_the_editor_cancels_its_enrolments(course, django_capture_on_commit_callbacks):
    occasion = OccasionFactory(course=course, capacity=2)
    enrolment = services.enrol(make_participant(), occasion.pk)

    occasion.status = Occasion.Status.CANCELLED
    occasion.save()
    publish_draft(course.save_revision(), django_capture_on_commit_callbacks)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert enrolment.events.filter(kind="occasion_cancelled").count() == 1


def test_an_occasion_with_enrolments_cannot_be_deleted(course):
    from django.db.models import ProtectedError

    occasion = OccasionFactory(course=course, capacity=2)
    services.enrol(make_participant(), occasion.pk)

    with pytest.raises(ProtectedError):
        occasion.delete()
