"""Course materials and online links: participants-only files are guarded, also when fetched by direct URL."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from courses.factories import OccasionFactory, create_course, create_material, list_material
from courses.library import MaterialAccess
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

Status = Enrolment.Status
CONTENT = b"%PDF-1.4 kursmaterial"


Document = get_document_model()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


def add_material(course, access=MaterialAccess.PARTICIPANTS, **fields):
    """A material in the library with the document, listed by `course`; participants-only means that course's."""
    document = Document.objects.create(title="Kompendium", file=ContentFile(CONTENT, name="kompendium.pdf"))
    courses = [course] if access == MaterialAccess.PARTICIPANTS else []
    material = create_material(title="Kompendium", document=document, access=access, courses=courses, **fields)
    list_material(course, material)
    return document


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_private(response):
    return {"private", "no-store"} <= {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.fixture
def document(course):
    return add_material(course)


@pytest.fixture
def confirmed(participant, occasion):
    return EnrolmentFactory(occasion=occasion, user=participant)


# --- Participants-only documents ----------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, document):
    response = client.get(document.url)

    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path.endswith("/accounts/login/")
    assert parse_qs(location.query)["next"] == [document.url]


def test_logged_in_non_participant_is_refused(client, participant, document):
    client.force_login(participant)

    response = client.get(document.url)

    assert response.status_code == 403
    assert CONTENT not in response.content


def test_waiting_person_is_refused(client, participant, occasion, document):
    EnrolmentFactory(occasion=occasion, user=participant, status=Status.WAITING)
    client.force_login(participant)

    assert client.get(document.url).status_code == 403


def test_cancelled_participant_is_refused(client, participant, occasion, document):
    EnrolmentFactory(occasion=occasion, user=participant, status=Status.CANCELLED)
    client.force_login(participant)

    assert client.get(document.url).status_code == 403


def test_confirmed_participant_gets_the_document_privately(client, participant, confirmed, document):
    client.force_login(participant)

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == CONTENT
    assert is_private(response)


def test_participant_who_attended_keeps_access(client, participant, occasion, document):
    EnrolmentFactory(occasion=occasion, user=participant, status=Status.ATTENDED)
    client.force_login(participant)

    assert client.get(document.url).status_code == 200


def test_superuser_organiser_gets_the_document(client, admin_user, document):
    client.force_login(admin_user)

    response = client.get(document.url)

    assert response.status_code == 200
    assert is_private(response)


def test_staff_without_rights_on_the_course_is_refused(client, django_user_model, document):
    staff = django_user_model.objects.create_user(email="redaktor@example.se", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(document.url).status_code == 403


def test_participant_of_another_course_is_refused(client, participant, site, document):
    other = OccasionFactory(course=create_course(site.catalogue["sv"], title="Annan kurs"))
    EnrolmentFactory(occasion=other, user=participant)
    client.force_login(participant)

    assert client.get(document.url).status_code == 403


# --- Release date -------------------------------------------------------------------------------------


@pytest.fixture
def later_document(course):
    return add_material(course, available_from=timezone.now() + dt.timedelta(days=3))


def test_material_not_yet_released_is_refused_to_participants(client, participant, confirmed, later_document):
    client.force_login(participant)

    assert client.get(later_document.url).status_code == 403


def test_material_not_yet_released_is_served_to_the_organiser(client, admin_user, later_document):
    client.force_login(admin_user)

    assert client.get(later_document.url).status_code == 200


def test_not_yet_released_material_is_listed_without_a_link(client, participant, confirmed, later_document):
    client.force_login(participant)

    html = client.get(f"/sv/my-courses/{confirmed.pk}/").content.decode()

    assert "Kompendium" in html
    assert later_document.url not in html


# --- Public documents ---------------------------------------------------------------------------------


def test_public_material_is_served_to_anyone(client, course):
    document = add_material(course, access=MaterialAccess.EVERYONE)

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == CONTENT


def test_public_material_unpublished_is_not_served(client, course):
    document = add_material(course, access=MaterialAccess.EVERYONE)
    document.materials.get().unpublish()

    assert client.get(document.url).status_code == 404


def test_document_used_by_no_course_is_hidden(client, participant, db):
    document = Document.objects.create(title="Broschyr", file=ContentFile(b"broschyr", name="broschyr.pdf"))

    assert client.get(document.url).status_code == 404
    client.force_login(participant)
    assert client.get(document.url).status_code == 404


# --- Enrolment detail page ----------------------------------------------------------------------------


def test_participant_sees_the_material_link_on_the_enrolment_page(client, participant, confirmed, document):
    client.force_login(participant)

    assert document.url in client.get(f"/sv/my-courses/{confirmed.pk}/").content.decode()


def test_online_link_is_shown_to_a_confirmed_participant(client, participant, occasion, confirmed):
    occasion.online_link = "https://meet.example.se/car-t-2026"
    occasion.save()
    client.force_login(participant)

    html = client.get(f"/sv/my-courses/{confirmed.pk}/").content.decode()

    assert "https://meet.example.se/car-t-2026" in html


def test_online_link_is_hidden_from_the_waiting_list(client, participant, occasion):
    occasion.online_link = "https://meet.example.se/car-t-2026"
    occasion.save()
    waiting = EnrolmentFactory(occasion=occasion, user=participant, status=Status.WAITING)
    client.force_login(participant)

    response = client.get(f"/sv/my-courses/{waiting.pk}/")

    assert response.status_code == 200
    assert "https://meet.example.se/car-t-2026" not in response.content.decode()


def test_online_link_is_hidden_from_a_pending_enrolment(client, participant, occasion):
    occasion.online_link = "https://meet.example.se/car-t-2026"
    occasion.save()
    pending = EnrolmentFactory(occasion=occasion, user=participant, status=Status.PENDING)
    client.force_login(participant)

    assert "https://meet.example.se/car-t-2026" not in client.get(f"/sv/my-courses/{pending.pk}/").content.decode()
