"""Documents are private from upload: kept where no web server serves them, reached only through the checked view.

A document is public when an owner ticks "public" or a published course offers it as public material;
participants-only material is for participants (test_materials.py); anything else only for the staff of the
centre whose collection holds it. The would-be /media/ URL of a document's file answers 404, also under
`make run`, where DEBUG serves MEDIA_ROOT.
"""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail_factories import ImageFactory

from accounts.factories import UserFactory
from atmp.settings.base import storages_from_env
from courses.centres import centre_team, network_admins
from courses.factories import CentreFactory
from courses.models import CentreTeam
from tests.make_run import debug_urlconf

Document = get_document_model()
CONTENT = b"%PDF-1.4 utkast till kursprogram"


@pytest.fixture(autouse=True)
def _roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@pytest.fixture
def centre(site):
    centre = CentreFactory(name="ATMP-centrum Skåne", slug="skane")
    centre_team(centre, CentreTeam.Role.COURSE_OWNER)
    centre.refresh_from_db()
    return centre


@pytest.fixture
def owner(centre):
    user = UserFactory(is_staff=True)
    centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(user)
    return user


@pytest.fixture
def document(centre):
    return Document.objects.create(
        title="Kursprogram", collection=centre.collection, file=ContentFile(CONTENT, name="kursprogram.pdf")
    )


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def upload(client, owner, centre):
    client.force_login(owner)
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Utkast",
            "collection": centre.collection_id,
            "file": SimpleUploadedFile("utkast.pdf", CONTENT, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Document.objects.get(title="Utkast")


def test_an_uploaded_document_is_private_and_kept_outside_media_root(client, settings, owner, centre):
    document = upload(client, owner, centre)

    assert not document.public
    assert (Path(settings.DOCUMENTS_ROOT) / document.file.name).read_bytes() == CONTENT
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()
    assert document.url == f"/documents/{document.pk}/utkast.pdf"
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - no direct URL: nothing but the checked view serves it


def test_under_make_run_the_would_be_media_url_is_404_and_images_still_work(client, settings, document):
    image = ImageFactory(title="Kursbild")
    debug_urlconf(settings)

    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(document.url).status_code == 404
    assert client.get(f"/media/{image.file.name}").status_code == 200


def test_visitors_and_participants_do_not_find_a_private_document(client, participant, document):
    assert client.get(document.url).status_code == 404
    client.force_login(participant)

    response = client.get(document.url)

    assert response.status_code == 404
    assert CONTENT not in response.content


def test_the_owning_centres_staff_get_a_private_document_privately(client, owner, document):
    client.force_login(owner)

    response = client.get(document.url)

    assert response.status_code == 200
    assert body(response) == CONTENT
    assert "private" in response["Cache-Control"]


def test_another_centres_staff_do_not_find_it(client, document):
    other = CentreFactory(name="ATMP-centrum Uppsala", slug="uppsala")
    someone_else = UserFactory(is_staff=True)
    centre_team(other, CentreTeam.Role.COURSE_OWNER).user_set.add(someone_else)
    client.force_login(someone_else)

    assert client.get(document.url).status_code == 404


def test_network_admins_get_every_document(client, document):
    admin = UserFactory(is_staff=True)
    network_admins().user_set.add(admin)
    client.force_login(admin)

    assert client.get(document.url).status_code == 200


def test_an_owner_makes_a_document_public_in_the_edit_form(client, owner, centre, document):
    client.force_login(owner)
    edit = reverse("wagtaildocs:edit", args=[document.pk])
    assert 'name="public"' in client.get(edit).content.decode()

    response = client.post(edit, {"title": document.title, "collection": centre.collection_id, "public": "on"})

    assert response.status_code == 302
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert body(response) == CONTENT


# --- Storage from the environment ---------------------------------------------------------------------


def test_documents_default_to_a_private_folder(monkeypatch):
    monkeypatch.delenv("DOCUMENTS_STORAGE", raising=False)
    monkeypatch.delenv("STORAGES", raising=False)

    storages = storages_from_env()

    assert storages["documents"] == {"BACKEND": "courses.storage.PrivateFileSystemStorage"}
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_documents_in_an_s3_compatible_bucket_are_never_public(monkeypatch):
    from storages.backends.s3 import S3Storage

    monkeypatch.setenv("DOCUMENTS_STORAGE", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "atmp-dokument")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.se")

    documents = storages_from_env()["documents"]
    storage = S3Storage(**documents["OPTIONS"])  # no request is made until a file is read or written

    assert documents["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (storage.bucket_name, storage.endpoint_url) == ("atmp-dokument", "https://s3.example.se")
    assert storage.default_acl == "private"
    assert storage.querystring_auth
    assert not storage.file_overwrite


def test_any_storage_alias_can_come_from_the_storages_variable(monkeypatch):
    documents = {"BACKEND": "courses.storage.PrivateFileSystemStorage", "OPTIONS": {"location": "/srv/dok"}}
    monkeypatch.setenv("STORAGES", json.dumps({"documents": documents}))

    assert storages_from_env()["documents"]["OPTIONS"] == {"location": "/srv/dok"}


@pytest.mark.parametrize(
    ("name", "value"),
    [("DOCUMENTS_STORAGE", "ftp"), ("STORAGES", "{not json"), ("STORAGES", "[]")],
)
def test_a_wrong_storage_setting_stops_the_start_with_a_clear_message(monkeypatch, name, value):
    monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=name):
        storages_from_env()


def test_s3_without_a_bucket_is_refused(monkeypatch):
    monkeypatch.setenv("DOCUMENTS_STORAGE", "s3")
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        storages_from_env()
