"""The fixed skeleton of the site: both locales, the home page and the catalogue in Swedish and English.

Used by `manage.py setup_site`, the demo-content command and the test fixtures (which cannot rely on
migrations: tests that flush tables delete the root page, the Site and the locales).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import CatalogueIndexPage, HomePage, MaterialIndexPage

SKELETON = {
    # language: (home title, home slug, catalogue title, catalogue slug, catalogue intro)
    "sv": (
        "ATMP-kurser",
        "hem",
        "Kurser",
        "kurser",
        "<p>Kurser och utbildningar om avancerade terapier (ATMP) från landets ATMP-centrum.</p>",
    ),
    "en": (
        "ATMP Courses",
        "home",
        "Courses",
        "courses",
        "<p>Courses and training in advanced therapies (ATMP) from Sweden’s ATMP-centres.</p>",
    ),
}


# language: (library title, slug, intro)
LIBRARY = {
    "sv": (
        "Utbildningsmaterial",
        "utbildningsmaterial",
        "<p>Guider, bilder, inspelade föreläsningar, e-kurser, checklistor och filmer från landets ATMP-centrum.</p>",
    ),
    "en": (
        "Materials",
        "materials",
        "<p>Guides, slides, recorded lectures, e-learning, checklists and videos from Sweden’s ATMP-centres.</p>",
    ),
}


@dataclass
class SiteSkeleton:
    home: dict
    catalogue: dict
    site: Site
    materials: dict


def _publish(page):
    page.save_revision().publish()
    return page


def base_url_address():
    """(hostname, port) of BASE_URL (settings.WAGTAILADMIN_BASE_URL), where the site says it answers."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.hostname or "localhost", address.port or (443 if address.scheme == "https" else 80)


def follow_base_url(site):
    """Point the Site at BASE_URL, so every absolute link (accounts.site) names where the site answers.

    `make run PORT=8202` passes BASE_URL=http://127.0.0.1:8202 and loads the demo, which calls this.
    """
    hostname, port = base_url_address()
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


@transaction.atomic
def ensure_site(hostname=None, port=None):
    """Create what is missing of the skeleton; safe to run any number of times.

    A new Site gets its host from BASE_URL (settings.WAGTAILADMIN_BASE_URL) unless one is given.
    """
    default_hostname, default_port = base_url_address()
    hostname, port = hostname or default_hostname, port or default_port
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in SKELETON}
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
                locale=locales["sv"],
            )
        )

    # Wagtail's migrations make the root collection; tests that flush tables delete it.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")

    # Wagtail's migration leaves a "Welcome to your new Wagtail site!" page (slug "home"); nobody needs it.
    for placeholder in root.get_children().filter(depth=2, content_type=ContentType.objects.get_for_model(Page)):
        if not placeholder.get_children().exists():
            placeholder.delete()  # also deletes a Site rooted at it; recreated below

    homes, catalogues, libraries = {}, {}, {}
    source_home = source_catalogue = source_library = None
    for code, (home_title, home_slug, cat_title, cat_slug, cat_intro) in SKELETON.items():
        locale = locales[code]
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            home = HomePage(title=home_title, slug=home_slug, locale=locale)
            if source_home:
                home.translation_key = source_home.translation_key
            root.add_child(instance=home)
            _publish(home)
        catalogue = CatalogueIndexPage.objects.filter(locale=locale).first()
        if catalogue is None:
            catalogue = CatalogueIndexPage(title=cat_title, slug=cat_slug, locale=locale, intro=cat_intro)
            if source_catalogue:
                catalogue.translation_key = source_catalogue.translation_key
            home.add_child(instance=catalogue)
            _publish(catalogue)
        library = MaterialIndexPage.objects.filter(locale=locale).first()
        if library is None:
            title, slug, intro = LIBRARY[code]
            library = MaterialIndexPage(title=title, slug=slug, locale=locale, intro=intro)
            if source_library:
                library.translation_key = source_library.translation_key
            home.add_child(instance=library)
            _publish(library)
        homes[code], catalogues[code], libraries[code] = home, catalogue, library
        source_home, source_catalogue = source_home or home, source_catalogue or catalogue
        source_library = source_library or library

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=homes["sv"],
            is_default_site=True,
            site_name="ATMP Courses",
        )
    elif site.root_page_id != homes["sv"].pk:
        site.root_page = homes["sv"]
        site.save()
    return SiteSkeleton(home=homes, catalogue=catalogues, site=site, materials=libraries)


def catalogue_pages():
    """The catalogue page in each language, {code: page}, building the skeleton if needed (courses asks)."""
    pages = {}
    for page in CatalogueIndexPage.objects.select_related("locale").order_by("path"):
        pages.setdefault(page.locale.language_code, page)
    if set(SKELETON) <= set(pages):
        return {code: pages[code] for code in SKELETON}
    return ensure_site().catalogue


def library_pages():
    """The materials library in each language, {code: page}, building the skeleton if needed (courses asks)."""
    pages = {}
    for page in MaterialIndexPage.objects.select_related("locale").order_by("path"):
        pages.setdefault(page.locale.language_code, page)
    if set(SKELETON) <= set(pages):
        return {code: pages[code] for code in SKELETON}
    return ensure_site().materials
