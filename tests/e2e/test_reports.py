"""A course owner finds the coming occasions on the dashboard, opens the report, narrows the period and gets
charts with the same figures as text; axe finds no WCAG 2.1 A/AA violation in what the report adds."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, future_morning
from courses.models import CentreTeam
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment
from tests.e2e.conftest import log_in_to_admin
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# What this feature adds to Wagtail's pages (Wagtail's own furniture is Wagtail's to audit).
REPORT_PARTS = {"include": [["main form.atmp-report__filters"], ["main section.w-panel"]]}
PANEL = {"include": [["#upcoming-occasions-section"]]}


@pytest.fixture
def root_collection(site):
    """The root collection that centres' collections hang under: a transactional test before this one
    flushes it with the rest of the database (the shared `site` fixture does not rebuild it yet)."""
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def violations(page, context):
    found = Axe().run(page, context=context, options=AXE_OPTIONS).response["violations"]
    return [f"{item['id']}: {node['target']}" for item in found for node in item["nodes"]]


def test_a_course_owner_reads_the_report(live_server, page, screenshot, root_collection):
    centre = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    course = create_course(title="CAR-T-cellsbehandling för sjuksköterskor", centres=[centre])
    other_centres_course = create_course(title="GMP för sjukhusundantag", centres=[CentreFactory()])
    OccasionFactory(course=other_centres_course, start=future_morning(days=10))
    occasion = OccasionFactory(course=course, start=future_morning(days=20), capacity=12)
    for status in [Enrolment.Status.CONFIRMED] * 9 + [Enrolment.Status.WAITING] * 2:
        EnrolmentFactory(occasion=occasion, user=make_participant(), status=status)
    ended = OccasionFactory(course=course, start=future_morning(days=-20))
    for status in [Enrolment.Status.ATTENDED] * 3 + [Enrolment.Status.NO_SHOW]:
        EnrolmentFactory(occasion=ended, user=make_participant(), status=status)
    owner = UserFactory(email="kursansvarig@example.se", is_staff=True)
    centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)

    log_in_to_admin(page, live_server, owner)

    dashboard_panel = page.locator("#upcoming-occasions-section")
    expect(dashboard_panel.locator(f"tr[data-occasion='{occasion.pk}']")).to_contain_text("9")
    expect(dashboard_panel.locator(f"tr[data-occasion='{occasion.pk}']")).to_contain_text("75")
    screenshot("reports-dashboard", width=1280)
    assert violations(page, PANEL) == []

    dashboard_panel.locator("a[href='/admin/centre-reports/']").click()
    page.select_option("#id_period", "3")
    page.locator("form.atmp-report__filters button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/admin/centre-reports/?centre={centre.pk}&period=3")
    expect(page.locator("#report-monthly-section table tbody tr")).to_have_count(3)
    expect(page.locator("#no-show-rate")).to_contain_text("25")
    expect(page.locator("#report-upcoming-section")).to_contain_text(course.title)
    expect(page.locator("#report-upcoming-section")).not_to_contain_text(other_centres_course.title)
    screenshot("reports-report", width=1280)
    screenshot("reports-report-phone", width=390)
    assert violations(page, REPORT_PARTS) == []
