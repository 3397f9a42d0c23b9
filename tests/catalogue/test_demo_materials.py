"""The demo's materials library: about twenty materials across centres, kinds and access levels, in both languages,
loaded once however often the demo is loaded."""

import io

import pytest
from django.core.management import call_command

from courses.library import MaterialAccess, MaterialKind, MaterialPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())


def test_the_demo_library_has_every_kind_access_level_and_centre(demo, client):
    swedish = MaterialPage.objects.filter(locale__language_code="sv")

    assert 18 <= swedish.count() <= 25
    assert {material.kind for material in swedish} == set(MaterialKind.values)
    assert {material.access for material in swedish} == set(MaterialAccess.values)
    assert swedish.values("centre").distinct().count() == 5  # four centres and the network itself
    assert MaterialPage.objects.filter(locale__language_code="en").count() == swedish.count()
    assert swedish.filter(course_links__isnull=False).exists()
    assert (
        "Checklista: mottagning av CAR-T-produkt"
        in client.get("/sv/utbildningsmaterial/?centre=skane").content.decode()
    )
    assert "Checklist: receiving a CAR-T product" in client.get("/en/materials/?kind=checklist").content.decode()


def test_loading_the_demo_again_adds_no_materials(demo):
    count = MaterialPage.objects.count()

    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())

    assert MaterialPage.objects.count() == count
