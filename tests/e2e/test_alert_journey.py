"""A visitor filters the catalogue, follows the view by e-mail, confirms the address from the mail, and hears of
a matching course published afterwards; the mail's link stops the alert."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalogue import alerts
from catalogue.models import Alert
from courses.factories import OccasionFactory, create_course, translate_course
from tests.e2e.test_accessibility import audit  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_follows_a_filtered_catalogue_view(live_server, page, small_catalogue, screenshot, audit):  # noqa: F811
    _stockholm, sahlgrenska = small_catalogue["centres"]
    page.goto(f"{live_server.url}/en/courses/")
    page.locator("summary", has_text="ATMP-centre").click()
    page.get_by_label("Sahlgrenska ATMP Centre").check()
    expect(page.locator(".course-card")).to_have_count(2)

    page.get_by_role("link", name="Follow this view by e-mail").click()
    expect(page.locator("main")).to_contain_text("ATMP-centre: Sahlgrenska ATMP Centre")
    page.get_by_label("Your e-mail address").fill("nils.berg@example.se")
    page.get_by_label("At once").check()
    screenshot("alert-follow-en")
    audit.check("alert-follow-en")
    page.get_by_role("button", name="Follow").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")

    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/en/alerts/confirm/\S+/", confirmation.body).group(0)
    page.goto(f"{live_server.url}{re.sub(r'^https?://[^/]+', '', link)}")
    audit.check("alert-confirm-en")
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/en/courses/\?centre=sahlgrenska$"))
    expect(page.locator(".messages")).to_contain_text("Your alert is on")

    # A course published afterwards at Sahlgrenska is news; one elsewhere is not.
    for title_sv, title_en, centre in [
        ("Vektorproduktion", "Vector manufacturing", sahlgrenska),
        ("Cellterapi i Stockholm", "Cell therapy in Stockholm", _stockholm),
    ]:
        course = create_course(title=title_sv, centres=[centre], audiences=[small_catalogue["audience"]])
        translate_course(course, "en", title=title_en)
        OccasionFactory(course=course)
    mail.outbox.clear()
    alerts.queue_matches()

    (news,) = mail.outbox
    assert "Vector manufacturing" in news.body
    assert "Cell therapy in Stockholm" not in news.body
    unsubscribe = news.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(f"{live_server.url}{re.sub(r'^https?://[^/]+', '', unsubscribe)}")
    page.get_by_role("button", name="Stop the alert").click()
    expect(page.locator("h1")).to_have_text("The alert is stopped")
    assert not Alert.objects.exists()
    audit.assert_clean()
