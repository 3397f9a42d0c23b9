"""A visitor finds a course in the catalogue in Swedish, filters and searches, and switches to English."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_filters_by_centre_searches_and_reaches_a_course_in_both_languages(
    live_server, page, small_catalogue, screenshot
):
    page.goto(f"{live_server.url}/sv/kurser/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".course-card")).to_have_count(3)
    screenshot("catalogue-sv-desktop", width=1280)

    page.locator("summary", has_text="ATMP-centrum").click()
    page.get_by_label("Sahlgrenska ATMP-centrum").check()
    page.locator(".filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"centre=sahlgrenska"))
    expect(page.locator(".course-card")).to_have_count(2)
    expect(page.locator(".course-card", has_text="CAR-T")).to_have_count(0)

    page.goto(f"{live_server.url}/sv/kurser/")
    page.locator("#id_q").fill("CAR-T")
    page.locator(".search-bar button").click()
    expect(page.locator(".course-card")).to_have_count(1)
    screenshot("catalogue-sv-search-phone", width=390)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".course-card__title a").click()
    expect(page.locator("h1")).to_have_text("CAR-T-cellsbehandling för sjuksköterskor")
    screenshot("course-sv-desktop")

    page.locator(".language-switch a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("CAR-T cell therapy for nurses")
    expect(page.locator(".course__facts")).to_contain_text("ATMP Centre Region Stockholm")
    screenshot("course-en-desktop")


def test_english_catalogue_keeps_the_filters_when_switching_language(live_server, page, small_catalogue):
    page.goto(f"{live_server.url}/sv/kurser/?centre=sahlgrenska")
    expect(page.locator(".course-card")).to_have_count(2)

    page.locator(".language-switch a[hreflang=en]").click()

    expect(page).to_have_url(re.compile(r"/en/courses/\?centre=sahlgrenska"))
    expect(page.locator(".course-card")).to_have_count(2)
    expect(page.locator(".course-card__title").first).to_have_text("GMP for hospital exemption")
