"""A check-in helper at the door, on a tablet: finds a participant by typing part of the name and taps them in;
later, on a phone, marks everyone else present."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_a_helper_searches_a_name_taps_it_then_marks_everyone_present(live_server, page, site, screenshot):
    centre = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    course = create_course(title="CAR-T-cellsbehandling för sjuksköterskor", centres=[centre])  # under the centre
    started = timezone.now() - dt.timedelta(hours=1)
    occasion = OccasionFactory(course=course, start=started, end=started + dt.timedelta(hours=7))
    asa = EnrolmentFactory(occasion=occasion, user=make_participant(first_name="Åsa", last_name="Östlund"))
    for first, last in [("Bo", "Berg"), ("Cilla", "Carlsson"), ("David", "Dahl")]:
        EnrolmentFactory(occasion=occasion, user=make_participant(first_name=first, last_name=last))
    helper = make_participant(email="dorr@example.se", first_name="Hanna", last_name="Hjälp", is_staff=True)
    centre_team(centre, CentreTeam.Role.CHECK_IN_HELPER).user_set.add(helper)

    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, live_server, helper)
    page.goto(f"{live_server.url}/admin/checkin/")
    page.locator(f"a[href='/admin/checkin/{occasion.pk}/']").click()
    expect(page.locator("[data-checkin-row]")).to_have_count(4)

    page.locator("[data-checkin-search]").fill("ostl")
    expect(page.locator("[data-checkin-row]:visible")).to_have_count(1)
    row = page.locator(f"#enrolment-{asa.pk}")
    expect(row).to_contain_text("Åsa Östlund")

    row.locator("button").click()

    expect(row.locator("button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('[data-count="attended"]')).to_have_text("1")
    expect(page.locator('[data-count="unmarked"]')).to_have_text("3")
    expect(page.locator("[data-checkin-search]")).to_be_focused()  # ready for the next name
    screenshot("checkin-768")
    assert Enrolment.objects.get(pk=asa.pk).status == Enrolment.Status.ATTENDED
    assert page.url.endswith(f"/admin/checkin/{occasion.pk}/")  # marked in place, no reload

    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("[data-checkin-search]").fill("")
    expect(page.locator("[data-checkin-row]:visible")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    search_button = page.locator("[data-checkin-search-form] button").bounding_box()
    assert search_button["x"] + search_button["width"] <= 390 - 16  # inside the page's padding
    screenshot("checkin-390")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-checkin-all] button").click()
    expect(page.locator('[data-count="attended"]')).to_have_text("4")
    assert Enrolment.objects.filter(occasion=occasion, status=Enrolment.Status.ATTENDED).count() == 4
