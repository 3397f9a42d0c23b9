"""The materials library in the browser: a course owner publishes a participants-only recording and a public guide in
their centre's part of the library; a clinician finds the guide through the facets and downloads it, and is refused
the recording, told why; a participant of the course gets the recording."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.centres import centre_collection, centre_material_page, centre_team
from courses.factories import AudienceFactory, CentreFactory, OccasionFactory, TopicFactory, create_course
from courses.library import MaterialAccess, MaterialPage
from courses.models import CentreTeam
from enrolment.factories import EnrolmentFactory
from tests.e2e.conftest import log_in_to_admin
from tests.enrolment.conftest import make_participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

GUIDE = b"%PDF-1.4 Omvardnadsguide efter CAR-T\n"
RECORDING = b"inspelad forelasning om aferes\n"
COURSE = "Aferes inför CAR-T-tillverkning"


def publish_material(page, live_server, parent, title, document, kind, access="everyone", course=None):
    page.goto(f"{live_server.url}/admin/pages/add/courses/materialpage/{parent.pk}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(f"{title} för vårdens personal.")
    page.locator("#id_kind").select_option(kind)
    page.get_by_role("button", name=re.compile(r"Välj (ett )?dokument", re.IGNORECASE)).click()
    page.get_by_role("dialog").get_by_role("link", name=document.title).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.locator("#id_access").select_option(access)
    if course is not None:
        page.locator("#id_courses").select_option(str(course.pk))
    page.get_by_role("button", name="Fler åtgärder").click()
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("Publicerad", ignore_case=True)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_an_owner_publishes_materials_that_open_for_whom_they_are_meant(
    live_server, page, browser, settings, tmp_path, screenshot
):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    skane = CentreFactory(name="ATMP-centrum Skåne", slug="skane")
    TopicFactory(name="Omvårdnad", slug="nursing-care")
    AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=["nurse"])
    course = create_course(title=COURSE, centres=[skane])
    occasion = OccasionFactory(course=course)
    owner = UserFactory(email="kursansvarig@example.se", is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    Document = get_document_model()
    collection = centre_collection(skane)
    guide_file = Document.objects.create(
        title="Omvårdnadsguide", collection=collection, file=ContentFile(GUIDE, name="omvardnadsguide.pdf")
    )
    recording_file = Document.objects.create(
        title="Föreläsning aferes", collection=collection, file=ContentFile(RECORDING, name="aferes.mp4")
    )
    clinician = make_participant(profession="nurse", email="klinisk@example.se")
    participant = make_participant(profession="nurse", email="deltagare@example.se")
    EnrolmentFactory(occasion=occasion, user=participant)

    # The owner publishes both in their centre's part of the library.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, owner)
    parent = centre_material_page(skane)
    publish_material(
        page, live_server, parent, "Inspelning: aferes", recording_file, "recorded_lecture", "participants", course
    )
    publish_material(page, live_server, parent, "Omvårdnadsguide efter CAR-T", guide_file, "guide")
    screenshot("owner-materials")
    recording = MaterialPage.objects.get(title="Inspelning: aferes")
    assert recording.access == MaterialAccess.PARTICIPANTS and recording.centre == skane

    # A clinician finds the guide through the facets and downloads it.
    visitor = browser.new_context(locale="sv-SE").new_page()
    log_in(visitor, live_server, clinician)
    visitor.goto(f"{live_server.url}/sv/utbildningsmaterial/")
    visitor.locator("summary").filter(has_text=re.compile(r"^Typ")).click()
    visitor.get_by_role("checkbox", name=re.compile(r"^Guide")).check()
    results = visitor.locator("[data-live-results]")
    expect(results).to_contain_text("1 material")
    guide_card = visitor.get_by_role("article").filter(has_text="Omvårdnadsguide efter CAR-T")
    with visitor.expect_download() as download:
        guide_card.get_by_role("link", name=re.compile("^Ladda ned")).click()
    assert open(download.value.path(), "rb").read() == GUIDE  # noqa: SIM115

    # The same clinician takes no part in the course: the recording says why, and its file is refused.
    visitor.goto(f"{live_server.url}{recording.url}")
    expect(visitor.get_by_role("main")).to_contain_text(f"Det här materialet är för deltagarna i {COURSE}.")
    expect(visitor.get_by_role("link", name=re.compile("^Ladda ned"))).to_have_count(0)
    expect(visitor.get_by_role("link", name=re.compile(COURSE))).to_be_visible()
    assert visitor.goto(f"{live_server.url}{recording_file.url}").status == 403

    # A participant of the course gets it.
    member = browser.new_context(locale="sv-SE").new_page()
    log_in(member, live_server, participant)
    member.goto(f"{live_server.url}{recording.url}")
    with member.expect_download() as download:
        member.get_by_role("link", name=re.compile("^Ladda ned")).click()
    assert open(download.value.path(), "rb").read() == RECORDING  # noqa: SIM115
