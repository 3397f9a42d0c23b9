"""Existing documents become CourseDocuments, with the same ids, and their files move to private storage.

The rows are copied (ids kept, so links in page text and course materials keep working), the objects that
point at documents by content type (tags, references, history, search index) follow, and each file is
copied from MEDIA_ROOT (which `make run` and proxies serve as /media/) to the "documents" storage. The
copies in MEDIA_ROOT and the old rows go in 0009, once course materials point at the new model (0008).

Deny by default: an existing document stays public only if page text links to it (it was published that way)
and no course offers it as participants-only material; a document attached as public material is public
through that attachment. Everything else becomes private until an owner ticks "public".
"""

from django.core.files.storage import default_storage, storages
from django.core.management.color import no_style
from django.db import migrations

COPIED_FIELDS = ["id", "title", "file", "created_at", "uploaded_by_user_id", "collection_id", "file_size", "file_hash"]


def copy_file(name, source, target):
    """Copy one file to the target storage under the same name; False if the source has none."""
    if target.exists(name):
        return True
    if not source.exists(name):
        return False
    with source.open(name, "rb") as content:
        saved = target.save(name, content)
    if saved != name:  # the target renamed it: keep the row and the file in step
        raise RuntimeError(f"Document file {name} was stored as {saved}")
    return True


def forwards(apps, schema_editor):
    OldDocument = apps.get_model("wagtaildocs", "Document")
    CourseDocument = apps.get_model("courses", "CourseDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    target = storages["documents"]
    old_documents = list(OldDocument.objects.all())
    if not old_documents:
        return
    old_type = ContentType.objects.filter(app_label="wagtaildocs", model="document").first()
    linked_from_pages = set(
        apps.get_model("wagtailcore", "ReferenceIndex")
        .objects.filter(to_content_type=old_type, base_content_type__app_label="wagtailcore")
        .values_list("to_object_id", flat=True)
        if old_type
        else []
    )
    participants_only = set(
        apps.get_model("courses", "CourseMaterial")
        .objects.filter(visibility="participants", document__isnull=False)
        .values_list("document_id", flat=True)
    )
    for old in old_documents:
        if old.file.name and not copy_file(old.file.name, default_storage, target):
            print(f"\n  Document {old.pk} ({old.title}): file {old.file.name} is missing; row copied without it")
        public = str(old.pk) in linked_from_pages and old.pk not in participants_only
        CourseDocument.objects.create(public=public, **{field: getattr(old, field) for field in COPIED_FIELDS})
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [CourseDocument]):
            cursor.execute(sql)

    if old_type is None:
        return
    new_type, _created = ContentType.objects.get_or_create(app_label="courses", model="coursedocument")
    apps.get_model("taggit", "TaggedItem").objects.filter(content_type=old_type).update(content_type=new_type)
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    ReferenceIndex.objects.filter(to_content_type=old_type).update(to_content_type=new_type)
    ReferenceIndex.objects.filter(content_type=old_type).update(content_type=new_type, base_content_type=new_type)
    apps.get_model("wagtailcore", "ModelLogEntry").objects.filter(content_type=old_type).update(content_type=new_type)
    apps.get_model("wagtailsearch", "IndexEntry").objects.filter(content_type=old_type).update(content_type=new_type)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_course_document"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
