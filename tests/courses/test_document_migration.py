"""Upgrading moves existing documents out of MEDIA_ROOT: the rows become CourseDocuments with the same ids, the
files move to the private documents storage, and only documents linked from page text stay public."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Collection

BEFORE = [("courses", "0005_centre_pages_and_teams"), ("wagtaildocs", "0014_alter_document_file_size")]
AFTER = [("courses", "0009_remove_public_copies_of_documents")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_documents_and_their_files_move_to_private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    if Collection.get_first_root_node() is None:  # an earlier transactional test flushed the tree
        Collection.add_root(name="Root")
    old_apps = migrate(BEFORE)
    try:
        OldDocument = old_apps.get_model("wagtaildocs", "Document")
        saved = default_storage.save("documents/kompendium.pdf", ContentFile(b"kompendium"))
        old = OldDocument.objects.create(title="Kompendium", file=saved)
        missing = OldDocument.objects.create(title="Borta", file="documents/borta.pdf")

        new_apps = migrate(AFTER)

        CourseDocument = new_apps.get_model("courses", "CourseDocument")
        moved = CourseDocument.objects.get(pk=old.pk)
        assert (moved.title, moved.file.name, moved.public) == ("Kompendium", saved, False)
        assert (Path(settings.DOCUMENTS_ROOT) / saved).read_bytes() == b"kompendium"
        assert not (Path(settings.MEDIA_ROOT) / saved).exists()  # no copy left where /media/ serves it
        assert CourseDocument.objects.filter(pk=missing.pk).exists()  # a row whose file was lost is kept
        assert not new_apps.get_model("wagtaildocs", "Document").objects.exists()
        # New uploads get ids after the copied ones.
        assert CourseDocument.objects.create(title="Ny", file="documents/ny.pdf").pk > missing.pk
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
