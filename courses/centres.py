"""Each centre's part of the site and its staff roles, set up idempotently.

For every centre (in the default language) there is:
- a `CentrePage` under the catalogue in each language, the parent of the centre's courses;
- a collection for its documents and images;
- two groups: course owners (edit and publish the centre's pages, manage its documents and participants)
  and check-in helpers (mark attendance only), linked to the centre by a `CentreTeam` row.
There is also one "Network admins" group that may do everything across centres.

`ensure_centre` runs when a centre is saved in the CMS and from `manage.py setup_site`; adding a user to a
group in Wagtail's Users admin is then all it takes to give them a role.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from . import registry
from .library import CentreMaterialsPage
from .models import Centre, CentrePage, CentreTeam, CoursePage

NETWORK_ADMINS = "Nätverksadministratörer / Network admins"
TEAM_NAMES = {
    CentreTeam.Role.COURSE_OWNER: "Kursansvariga / Course owners – {centre}",
    CentreTeam.Role.CHECK_IN_HELPER: "Närvarohjälp / Check-in helpers – {centre}",
}

# Page permissions a course owner has on their centre's pages (not bulk delete).
OWNER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
ADMIN_PAGE_PERMISSIONS = [*OWNER_PAGE_PERMISSIONS, "bulk_delete_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
]
ADMIN_ACCESS = [("wagtailadmin", "access_admin")]
# wagtail-localize makes this permission in a data migration (no model declares it), so a database flushed
# after migrating lacks it, and course owners would silently lose "Translate": made when missing.
SUBMIT_TRANSLATION = ("wagtail_localize", "submit_translation")
OWNER_PERMISSIONS = [*ADMIN_ACCESS, SUBMIT_TRANSLATION]
NETWORK_ADMIN_PERMISSIONS = [
    *OWNER_PERMISSIONS,
    ("enrolment", "manage_all_enrolments"),
    *[
        (app, f"{action}_{model}")
        for app, model in [("courses", "centre"), ("courses", "topic"), ("courses", "audience")]
        for action in ("add", "change", "delete")
    ],
    ("catalogue", "change_sitelinks"),
    ("courses", "add_defaultevaluation"),
    ("courses", "change_defaultevaluation"),
    ("enrolment", "view_outboxmessage"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_user"),
    ("auth", "view_group"),
]


def _ensure_submit_translation():
    content_type, _created = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )


def _permissions(pairs):
    if SUBMIT_TRANSLATION in pairs:
        _ensure_submit_translation()
    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _page_permissions(group, page, codenames):
    for permission in _permissions([("wagtailcore", codename) for codename in codenames]):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _collection_permissions(group, collection):
    for permission in _permissions(COLLECTION_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _pages_under(model, parents, centre):
    """The centre's `model` page under each language's parent ({code: page}), created (and published) if missing;
    translations share the default language's translation key."""
    pages = {}
    source = model.objects.filter(centre=centre, locale__language_code=settings.LANGUAGE_CODE).first()
    for code, parent in parents.items():
        page = model.objects.filter(centre=centre, locale=parent.locale).first()
        if page is None:
            named = centre.get_translation_or_none(parent.locale) or centre
            page = model(title=named.name, slug=centre.slug, centre=centre, locale=parent.locale)
            if source is not None:
                page.translation_key = source.translation_key
            parent.add_child(instance=page)
            page.save_revision().publish()
        source = source or page
        pages[code] = page
    return pages


def centre_pages(centre):
    """The centre's page in each language that has a catalogue, created (and published) if missing."""
    return _pages_under(CentrePage, registry.catalogue_pages()(), centre)


def centre_material_pages(centre):
    """The centre's part of the library in each language, created (and published) if missing."""
    return _pages_under(CentreMaterialsPage, registry.library_pages()(), centre)


def centre_material_page(centre, language_code=None):
    """The centre's part of the library in one language (default language if None)."""
    return centre_material_pages(centre)[language_code or settings.LANGUAGE_CODE]


def centre_page(centre, language_code=None):
    """The centre's page in one language (default language if None)."""
    return centre_pages(centre)[language_code or settings.LANGUAGE_CODE]


def courses_under_centres(centre_ids):
    """Course pages (every language) under the given centres' pages: the courses those centres manage."""
    paths = CentrePage.objects.filter(centre_id__in=centre_ids).values_list("path", flat=True)
    under_a_centre = Q(pk__in=[])
    for path in paths:
        under_a_centre |= Q(path__startswith=path)
    return CoursePage.objects.filter(under_a_centre)


def centre_collection(centre):
    if centre.collection_id:
        return centre.collection
    collection = Collection.get_first_root_node().add_child(name=centre.name)
    # The collection is synchronised across the centre's translations.
    Centre.objects.filter(translation_key=centre.translation_key).update(collection=collection)
    centre.collection = collection
    return collection


def centre_team(centre, role):
    """The group for one role at one centre, with its permissions (created if missing)."""
    team = CentreTeam.objects.filter(centre=centre, role=role).select_related("group").first()
    if team is None:
        name = TEAM_NAMES[role].format(centre=centre.short_name or centre.name)
        group, _created = Group.objects.get_or_create(name=name[:150])
        team = CentreTeam.objects.create(centre=centre, role=role, group=group)
    group = team.group
    if role == CentreTeam.Role.COURSE_OWNER:
        group.permissions.add(*_permissions(OWNER_PERMISSIONS))
        # Their centre's courses and its part of the materials library.
        for page in [*centre_pages(centre).values(), *centre_material_pages(centre).values()]:
            _page_permissions(group, page, OWNER_PAGE_PERMISSIONS)
        _collection_permissions(group, centre_collection(centre))
    else:
        group.permissions.add(*_permissions(ADMIN_ACCESS))
    return group


def network_admins():
    group, _created = Group.objects.get_or_create(name=NETWORK_ADMINS)
    group.permissions.add(*_permissions(NETWORK_ADMIN_PERMISSIONS))
    root_page = Page.get_first_root_node()
    if root_page is not None:
        _page_permissions(group, root_page, ADMIN_PAGE_PERMISSIONS)
    _collection_permissions(group, Collection.get_first_root_node())
    return group


@transaction.atomic
def ensure_centre(centre):
    """Pages, collection and groups for one centre (given in the default language); safe to repeat."""
    for role in CentreTeam.Role:
        centre_team(centre, role)
    centre_material_pages(centre)
    return centre_pages(centre)


def ensure_all_centres():
    network_admins()
    for centre in Centre.objects.filter(locale__language_code=settings.LANGUAGE_CODE):
        ensure_centre(centre)


def owned_centre_pages(user):
    """The Swedish pages of the centres whose course owner `user` is, by name: where their courses live."""
    if not user.is_authenticated:
        return CentrePage.objects.none()
    centre_ids = CentreTeam.objects.filter(group__user=user, role=CentreTeam.Role.COURSE_OWNER).values("centre_id")
    return CentrePage.objects.filter(centre_id__in=centre_ids, locale__language_code=settings.LANGUAGE_CODE).order_by(
        "title"
    )
