"""Keyboard only (Tab, Enter, Space; no mouse): the catalogue, the language switch and an enrolment.

Every element the keyboard reaches on the way must show where the focus is: an outline or a box-shadow.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const text = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
  return {
    element: `<${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}> ${text.slice(0, 60)}`,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def focused(page):
    return page.evaluate(FOCUS)


def assert_focus_visible(page):
    focus = focused(page)
    assert focus["outline"] or focus["shadow"], (
        f"no visible focus indicator (outline or box-shadow) on {focus['element']}"
    )


def tab_to(page, selector, max_presses=40):
    """Press Tab until the element matching the CSS `selector` has the focus, and check the focus shows."""
    visited = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            assert_focus_visible(page)
            return
        visited.append(focused(page)["element"])
    raise AssertionError(
        f"{selector} not reached in {max_presses} presses of Tab; focus went to:\n" + "\n".join(visited)
    )


def test_keyboard_user_skips_to_content_filters_the_catalogue_and_switches_language(live_server, page, small_catalogue):
    page.goto(f"{live_server.url}/sv/kurser/")

    # The first Tab reaches the skip link, which shows on screen, and Enter moves on to the main content.
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_q")).to_be_focused()

    # Open the centre facet with Enter, tick a centre with Space, submit the filters with Enter.
    tab_to(page, "details.facet > summary")
    expect(page.locator(":focus")).to_contain_text("ATMP-centrum")
    page.keyboard.press("Enter")
    expect(page.locator("details.facet").first).to_have_attribute("open", "")
    tab_to(page, "input[name=centre][value=sahlgrenska]")
    page.keyboard.press("Space")
    expect(page.get_by_label("Sahlgrenska ATMP-centrum")).to_be_checked()
    tab_to(page, ".filters button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/sv/kurser/\?.*centre=sahlgrenska"))
    expect(page.locator(".course-card")).to_have_count(2)
    expect(page.locator(".course-card", has_text="CAR-T")).to_have_count(0)

    # The language switch keeps the filters.
    tab_to(page, ".language-switch a[hreflang=en]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/courses/\?.*centre=sahlgrenska"))
    expect(page.locator(".course-card")).to_have_count(2)


def test_keyboard_user_logs_in_and_enrols(live_server, page, small_catalogue):
    participant = make_participant()
    course = small_catalogue["courses"][0]
    course.enrolment_questions = [
        (
            "question",
            {
                "label": "Har du gått en ATMP-kurs förut?",
                "help_text": "",
                "kind": "yes_no",
                "choices": [],
                "required": True,
            },
        )
    ]
    course.save_revision().publish()

    # Log in: type into the fields, Enter sends the form.
    page.goto(f"{live_server.url}/sv/accounts/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(participant.email)
    tab_to(page, "#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".site-nav form[action*='logout'] button")).to_be_visible()

    # The course page: Tab to the Enrol button, Enter opens the enrolment form.
    page.goto(f"{live_server.url}{course.url}")
    tab_to(page, ".occasion-list__actions a.button")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(f"Anmäl dig: {course.title}")

    # Answer the question with Space, then send the form with Space on its button.
    tab_to(page, "main form input[type=radio]")
    page.keyboard.press("Space")
    expect(page.get_by_label("Ja")).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Space")

    expect(page).to_have_url(re.compile(r"/sv/my-courses/\d+/$"))
    expect(page.locator(".status-panel__status")).to_have_text("Bekräftad")
