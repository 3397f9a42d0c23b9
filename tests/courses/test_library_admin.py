"""Owners publish materials in their own centre's part of the library only, see the downloads per month, and find
the materials nobody has reviewed for a year on their dashboard."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from accounts.factories import UserFactory
from courses.centres import centre_material_page, centre_team
from courses.factories import CentreFactory, create_material
from courses.library import MaterialDownload, MaterialPage
from courses.models import CentreTeam

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(site):
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    uppsala = CentreFactory(name="Region Uppsala", slug="uppsala")
    owner = UserFactory(email="kursansvarig.skane@example.se", is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    return {"skane": skane, "uppsala": uppsala, "owner": owner}


@pytest.fixture
def owner_client(client, centres):
    client.force_login(centres["owner"])
    return client


def publish_form(**fields):
    return {
        "title": "Checklista inför infusion",
        "slug": "",
        "summary": "Det som ska vara klart innan en CAR-T-infusion.",
        "kind": "checklist",
        "languages": ["sv"],
        "link": "https://learn.example.se/checklista",
        "access": "everyone",
        "last_reviewed": timezone.localdate().isoformat(),
        "action-publish": "action-publish",
        **fields,
    }


def test_an_owner_publishes_a_material_in_their_own_centres_part_of_the_library(owner_client, centres):
    parent = centre_material_page(centres["skane"])

    response = owner_client.post(f"/admin/pages/add/courses/materialpage/{parent.pk}/", publish_form(slug="checklista"))

    assert response.status_code == 302
    material = MaterialPage.objects.get(title="Checklista inför infusion")
    assert material.live and material.centre == centres["skane"]
    assert material.get_parent().pk == parent.pk


def test_an_owner_cannot_add_a_material_to_another_centres_part(owner_client, centres):
    parent = centre_material_page(centres["uppsala"])

    response = owner_client.post(f"/admin/pages/add/courses/materialpage/{parent.pk}/", publish_form(slug="x"))

    assert response.status_code in (302, 403)
    assert not MaterialPage.objects.filter(title="Checklista inför infusion").exists()


def test_a_material_needs_exactly_one_of_document_link_or_video(owner_client, centres):
    parent = centre_material_page(centres["skane"])

    response = owner_client.post(
        f"/admin/pages/add/courses/materialpage/{parent.pk}/",
        publish_form(slug="x", video_url="https://video.example.se/1"),
    )

    assert response.status_code == 200
    assert not MaterialPage.objects.exists()


def test_the_editor_shows_downloads_per_month(owner_client, centres):
    material = create_material(title="Guide", centre=centres["skane"])
    MaterialDownload.objects.record(material)
    MaterialDownload.objects.record(material)
    MaterialDownload.objects.record(material, when=timezone.now() - dt.timedelta(days=62))

    html = owner_client.get(f"/admin/pages/{material.pk}/edit/").content.decode()

    this_month = timezone.localdate().strftime("%Y-%m")
    assert f"<td>{this_month}</td><td>2</td>" in html


def test_the_dashboard_lists_the_owners_materials_not_reviewed_for_a_year(owner_client, centres):
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    create_material(title="Gammal guide från Skåne", centre=centres["skane"], last_reviewed=long_ago)
    create_material(title="Ny guide från Skåne", centre=centres["skane"])
    create_material(title="Gammal guide från Uppsala", centre=centres["uppsala"], last_reviewed=long_ago)

    html = owner_client.get("/admin/").content.decode()

    assert "Gammal guide från Skåne" in html
    assert "Ny guide från Skåne" not in html
    assert "Gammal guide från Uppsala" not in html


def test_a_document_download_is_counted_for_its_material(client, centres, settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path
    document = get_document_model().objects.create(title="Guide", file=ContentFile(b"guide", name="guide.pdf"))
    material = create_material(title="Guide", document=document, centre=centres["skane"])

    assert client.get(document.url).status_code == 200
    assert client.get(document.url).status_code == 200

    assert MaterialDownload.objects.get(material=material).count == 2


def test_the_dashboard_leads_the_owner_to_their_centres_materials(owner_client, centres):
    parent = centre_material_page(centres["skane"])

    html = owner_client.get("/admin/").content.decode()

    assert f'href="/admin/pages/{parent.pk}/"' in html
    assert "Material vid Skånes universitetssjukhus" in html
    assert f"/admin/pages/{centre_material_page(centres['uppsala']).pk}/" not in html


def test_a_materials_languages_survive_its_revisions(centres):
    material = create_material(title="Tvåspråkig guide", languages=["sv", "en"], centre=centres["skane"])

    assert material.get_latest_revision_as_object().languages == ["sv", "en"]
    assert MaterialPage.objects.get(pk=material.pk).languages == ["sv", "en"]
    assert MaterialPage.objects.filter(languages__contains="en").count() == 1
