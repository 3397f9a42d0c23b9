"""Upgrading moves course attachments into the library: each becomes a material in its course's centre's part of
the library, listed by the course, with the same access (participants-only: that course's participants) and the
same document, so its old address keeps working."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.documents import get_document_model

from catalogue.setup import ensure_site
from courses.factories import OccasionFactory, create_course
from courses.library import MaterialAccess, MaterialPage
from enrolment.factories import EnrolmentFactory
from tests.enrolment.conftest import make_participant

BEFORE = [("courses", "0011_materials_library")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_course_attachments_become_library_materials_with_the_same_access(client, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    ensure_site()
    course = create_course(title="Aferes inför CAR-T")
    occasion = OccasionFactory(course=course)
    participant, outsider = make_participant(email="inne@example.se"), make_participant(email="ute@example.se")
    EnrolmentFactory(occasion=occasion, user=participant)
    Document = get_document_model()
    handout = Document.objects.create(title="Kompendium", file=ContentFile(b"kompendium", name="kompendium.pdf"))
    old_url = handout.url
    try:
        old_apps = migrate(BEFORE)
        CourseMaterial = old_apps.get_model("courses", "CourseMaterial")
        CourseMaterial.objects.create(
            page_id=course.pk, title="Kompendium", document_id=handout.pk, visibility="participants", sort_order=0
        )
        CourseMaterial.objects.create(
            page_id=course.pk, title="Program", link="https://example.se/program.pdf", visibility="public", sort_order=1
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    kompendium, program = MaterialPage.objects.get(title="Kompendium"), MaterialPage.objects.get(title="Program")
    assert kompendium.access == MaterialAccess.PARTICIPANTS and [c.pk for c in kompendium.courses.all()] == [course.pk]
    assert program.access == MaterialAccess.EVERYONE and program.link == "https://example.se/program.pdf"
    assert kompendium.centre == course.owning_centre
    assert kompendium.get_parent().specific.centre == course.owning_centre
    assert [material.title for material in course.course_materials] == ["Kompendium", "Program"]
    assert client.get(kompendium.url).status_code == 200

    assert handout.url == old_url
    client.force_login(outsider)
    assert client.get(old_url).status_code == 403
    client.force_login(participant)
    assert client.get(old_url).status_code == 200
