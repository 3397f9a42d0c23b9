"""Courses with a fee, in the browser: a clinician sees the fee, enrols giving the cost centre and reference (told
clearly what is missing first), cancels after the cancellation deadline and is told before confirming that the fee
stands; the course owner downloads the invoice basis from the admin menu and finds the person, the cost centre and
the totals in it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, future_morning
from courses.models import CentreTeam
from enrolment import services
from enrolment.models import Enrolment
from tests.e2e.conftest import log_in_to_admin
from tests.enrolment.conftest import make_participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]
NBSP = "\u00a0"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, one line per element (empty: none)."""
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{item['id']}: {node['target']}" for item in found for node in item["nodes"]]


@pytest.fixture
def paid_course(site):
    centre = CentreFactory(name="ATMP-centrum Region Skåne", slug="skane")
    course = create_course(title="GMP för ATMP", centres=[centre], fee=Decimal("4500"))
    return course


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_a_clinician_enrols_in_a_paid_course_and_cancels_late(live_server, page, paid_course, screenshot):
    # The cancellation deadline passed an hour ago; the occasion is in three days and still takes enrolments.
    occasion = OccasionFactory(
        course=paid_course,
        start=future_morning(days=3),
        cancellation_deadline=timezone.now() - dt.timedelta(hours=1),
        capacity=10,
    )
    nurse = make_participant(email="sara.nilsson@example.se", first_name="Sara", last_name="Nilsson")
    log_in(page, live_server, nurse)

    page.goto(f"{live_server.url}{paid_course.url}")
    expect(page.locator(".course__facts")).to_contain_text(f"4{NBSP}500{NBSP}kr exkl. moms")
    screenshot("fee-course-page")

    page.goto(f"{live_server.url}/sv/enrol/{occasion.pk}/")
    expect(page.locator("main")).to_contain_text(f"Avgift 4{NBSP}500{NBSP}kr exkl. moms")
    invoice = page.get_by_role("group", name="Fakturauppgifter")
    invoice.get_by_label("Organisation som faktureras").fill("Region Skåne")
    invoice.get_by_label("Kostnadsställe").fill("51200")
    page.locator("main form button[type=submit]").click()

    # The reference was left out: the page says so, in Swedish, and keeps what was typed.
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Ange den fakturareferens din enhet vill ha på fakturan.")
    expect(invoice.get_by_label("Kostnadsställe")).to_have_value("51200")
    invoice.get_by_label("Fakturareferens").fill("Sara Nilsson, hematologen")
    screenshot("fee-enrolment-invoice-details")
    assert violations(page) == []
    page.locator("main form button[type=submit]").click()

    expect(page.locator(".status-panel__status")).to_have_text("Bekräftad")
    fee = page.locator("section", has=page.get_by_role("heading", name="Avgift och faktura"))
    expect(fee).to_contain_text("Region Skåne")
    expect(fee).to_contain_text("51200")
    expect(page.locator("main")).to_contain_text("du kan fortfarande avboka, men avgiften står kvar")
    screenshot("fee-enrolment-detail")

    # Cancelling after the deadline: told about the fee before confirming.
    page.get_by_role("link", name="Avboka anmälan").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("Avgiften står kvar")
    expect(warning).to_contain_text(f"4{NBSP}500{NBSP}kr exkl. moms")
    expect(warning).to_contain_text("Region Skåne, kostnadsställe 51200")
    screenshot("fee-late-cancellation-warning")
    assert violations(page) == []
    assert Enrolment.objects.get(user=nurse).status == Enrolment.Status.CONFIRMED
    page.get_by_role("button", name="Ja, avboka och betala avgiften").click()

    expect(page.locator(".status-panel__status")).to_have_text("Avbokad")
    expect(page.locator("main")).to_contain_text("avbokad efter sista avbokningsdag: avgiften står kvar")
    enrolment = Enrolment.objects.get(user=nurse)
    assert enrolment.fee_stands
    assert (enrolment.cost_centre, enrolment.invoice_reference) == ("51200", "Sara Nilsson, hematologen")


def test_a_course_owner_downloads_the_invoice_basis(live_server, page, paid_course, screenshot, tmp_path):
    occasion = OccasionFactory(course=paid_course, start=future_morning(days=10), capacity=10)
    for first, last, organisation, cost_centre in [
        ("Åsa", "Öberg", "Region Skåne", "51200"),
        ("Bo", "Ek", "Region Skåne", "51200"),
        ("Cissi", "Holm", "Region Halland", "K-77"),
    ]:
        person = make_participant(first_name=first, last_name=last)
        details = {"invoice_organisation": organisation, "cost_centre": cost_centre, "invoice_reference": last}
        services.enrol(person, occasion.pk, invoice=details)
    owner = UserFactory(email="kursansvarig@skane.example", is_staff=True)
    centre_team(paid_course.centres.first(), CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, owner)

    # From the menu: Reports › Invoice basis.
    page.get_by_role("button", name="Rapporter").click()
    page.get_by_role("link", name="Fakturaunderlag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fakturaunderlag")
    day = timezone.localdate(occasion.start).isoformat()
    page.get_by_label("Kurstillfällen från").fill(day)
    page.get_by_label("Kurstillfällen till och med").fill(day)
    page.get_by_role("radio", name="Excel (.xlsx)").check()
    screenshot("fee-invoice-basis-form")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ned").click()
    download = download_info.value
    assert download.suggested_filename == f"fakturaunderlag-{day}-{day}.xlsx"
    download.save_as(tmp_path / "basis.xlsx")

    sheet = load_workbook(tmp_path / "basis.xlsx", read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Organisation", "Kostnadsställe", "Fakturareferens", "Person"]
    people = {(row[0], row[1], row[3]) for row in rows[1:4]}
    assert people == {
        ("Region Skåne", "51200", "Åsa Öberg"),
        ("Region Skåne", "51200", "Bo Ek"),
        ("Region Halland", "K-77", "Cissi Holm"),
    }
    totals = {row[1]: row[7] for row in rows if len(row) > 7 and row[2] in (1, 2) and row[3] in ("", None)}
    assert totals == {"K-77": 4500, "51200": 9000}

    # One occasion's basis is among its tools in Participants › Occasions.
    page.goto(f"{live_server.url}/admin/occasions/")
    row = page.get_by_role("row").filter(has_text=str(occasion))
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Fakturaunderlag").click()
    assert download_info.value.suggested_filename.startswith("fakturaunderlag-gmp-for-atmp-")
