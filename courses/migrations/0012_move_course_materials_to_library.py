"""Course attachments (CourseMaterial) move into the materials library.

Each becomes a material page in the default language, in the library part of its course's centre (network-wide
courses: the library itself), listed by its course; participants-only attachments open for that course's
participants, public ones for everyone, from the same release date. The documents stay the same rows, so their
old addresses (/documents/<id>/<file>) keep working, behind the same checked view.

Historical models have no tree methods: pages are added the way treebeard's add_child does it.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _encode(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


class Tree:
    def __init__(self, apps):
        self.Page = apps.get_model("wagtailcore", "Page")
        self.ContentType = apps.get_model("contenttypes", "ContentType")
        self.now = timezone.now()

    def content_type(self, app_label, model):
        return self.ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    def unique_slug(self, parent, title):
        base = slugify(title)[:200] or "material"
        siblings = set(
            self.Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in siblings:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def add_child(self, parent, child, live=True):
        last = (
            self.Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
        child.path = parent.path + _encode(number)
        child.depth = parent.depth + 1
        child.numchild = 0
        child.slug = self.unique_slug(parent, child.slug or child.title)
        child.url_path = f"{parent.url_path}{child.slug}/"
        child.draft_title = child.title
        child.live = live
        child.has_unpublished_changes = not live
        if live:
            child.first_published_at = child.last_published_at = self.now
        child.save()
        self.Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
        return child


def move_course_materials(apps, schema_editor):
    CourseMaterial = apps.get_model("courses", "CourseMaterial")
    if not CourseMaterial.objects.exists():
        return
    tree = Tree(apps)
    Locale = apps.get_model("wagtailcore", "Locale")
    MaterialIndexPage = apps.get_model("catalogue", "MaterialIndexPage")
    CentrePage = apps.get_model("courses", "CentrePage")
    CentreMaterialsPage = apps.get_model("courses", "CentreMaterialsPage")
    MaterialPage = apps.get_model("courses", "MaterialPage")
    CourseLibraryMaterial = apps.get_model("courses", "CourseLibraryMaterial")
    Centre = apps.get_model("courses", "Centre")
    restricted_to = MaterialPage._meta.get_field("courses").remote_field.through
    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]

    def library():
        found = MaterialIndexPage.objects.filter(locale=locale).first()
        if found:
            return found
        home = tree.Page.objects.get(path=first.page.path[: 2 * STEPLEN])  # the course's site's home page
        return tree.add_child(
            home,
            MaterialIndexPage(
                title="Utbildningsmaterial",
                slug="utbildningsmaterial",
                locale=locale,
                content_type=tree.content_type("catalogue", "materialindexpage"),
                intro="",
            ),
        )

    def centre_part(index, centre_id):
        found = CentreMaterialsPage.objects.filter(centre_id=centre_id, locale=locale).first()
        if found:
            return found
        centre = Centre.objects.get(pk=centre_id)
        return tree.add_child(
            index,
            CentreMaterialsPage(
                title=centre.name,
                slug=centre.slug,
                locale=locale,
                centre_id=centre_id,
                content_type=tree.content_type("courses", "centrematerialspage"),
            ),
        )

    attachments = list(CourseMaterial.objects.select_related("page").order_by("page_id", "sort_order", "pk"))
    first = attachments[0]
    index = library()
    for attachment in attachments:
        course = attachment.page
        above = CentrePage.objects.filter(path=course.path[:-STEPLEN]).first()
        parent = centre_part(index, above.centre_id) if above else index
        participants_only = attachment.visibility == "participants"
        material = tree.add_child(
            parent,
            MaterialPage(
                title=attachment.title,
                slug=attachment.title,
                locale=locale,
                content_type=tree.content_type("courses", "materialpage"),
                summary="",
                kind="guide",
                languages=attachment.language or settings.LANGUAGE_CODE,
                centre_id=above.centre_id if above else None,
                document_id=attachment.document_id,
                link=attachment.link,
                access="participants" if participants_only else "everyone",
                available_from=attachment.available_from,
                last_reviewed=timezone.localdate(),
                contact_name=course.contact_name,
                contact_email=course.contact_email,
            ),
            live=course.live,
        )
        if participants_only:
            restricted_to.objects.create(materialpage_id=material.pk, coursepage_id=course.pk)
        CourseLibraryMaterial.objects.create(page_id=course.pk, material_id=material.pk, sort_order=attachment.sort_order)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_materials_library"),
        ("catalogue", "0003_material_index_page"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_course_materials, migrations.RunPython.noop)]
