"""A network admin opens an occasion's participants from the occasion list, narrows them to the confirmed ones with
the filter, chooses the columns and downloads an Excel file holding exactly those people, under the headings the
page showed, with a formula-like name defused."""

import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.factories import UserFactory
from courses.centres import network_admins
from courses.factories import CentreFactory, OccasionFactory, create_course, future_morning
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment
from tests.e2e.conftest import log_in_to_admin
from tests.enrolment.conftest import make_participant

# A Swedish browser gets the Swedish admin (Wagtail follows Accept-Language when the user has set no language).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

Status = Enrolment.Status
# The occasion's twelve people: seven with a seat, one of them with a name a spreadsheet would run as a formula.
PEOPLE = {
    Status.CONFIRMED: [
        ("Åsa", "Öberg"),
        ("=HYPERLINK(1)", "Formel"),
        ("Bo", "Berg"),
        ("Cilla", "Carlsson"),
        ("David", "Dahl"),
        ("Eva", "Ek"),
        ("Finn", "Fors"),
    ],
    Status.WAITING: [("Gun", "Gran"), ("Hans", "Holm"), ("Ida", "Ivarsson")],
    Status.CANCELLED: [("Jan", "Jansson"), ("Karin", "Kvist")],
}


def enrol(occasion, status, first_name, last_name):
    user = make_participant(first_name=first_name, last_name=last_name, workplace="Karolinska Universitetssjukhuset")
    return EnrolmentFactory(occasion=occasion, user=user, status=status)


def filter_by(page, filter_name, option):
    """Pick one option in the listing's filter panel; Wagtail reloads the results (and the URL) in place."""
    page.get_by_role("button", name="Visa filter").click()
    page.get_by_role("button", name=filter_name, exact=True).click()
    page.get_by_role("listbox", name=filter_name, exact=True).select_option(label=option)
    page.keyboard.press("Escape")


def chosen_column_labels(page):
    """The labels of the ticked columns on the export page, in the order shown."""
    labels = page.get_by_role("group", name="Kolumner").locator("label")
    return [label.inner_text().strip() for label in labels.all() if label.get_by_role("checkbox").is_checked()]


def test_a_network_admin_exports_the_confirmed_participants_of_an_occasion(
    live_server, page, site, screenshot, tmp_path
):
    centre = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    course = create_course(title="CAR-T-cellsbehandling för sjuksköterskor", centres=[centre])
    occasion = OccasionFactory(course=course, start=future_morning(days=20), capacity=7, city="Stockholm")
    enrolments = {
        status: [enrol(occasion, status, first, last) for first, last in names] for status, names in PEOPLE.items()
    }
    later = OccasionFactory(course=course, start=future_morning(days=50), capacity=7)
    enrol(later, Status.CONFIRMED, "Lars", "Lind")  # same course, another occasion: not in this export
    admin = UserFactory(email="natverk@example.se", first_name="Nora", is_staff=True)
    network_admins().user_set.add(admin)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, admin)

    page.goto(f"{live_server.url}/admin/occasions/")
    page.get_by_role("row").filter(has_text=str(occasion)).get_by_role("link", name="Deltagare").click()
    expect(page.get_by_role("main")).to_contain_text("Det finns 12 träffar")

    filter_by(page, "status", "Bekräftad")
    expect(page).to_have_url(re.compile(r"status=confirmed"))
    expect(page.get_by_role("main")).to_contain_text("Det finns 7 träffar")
    screenshot("export-participants-confirmed")

    page.get_by_role("link", name="Exportera").click()  # a labelled button beside the title
    expect(page).to_have_url(re.compile(r"/admin/enrolments/export/\?.*status=confirmed"))  # the filters come along
    page.get_by_role("checkbox", name="Plats på reservlistan").uncheck()
    page.get_by_role("checkbox", name="Svar").uncheck()
    page.get_by_role("checkbox", name="Ort").check()
    page.get_by_role("radio", name="Excel (.xlsx)").check()
    headings = chosen_column_labels(page)
    screenshot("export-choose-columns")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ned").click()
    download = download_info.value
    day = timezone.localdate(occasion.start).isoformat()
    assert download.suggested_filename.endswith(f"-car-t-cellsbehandling-for-sjukskoterskor-{day}.xlsx")
    download.save_as(tmp_path / download.suggested_filename)

    workbook = load_workbook(tmp_path / download.suggested_filename, read_only=True)
    heading_row, *rows = workbook.active.iter_rows(values_only=True)
    assert list(heading_row) == headings
    assert headings[:3] == ["Förnamn", "Efternamn", "E-post"]
    assert {"Ort", "Status"} <= set(headings) and "Svar" not in headings
    people = [dict(zip(headings, row, strict=True)) for row in rows]
    assert sorted(person["E-post"] for person in people) == sorted(
        enrolment.user.email for enrolment in enrolments[Status.CONFIRMED]
    )
    assert {(person["Status"], person["Ort"], person["Kurs"]) for person in people} == {
        ("Bekräftad", "Stockholm", course.title)
    }
    names = {(person["Förnamn"], person["Efternamn"]) for person in people}
    assert ("Åsa", "Öberg") in names
    assert ("'=HYPERLINK(1)", "Formel") in names  # read as text by Excel, not run as a formula
