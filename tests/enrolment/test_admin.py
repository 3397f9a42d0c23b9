"""Organisers act on enrolments in the Wagtail admin, through the enrolment services."""

import pytest
from django.contrib.auth.models import Permission

from accounts.factories import UserFactory
from courses.factories import OccasionFactory
from enrolment import services
from enrolment.models import Enrolment

from .conftest import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="admin@example.se", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def pending(course):
    course.requires_approval = True
    course.save_revision().publish()
    occasion = OccasionFactory(course=course, capacity=1)
    return services.enrol(make_participant(), occasion.pk)


def test_an_admin_approves_a_pending_enrolment_with_a_message(admin_client, pending):
    page = admin_client.get(f"/admin/enrolments/{pending.pk}/approve/")
    assert page.status_code == 200

    response = admin_client.post(f"/admin/enrolments/{pending.pk}/approve/", {"message": "Välkommen!"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Enrolment.Status.CONFIRMED
    assert pending.message == "Välkommen!"


def test_rejecting_frees_the_seat_for_the_waiting_list(admin_client, pending):
    waiting = services.enrol(make_participant(), pending.occasion_id)
    assert waiting.status == Enrolment.Status.WAITING

    admin_client.post(f"/admin/enrolments/{pending.pk}/reject/", {"message": "Kursen vänder sig till läkare."})

    waiting.refresh_from_db()
    assert Enrolment.objects.get(pk=pending.pk).status == Enrolment.Status.REJECTED
    assert waiting.status == Enrolment.Status.PENDING  # promoted, and this course needs approval


def test_an_organiser_cancels_after_the_participants_deadline(admin_client, course, time_machine):
    from django.utils import timezone

    occasion = OccasionFactory(
        course=course, capacity=3, cancellation_deadline=timezone.now() + timezone.timedelta(hours=1)
    )
    enrolment = services.enrol(make_participant(), occasion.pk)
    time_machine.move_to(occasion.cancellation_deadline_at + timezone.timedelta(minutes=5))
    with pytest.raises(services.EnrolmentError):
        services.cancel(enrolment.pk, enrolment.user)

    admin_client.post(f"/admin/enrolments/{enrolment.pk}/cancel/", {"message": "Ombokad till nästa tillfälle."})

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.CANCELLED


def test_an_unknown_action_is_not_found(admin_client, pending):
    assert admin_client.get(f"/admin/enrolments/{pending.pk}/promote-everyone/").status_code == 404


def test_staff_without_rights_on_the_course_cannot_see_or_act_on_its_enrolments(client, pending):
    editor = UserFactory(email="editor@example.se", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor.user_permissions.add(Permission.objects.get(codename="change_enrolment"))
    client.force_login(editor)

    listing = client.get("/admin/enrolments/")
    action = client.post(f"/admin/enrolments/{pending.pk}/approve/")

    assert pending.user.email not in listing.content.decode()
    assert action.status_code in (302, 403)  # Wagtail's permission denied: back to the dashboard
    assert Enrolment.objects.get(pk=pending.pk).status == Enrolment.Status.PENDING


# The history (history/{pk}/) is there: read-only, scoped like the list (tests/enrolment/test_history.py).
@pytest.mark.parametrize("view", ["new/", "edit/{pk}/", "delete/{pk}/", "copy/{pk}/", "usage/{pk}/"])
def test_there_is_no_generated_view_that_bypasses_the_rules(admin_client, pending, view):
    response = admin_client.post("/admin/enrolments/" + view.format(pk=pending.pk), {"status": "confirmed"})

    assert response.status_code == 404
    assert Enrolment.objects.get(pk=pending.pk).status == Enrolment.Status.PENDING
