"""A clinician opens My CPD in My courses, reads the hours per year, downloads the transcript and checks its
code on the public verification page, as someone reading the transcript would."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.factories import DEMO_PASSWORD
from courses.factories import OccasionFactory
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, Transcript
from tests.e2e.test_accessibility import audit  # noqa: F401 - fixture
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)


def stockholm(*args):
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


def test_a_clinician_downloads_the_cpd_transcript_and_its_code_verifies(
    live_server,
    page,
    small_catalogue,
    screenshot,
    tmp_path,
    audit,  # noqa: F811
):
    car_t, gmp, _gene = small_catalogue["courses"]
    for course, hours in [(car_t, "6.5"), (gmp, "3")]:
        course.cpd_hours = Decimal(hours)
        course.lipus_reference = "LIPUS-2025-0412" if course == car_t else ""
        course.save_revision().publish()
    participant = make_participant(first_name="Karin", last_name="Lind", email="karin.lind@example.se")
    for course, start in [(car_t, stockholm(2025, 10, 7, 9)), (gmp, stockholm(2026, 2, 3, 9))]:
        occasion = OccasionFactory(course=course, start=start, end=start + dt.timedelta(hours=7))
        EnrolmentFactory(user=participant, occasion=occasion, status=Enrolment.Status.ATTENDED)

    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", participant.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-nav form[action*='logout'] button")).to_be_visible()

    page.goto(f"{live_server.url}/sv/my-courses/")
    cpd = page.get_by_role("region", name="Min fortbildning")
    years = cpd.get_by_role("table", name="Utbildningstimmar per år").locator("tbody tr")
    expect(years).to_have_text([re.compile(r"2026\s*1\s*3$"), re.compile(r"2025\s*1\s*6,5$")])
    expect(cpd.locator("tfoot")).to_contain_text("9,5")
    expect(cpd).to_contain_text("LIPUS-2025-0412")
    screenshot("my-cpd-sv")
    audit.check("my-cpd-sv")

    with page.expect_download() as download_info:
        cpd.get_by_role("link", name="Ladda ner sammanställning av fortbildning (PDF)").click()
    download = download_info.value
    assert re.fullmatch(r"fortbildning-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    download.save_as(tmp_path / download.suggested_filename)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / download.suggested_filename).pages).split())
    code = Transcript.objects.get().display_code
    assert "Fortbildningssammanställning" in text
    assert car_t.title in text and gmp.title in text
    assert code in text

    # Whoever receives the transcript checks the printed code, logged in or not.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sv/intyg/")
    page.get_by_label("Verifieringskod").fill(code.lower())
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_role("status")).to_contain_text("Giltig fortbildningssammanställning")
    expect(page.get_by_role("table")).to_contain_text(car_t.title)
    screenshot("transcript-verified-sv")
    audit.check("transcript-verified-sv")
    audit.assert_clean()
