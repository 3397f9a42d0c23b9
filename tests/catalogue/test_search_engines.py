"""What a search engine or a link preview reads: sitemap, robots.txt, canonical and hreflang links, Open Graph,
the description, and the icons."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders

from courses.factories import create_course, translate_course

pytestmark = pytest.mark.usefixtures("site")

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def head_links(html, rel):
    return {
        m.group("hreflang") or "": m.group("href")
        for m in re.finditer(rf'<link rel="{rel}"(?: hreflang="(?P<hreflang>[^"]+)")? href="(?P<href>[^"]+)"', html)
    }


def meta(html, key):
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture
def course():
    swedish = create_course(title="Säker hantering av ATMP", summary="Från leverans till patient.")
    english = translate_course(swedish, "en", title="Safe handling of ATMPs", summary="From delivery to patient.")
    return swedish, english


def test_sitemap_lists_both_languages_with_alternates(client, course):
    swedish, english = course

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    entries = {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }
    sv_url, en_url = swedish.get_full_url(), english.get_full_url()
    assert sv_url in entries and en_url in entries
    assert entries[sv_url] == {"sv": sv_url, "en": en_url}
    assert entries[en_url] == {"sv": sv_url, "en": en_url}
    assert "http://testserver/sv/kurser/" in entries and "http://testserver/en/courses/" in entries


def test_sitemap_leaves_out_drafts(client, course):
    swedish, _ = course
    swedish.unpublish()

    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314

    assert swedish.get_full_url() not in {u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)}


def test_robots_keeps_private_areas_out_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/admin/", "/sv/accounts/", "/en/accounts/", "/sv/my-courses/", "/en/my-courses/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /sv/kurser/" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_course_page_has_canonical_hreflang_and_x_default(client, course):
    swedish, english = course

    html = client.get(english.url + "?utm_source=newsletter").content.decode()

    assert head_links(html, "canonical") == {"": english.get_full_url()}
    assert head_links(html, "alternate") == {
        "sv": swedish.get_full_url(),
        "en": english.get_full_url(),
        "x-default": swedish.get_full_url(),
    }


def test_untranslated_page_offers_no_alternate_language(client):
    only_swedish = create_course(title="Bara på svenska")

    html = client.get(only_swedish.url).content.decode()

    assert head_links(html, "alternate") == {}
    assert head_links(html, "canonical") == {"": only_swedish.get_full_url()}


def test_course_description_and_open_graph_come_from_the_course(client, course):
    swedish, english = course

    html = client.get(english.url).content.decode()

    assert meta(html, "description") == "From delivery to patient."
    assert meta(html, "og:title") == "Safe handling of ATMPs"
    assert meta(html, "og:description") == "From delivery to patient."
    assert meta(html, "og:url") == english.get_full_url()
    assert meta(html, "og:locale") == "en_GB"
    assert meta(html, "og:image").endswith(".png")
    assert meta(client.get(swedish.url).content.decode(), "og:locale") == "sv_SE"


@pytest.mark.parametrize("path", ["/favicon.ico", "/apple-touch-icon.png"])
def test_root_icons_lead_to_files_that_exist(client, path):
    response = client.get(path)

    assert response.status_code == 301
    static_path = response["Location"].removeprefix("/static/")
    assert finders.find(static_path), f"{response['Location']} is not a static file"


def test_every_page_links_its_icons(client):
    html = client.get("/sv/").content.decode()

    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]* href="/static/([^"]+)"', html):
        assert finders.find(href)
    assert 'rel="apple-touch-icon"' in html
