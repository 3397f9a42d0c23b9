"""A course owner's admin: it opens on their centre's courses (menu, dashboard, page explorer), not on
"Exploring: Root", and the pages they use every day read in Swedish, with none of the English Wagtail and
wagtail-localize leave untranslated."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from courses.centres import centre_page, centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, translate_course
from courses.models import CentreTeam

pytestmark = pytest.mark.django_db

# Phrases an owner met in English in the Swedish admin (issue 14), and their neighbours.
KNOWN_ENGLISH = [
    "Exploring",
    "More actions",
    "Maximum filesize",
    "to English translation",
    "Svenska to English",
    "Add child page",
    "Sort menu order",
    "Choose a language",
    "1-1 of 1",  # the explorer's count of the centre's one course
    "Root",
    "Date updated",
    "ditt account",
    "action menu",
    "Translate this page",
    "Sync translated pages",
]


def text_of(html):
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def skane(site, locale_en):
    centre = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    CentreFactory(name="Region Uppsala", slug="uppsala")
    owner = UserFactory(email="kursansvarig.skane@example.se", is_staff=True)
    centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    profile = UserProfile.get_for_user(owner)
    profile.preferred_language = "sv"
    profile.save()
    course = create_course(title="Säker hantering av ATMP", centres=[centre])
    OccasionFactory(course=course)
    return {"owner": owner, "centre": centre, "page": centre_page(centre, "sv"), "course": course}


@pytest.fixture
def owner_client(client, skane):
    client.force_login(skane["owner"])
    return client


def sidebar_props(html):
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return match.group(1)


def test_the_owner_lands_on_their_centres_courses(owner_client, skane):
    explore = f"/admin/pages/{skane['page'].pk}/"

    html = owner_client.get("/admin/").content.decode()

    assert f'href="{explore}"' in html  # the dashboard panel
    assert "Skånes universitetssjukhus" in text_of(html)
    props = sidebar_props(html)
    assert "Mina kurser" in props and explore in props  # the menu item
    explorer = text_of(owner_client.get(explore).content.decode())
    assert "Utforskar: Skånes universitetssjukhus" in explorer
    assert "Säker hantering av ATMP" in explorer
    assert "1–1 av 1 sidor" in explorer or "1–1 av 1 sida" in explorer


def test_the_pages_menu_opens_on_the_owners_centre(owner_client, skane):
    props = json.loads(sidebar_props(owner_client.get("/admin/").content.decode()))
    text = json.dumps(props)

    # Wagtail's start would be the root (the owner edits the centre's Swedish and English pages).
    assert re.search(rf'"name": "explorer"[^]]*"url": "/admin/pages/"\}}, {skane["page"].pk}\]', text)


def test_a_network_admin_keeps_wagtails_start(client, skane):
    client.force_login(UserFactory(email="admin@example.se", is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()

    assert "Mina kurser" not in sidebar_props(html)


def owner_pages(skane):
    course = skane["course"]
    english = translate_course(course, "en", title="Safe handling of ATMP")
    return {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{skane['page'].pk}/",
        "course edit": f"/admin/pages/{course.pk}/edit/",
        "translation": f"/admin/pages/{english.pk}/edit/",
        "participants": reverse("enrolments:index"),
        "documents": "/admin/documents/",
        "document upload": "/admin/documents/multiple/add/",
    }


def test_the_owners_main_admin_pages_read_in_swedish(owner_client, skane):
    found = []
    for name, url in owner_pages(skane).items():
        response = owner_client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        text = text_of(response.content.decode())
        found += [f"{name} ({url}): {phrase!r}" for phrase in KNOWN_ENGLISH if phrase in text]

    assert not found, "\n".join(found)


def test_the_translation_editors_heading_is_rewritten_in_swedish(owner_client, skane):
    """wagtail-localize writes "Svenska to English translation" in JavaScript: our script rewrites it."""
    html = owner_client.get(owner_pages(skane)["translation"]).content.decode()

    words = re.search(r'<script data-words="([^"]*)">', html).group(1)
    assert json.loads(unescape(words)) == "Översättning från %(source)s till %(target)s"


def test_the_translation_status_names_the_menu_and_item_the_owner_sees(owner_client, skane):
    """The course has no English page yet: the status panel's advice names the header's menu and its item, in the
    words the page itself shows."""
    html = owner_client.get(f"/admin/pages/{skane['course'].pk}/edit/").content.decode()

    status = text_of(re.search(r"<div[^>]*data-translation-status.*?</div>", html, re.S).group(0))
    assert "Välj ”Översätt den här sidan” i menyn ”Handlingar”" in status
    # Wagtail's header menu (a button labelled for screen readers and as its tooltip), wagtail-localize's item in it.
    menu = re.search(r'aria-label="Handlingar">.*?<div data-w-dropdown-target="content".*?</div>', html, re.S)
    assert "Översätt den här sidan" in text_of(menu.group(0))


def breadcrumb(html):
    return re.search(r'<nav[^>]*aria-label="Sökvägsnavigering".*?</nav>', html, re.S).group(0)


def test_the_explorers_root_takes_the_owner_to_their_centre(owner_client, skane):
    response = owner_client.get("/admin/pages/")

    assert response.status_code == 302
    assert response.url == f"/admin/pages/{skane['page'].pk}/"


def test_the_owners_breadcrumb_starts_at_their_centre(owner_client, skane):
    for url in [f"/admin/pages/{skane['page'].pk}/", f"/admin/pages/{skane['course'].pk}/edit/"]:
        crumbs = breadcrumb(owner_client.get(url).content.decode())

        assert "Root" not in text_of(crumbs), url
        assert 'href="/admin/pages/"' not in crumbs, url
        # The explorer's top is the Swedish home, above the centre's courses and its part of the library.
        assert "Skånes universitetssjukhus" in text_of(crumbs), url


def test_the_owner_still_edits_the_english_pages(owner_client, skane):
    english = translate_course(skane["course"], "en", title="Safe handling of ATMP")

    assert owner_client.get(f"/admin/pages/{english.pk}/edit/").status_code == 200


def test_a_network_admin_explores_from_the_root(client, skane):
    client.force_login(UserFactory(email="admin@example.se", is_staff=True, is_superuser=True))

    assert client.get("/admin/pages/").status_code == 200
