"""The catalogue's facets say how many courses each choice gives and apply as soon as they change; without
JavaScript the same form works with its button."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def expect_name(page, label, name):
    """The checkbox as a screen reader names it: the value and its count (inside the label, "(2)" hidden)."""
    expect(page.get_by_label(label)).to_have_accessible_name(name)


def test_ticking_a_facet_updates_the_results_and_the_counts_without_the_button(
    live_server, page, small_catalogue, screenshot
):
    page.goto(f"{live_server.url}/sv/kurser/")
    expect(page.locator(".course-card")).to_have_count(3)
    page.locator("summary", has_text="ATMP-centrum").click()
    expect_name(page, "Sahlgrenska ATMP-centrum", "Sahlgrenska ATMP-centrum 2 kurser")
    expect_name(page, "ATMP-centrum Region Stockholm", "ATMP-centrum Region Stockholm 1 kurs")
    page.locator("summary", has_text="Målgrupp").click()
    expect_name(page, "Sjuksköterskor", "Sjuksköterskor 3 kurser")
    page.wait_for_load_state("networkidle")
    loads = []
    page.on("load", lambda _page: loads.append(1))

    checkbox = page.get_by_label("Sahlgrenska ATMP-centrum")
    checkbox.check()

    # No button pressed, no page load: the results, the counts and the address follow the choice.
    expect(page.locator(".course-card")).to_have_count(2)
    expect(page.locator(".course-card", has_text="CAR-T")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/sv/kurser/\?centre=sahlgrenska&sort=date$"))
    expect(page.locator("[data-live-status]")).to_have_text("2 kurser")
    expect(page.locator("[data-facet-hits='audience:nurses']")).to_contain_text("(2)")
    expect(checkbox).to_be_focused()
    expect(page.locator(".language-switch a[hreflang=en]")).to_have_attribute("href", re.compile("centre=sahlgrenska"))
    assert loads == []
    screenshot("catalogue-live-filters-sv", width=1280)

    # Unticking brings them back; the free-seats checkbox applies too.
    checkbox.uncheck()
    expect(page.locator(".course-card")).to_have_count(3)
    page.get_by_label("Bara kurstillfällen med lediga platser").check()
    expect(page).to_have_url(re.compile(r"has_seats=on"))
    expect(page.locator(".course-card")).to_have_count(3)
    assert loads == []


def test_without_javascript_the_button_applies_the_filters(live_server, browser, small_catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sv/kurser/")
    page.locator("summary", has_text="ATMP-centrum").click()

    page.get_by_label("Sahlgrenska ATMP-centrum").check()
    expect(page.locator(".course-card")).to_have_count(3)  # nothing happens until the button
    page.get_by_role("button", name="Visa kurser").click()

    expect(page).to_have_url(re.compile(r"centre=sahlgrenska"))
    expect(page.locator(".course-card")).to_have_count(2)
    context.close()
