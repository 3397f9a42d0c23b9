"""The old document rows go, and so do the copies of their files in MEDIA_ROOT, where /media/ served them.

A file is deleted from MEDIA_ROOT only when the private storage has it and is a different place.
"""

import os

from django.core.files.storage import default_storage, storages
from django.db import migrations


def same_place(name, source, target):
    try:
        return os.path.realpath(source.path(name)) == os.path.realpath(target.path(name))
    except NotImplementedError:  # a remote storage: not the local MEDIA_ROOT
        return False


def forwards(apps, schema_editor):
    OldDocument = apps.get_model("wagtaildocs", "Document")
    target = storages["documents"]
    names = [name for name in OldDocument.objects.values_list("file", flat=True) if name]
    OldDocument.objects.all().delete()
    for name in names:
        if target is default_storage or same_place(name, default_storage, target):
            continue
        if target.exists(name) and default_storage.exists(name):
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0008_course_materials_use_course_documents"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
