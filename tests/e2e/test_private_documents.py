"""A course owner uploads a document in the Wagtail admin: it is private from upload, so an anonymous visitor gets
404 both at its download address and at the /media/ address its file would have (the site runs with DEBUG
media serving, as under `make run`). The owner ticks "public" in the document's edit form; now the visitor
downloads it."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.documents import get_document_model

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory
from courses.models import CentreTeam
from tests.e2e.test_course_owner_journey import log_in_to_admin
from tests.make_run import debug_urlconf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

CONTENT = b"Kursprogram: dag 1 GMP, dag 2 cellterapi i praktiken.\n"


def test_an_uploaded_document_stays_private_until_its_owner_makes_it_public(
    live_server, page, browser, settings, tmp_path, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    debug_urlconf(settings)  # /media/ served from MEDIA_ROOT, as under `make run`
    skane = CentreFactory(name="ATMP-centrum Skåne", slug="skane")
    owner = UserFactory(email="kursansvarig@example.se", is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    upload = tmp_path / "kursprogram.txt"
    upload.write_bytes(CONTENT)

    # The owner uploads a document.
    log_in_to_admin(page, live_server, owner)
    page.goto(f"{live_server.url}/admin/documents/add/")
    page.get_by_role("textbox", name=re.compile(r"^Titel")).fill("Kursprogram")
    page.locator("input[type=file]").set_input_files(str(upload))
    public = page.get_by_role("checkbox", name=re.compile(r"^Offentligt", re.IGNORECASE))
    expect(public).not_to_be_checked()  # private from upload
    page.get_by_role("button", name=re.compile("^Ladda upp|^Spara")).click()
    expect(page).to_have_url(re.compile(r"/admin/documents/"))
    document = get_document_model().objects.get(title="Kursprogram")
    assert not document.public

    # An anonymous visitor finds neither the download nor the file under /media/.
    visitor = browser.new_context(locale="sv-SE").new_page()
    assert visitor.goto(f"{live_server.url}{document.url}").status == 404
    assert visitor.goto(f"{live_server.url}/media/{document.file.name}").status == 404

    # The owner makes it public in the document's edit form.
    page.goto(f"{live_server.url}/admin/documents/edit/{document.pk}/")
    public = page.get_by_role("checkbox", name=re.compile(r"^Offentligt", re.IGNORECASE))
    public.check()
    screenshot("owner-document-public")
    page.get_by_role("button", name="Spara").click()
    expect(page).to_have_url(re.compile(r"/admin/documents/"))
    document.refresh_from_db()
    assert document.public

    # Now the visitor downloads it; /media/ still does not have it.
    with visitor.expect_download() as download:
        visitor.evaluate("url => { window.location.href = url; }", f"{live_server.url}{document.url}")
    assert download.value.suggested_filename == "kursprogram.txt"
    assert open(download.value.path(), "rb").read() == CONTENT  # noqa: SIM115
    assert visitor.goto(f"{live_server.url}/media/{document.file.name}").status == 404
