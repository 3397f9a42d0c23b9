"""A course owner creates a course with one occasion under their centre's page in the Wagtail admin, publishes it,
translates it to English in wagtail-localize's editor, finds it in both catalogues, and cannot edit (or even see)
another centre's course."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, future_morning
from courses.formatting import format_period
from courses.models import CentreTeam, CoursePage
from tests.e2e.conftest import log_in_to_admin

# A Swedish browser gets the Swedish admin (Wagtail follows Accept-Language when the user has set no language).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

TITLE_SV = "Avancerad cellterapi i vården"
SUMMARY_SV = "Kursen ger praktisk kunskap om cellterapi för vårdens personal."
TITLE_EN = "Advanced cell therapy in care"
SUMMARY_EN = "The course gives healthcare staff practical knowledge of cell therapy."


def field(page, label, role="textbox"):
    """A form field by its label (Wagtail appends "*" to required ones)."""
    return page.get_by_role(role, name=re.compile(rf"^{re.escape(label)}\*?$"))


def fill_date_time(page, label, value):
    """Type into one of Wagtail's date-time fields. Its picker opens shortly after the field gets focus and would
    cover the fields below it: wait for it, type, and leave the field with Tab, which closes it."""
    date_time = field(page, label)
    date_time.click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    date_time.fill(value)
    date_time.press("Tab")
    expect(picker).to_have_count(0)


def translate_segment(page, heading, text):
    """Translate one field in wagtail-localize's editor and wait until the server has saved it."""
    segment = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=heading, exact=True))
    segment.get_by_role("button", name="Översätt").click()
    segment.get_by_role("textbox").fill(text)
    segment.get_by_role("button", name="Spara").click()
    expect(segment.get_by_role("button", name="Redigera")).to_be_visible()
    expect(segment).to_contain_text("Manuellt översatt")


def search_pages(page, term):
    """Search every page with the sidebar's search field; the results."""
    search = page.get_by_role("textbox", name="Sök", exact=True)
    search.fill(term)
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"/admin/pages/search/\?q={term}$"))
    return page.get_by_role("main")


def course_card(page, title):
    return page.get_by_role("article").filter(has=page.get_by_role("heading", name=title))


def test_a_course_owner_publishes_and_translates_a_course_and_cannot_edit_another_centres(
    live_server, page, screenshot
):
    stockholm = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    sahlgrenska = CentreFactory(name="Sahlgrenska ATMP-centrum", slug="sahlgrenska")
    other_centres_course = create_course(title="GMP för sjukhusundantag", centres=[sahlgrenska])
    OccasionFactory(course=other_centres_course)
    assert other_centres_course in CoursePage.objects.search("GMP")  # in the index: its owners would find it
    owner = UserFactory(email="kursansvarig@example.se", first_name="Karin", is_staff=True)
    centre_team(stockholm, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    start = timezone.localtime(future_morning(days=60))
    end = start + dt.timedelta(hours=7)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, owner)

    # The admin opens on the owner's courses: the dashboard panel and "Mina kurser" lead to their centre.
    expect(page.locator("#owned-courses-heading, [id^=owned-courses]").first).to_contain_text("Dina kurser")
    page.get_by_role("link", name="Mina kurser").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(stockholm.name)
    screenshot("owner-my-courses")

    # The explorer's start is the owner's own centre, not "Root" (nor another centre).
    page.goto(f"{live_server.url}/admin/pages/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(stockholm.name)
    expect(page.get_by_role("navigation", name="Sökvägsnavigering")).not_to_contain_text("Root")
    expect(page.get_by_role("main")).not_to_contain_text(sahlgrenska.name)
    screenshot("owner-explorer")

    # A course is the only page type under a centre's page, so Wagtail opens its form straight away.
    page.get_by_role("link", name="Lägg till undersida", exact=True).click()
    field(page, "Titel").fill(TITLE_SV)
    field(page, "Sammanfattning").fill(SUMMARY_SV)
    page.get_by_role("checkbox", name=stockholm.name, exact=True).check()
    page.get_by_role("button", name="Lägg till kurstillfälle").click()
    fill_date_time(page, "Börjar", f"{start:%Y-%m-%d %H:%M}")
    fill_date_time(page, "Slutar", f"{end:%Y-%m-%d %H:%M}")
    field(page, "Platser", role="spinbutton").fill("24")
    field(page, "Ort").fill("Stockholm")
    screenshot("owner-new-course")
    page.get_by_role("button", name="Fler åtgärder").click()
    page.get_by_role("button", name="Publicera").click()

    # Back in the centre's listing, the course is live.
    expect(page.get_by_role("heading", level=1)).to_contain_text(stockholm.name)
    row = page.get_by_role("row").filter(has_text=TITLE_SV)
    expect(row).to_contain_text("Publicerad", ignore_case=True)
    course = CoursePage.objects.get(title=TITLE_SV)
    occasion = course.occasions.get()
    assert (occasion.start, occasion.end, occasion.capacity) == (start, end, 24)

    # Translate: the page's action menu, English, then wagtail-localize's editor.
    row.get_by_role("link", name=TITLE_SV).click()
    page.get_by_role("button", name="Handlingar").click()
    page.get_by_role("link", name="Översätt den här sidan").click()
    expect(page.get_by_role("checkbox", name="English")).to_be_checked()  # the only language left
    page.get_by_role("button", name="Skicka").click()
    translate_segment(page, "Titel", TITLE_EN)
    translate_segment(page, "Sammanfattning", SUMMARY_EN)
    # wagtail-localize writes this heading in English ("Svenska to English translation"): ours says it in Swedish.
    expect(page.locator("h3", has_text="Översättning från").first).to_be_visible()
    expect(page.locator("h3", has_text=" to ")).to_have_count(0)
    screenshot("owner-translation-editor")
    page.get_by_role("button", name=re.compile(r"^Publicera på\s*English")).click()
    expect(page.get_by_role("status")).to_contain_text(f"Publicerade '{TITLE_EN}' på English.")
    expect(page.get_by_role("status")).not_to_contain_text("saknade")

    # Each catalogue shows the course in its own language, with the occasion the owner typed in.
    page.goto(f"{live_server.url}/en/courses/")
    card = course_card(page, TITLE_EN)
    expect(card).to_contain_text(SUMMARY_EN)
    expect(card).to_contain_text(format_period(start, end, "en"))
    expect(card.get_by_role("link", name=TITLE_EN)).to_have_attribute(
        "href", "/en/courses/stockholm/advanced-cell-therapy-in-care/"
    )
    screenshot("owner-catalogue-en")
    page.goto(f"{live_server.url}/sv/kurser/")
    card = course_card(page, TITLE_SV)
    expect(card).to_contain_text(format_period(start, end, "sv"))
    expect(page.get_by_role("main")).not_to_contain_text(TITLE_EN)

    # Another centre's course: no editor, Wagtail's "no permission" message instead, and the admin's search of
    # all pages finds only what the owner may see.
    page.goto(f"{live_server.url}/admin/pages/{other_centres_course.pk}/edit/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("status")).to_contain_text("du saknar rättigheter")
    expect(field(page, "Titel")).to_have_count(0)
    screenshot("owner-no-access")
    results = search_pages(page, "cellterapi")
    expect(results.get_by_role("link", name=TITLE_SV)).to_be_visible()
    results = search_pages(page, "GMP")
    expect(results).to_contain_text("inga sidor matchar")
    expect(results.get_by_role("link", name=other_centres_course.title)).to_have_count(0)
