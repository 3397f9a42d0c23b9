"""Skåne's course owner, in the Swedish admin, lands on Skåne's courses, creates a course with two questions, approval
and eligibility, publishes it and translates it: the English page stays a draft, out of /en/courses/, until the
owner publishes it. A nurse enrols, answers the questions and waits; the owner approves from the participant list,
opens the participant (answers, local times) and exports the list; the nurse gets the confirmation."""

import csv
import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.centres import centre_team
from courses.factories import AudienceFactory, CentreFactory, future_morning, translate_snippet
from courses.models import CentreTeam, CoursePage
from enrolment.models import Enrolment
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.test_course_owner_journey import field, fill_date_time, translate_segment
from tests.enrolment.conftest import make_participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

TITLE_SV = "Aferes inför CAR-T-tillverkning"
TITLE_EN = "Apheresis before CAR-T manufacturing"
# The Swedish texts the owner types, and what they write in the translation editor.
ENGLISH = {
    TITLE_SV: TITLE_EN,
    "Kursen visar hur aferesen planeras och genomförs.": "The course shows how apheresis is planned and done.",
    "Vilken avdelning arbetar du på?": "Which ward do you work on?",
    "Har du deltagit i en aferes tidigare?": "Have you taken part in an apheresis before?",
    "Ja, flera gånger": "Yes, several times",
    "Nej, aldrig": "No, never",
}


def add_question(page, index, label, kind, choices=()):
    """Add one question on the Enrolment tab: the stream's "+" adds its only block type straight away; each choice
    is another "+" in the question's list of choices."""
    stream = page.locator("input[name='enrolment_questions-count']").locator("xpath=..")
    stream.locator("button.c-sf-add-button:not([data-streamfield-list-add])").last.click()
    page.locator(f"#enrolment_questions-{index}-value-label").fill(label)
    page.locator(f"#enrolment_questions-{index}-value-kind").select_option(kind)
    choices_list = page.locator(f"input[name='enrolment_questions-{index}-value-choices-count']").locator("xpath=..")
    for number, choice in enumerate(choices):
        choices_list.locator("button[data-streamfield-list-add]").last.click()
        page.locator(f"#enrolment_questions-{index}-value-choices-{number}-value").fill(choice)


def translate_every_segment(page):
    """In wagtail-localize's editor, translate each untranslated text on the current tab, from ENGLISH."""
    buttons = page.get_by_role("button", name="Översätt", exact=True).filter(visible=True)
    while buttons.count():
        source = swedish_text_around(buttons.first)
        # The innermost list item showing the Swedish text: found by its text, which stays while it is translated.
        segment = page.get_by_role("listitem").filter(has_text=source).last
        segment.get_by_role("button", name="Översätt", exact=True).click()
        segment.get_by_role("textbox").fill(ENGLISH[source])
        segment.get_by_role("button", name="Spara").click()
        expect(segment).to_contain_text("Manuellt översatt")


def swedish_text_around(button):
    """The Swedish text of the segment a button belongs to (its closest list item showing one)."""
    ancestors = button.locator("xpath=ancestor::li")
    for index in reversed(range(ancestors.count())):
        text = ancestors.nth(index).inner_text()
        source = next((swedish for swedish in ENGLISH if swedish in text), None)
        if source:
            return source
    raise AssertionError(f"no Swedish text around {button}")


def english_catalogue_text(page, live_server):
    page.goto(f"{live_server.url}/en/courses/")
    return page.get_by_role("main").inner_text()


def test_a_course_owner_runs_a_course_with_rules_from_publishing_to_confirmation(
    live_server, page, browser, screenshot, tmp_path
):
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane", city="Lund")
    translate_snippet(skane, "en", name="Skåne University Hospital")
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=["nurse"])
    translate_snippet(nurses, "en", name="Nurses")
    AudienceFactory(name="Läkare", slug="physicians")
    owner = UserFactory(email="kursansvarig.skane@example.se", first_name="Sara", is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    nurse = make_participant(profession="nurse", first_name="Nora", last_name="Nilsson", email="nora@example.se")
    start = timezone.localtime(future_morning(days=45))
    end = start + dt.timedelta(hours=6)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, owner)

    # The owner lands on Skåne's courses: Pages opens there, with no "Root" above it.
    page.goto(f"{live_server.url}/admin/pages/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(skane.name)
    expect(page.get_by_role("navigation", name="Sökvägsnavigering")).not_to_contain_text("Root")

    # A new course: content, one occasion, then the rules on the Enrolment tab.
    page.get_by_role("link", name="Lägg till undersida", exact=True).click()
    field(page, "Titel").fill(TITLE_SV)
    field(page, "Sammanfattning").fill("Kursen visar hur aferesen planeras och genomförs.")
    page.get_by_role("checkbox", name=skane.name, exact=True).check()
    page.get_by_role("button", name="Lägg till kurstillfälle").click()
    fill_date_time(page, "Börjar", f"{start:%Y-%m-%d %H:%M}")
    fill_date_time(page, "Slutar", f"{end:%Y-%m-%d %H:%M}")
    field(page, "Platser", role="spinbutton").fill("12")
    field(page, "Ort").fill("Lund")
    page.get_by_role("tab", name="Anmälan").click()
    page.get_by_role("checkbox", name=re.compile("^Anmälningar måste godkännas")).check()
    page.get_by_role("checkbox", name="Sjuksköterskor", exact=True).check()
    add_question(page, 0, "Vilken avdelning arbetar du på?", "text")
    add_question(page, 1, "Har du deltagit i en aferes tidigare?", "choice", ["Ja, flera gånger", "Nej, aldrig"])
    screenshot("owner-enrolment-tab", docs=True)
    page.get_by_role("button", name="Fler åtgärder").click()
    page.get_by_role("button", name="Publicera").click()
    row = page.get_by_role("row").filter(has_text=TITLE_SV)
    expect(row).to_contain_text("Publicerad", ignore_case=True)
    course = CoursePage.objects.get(title=TITLE_SV)
    assert course.requires_approval
    assert [profession.slug for profession in course.eligible_professions.all()] == ["nurses"]
    assert [question.value["label"] for question in course.enrolment_questions] == [
        "Vilken avdelning arbetar du på?",
        "Har du deltagit i en aferes tidigare?",
    ]

    # Translate: English is ticked already; the English page is a draft, absent from /en/courses/.
    row.get_by_role("link", name=TITLE_SV).click()
    expect(page.locator("[data-translation-status]")).to_contain_text("i menyn ”Handlingar”")
    page.get_by_role("button", name="Handlingar").click()
    page.get_by_role("link", name="Översätt den här sidan").click()
    expect(page.get_by_role("checkbox", name="English")).to_be_checked()
    page.get_by_role("button", name="Skicka").click()
    english = CoursePage.objects.get(translation_key=course.translation_key, locale__language_code="en")
    assert not english.live
    translate_segment(page, "Titel", TITLE_EN)
    translate_segment(page, "Sammanfattning", ENGLISH["Kursen visar hur aferesen planeras och genomförs."])
    page.get_by_role("tab", name="Anmälan").click()
    translate_every_segment(page)
    screenshot("owner-translation-questions", docs=True)
    editor = page.url
    assert TITLE_EN not in english_catalogue_text(page, live_server)
    assert TITLE_SV not in english_catalogue_text(page, live_server)
    page.goto(editor)

    page.get_by_role("button", name=re.compile(r"^Publicera på\s*English")).click()
    expect(page.get_by_role("status")).to_contain_text(f"Publicerade '{TITLE_EN}' på English.")
    expect(page.get_by_role("status")).not_to_contain_text("saknade")
    assert TITLE_EN in english_catalogue_text(page, live_server)
    screenshot("owner-catalogue-en-published", docs=True)

    # A nurse enrols in Swedish: the course's questions, answered; then the wait for approval.
    clinician = browser.new_context(locale="sv-SE").new_page()
    clinician.goto(f"{live_server.url}/sv/accounts/login/")
    clinician.fill("#id_login", nurse.email)
    clinician.fill("#id_password", DEMO_PASSWORD)
    clinician.locator("main form button[type=submit]").click()
    occasion = course.occasions.get()
    clinician.goto(f"{live_server.url}{course.url}occasions/{occasion.pk}/enrol/")
    clinician.get_by_label("Vilken avdelning arbetar du på?").fill("Hematologen, Lund")
    clinician.get_by_label("Nej, aldrig").check()
    screenshot("clinician-enrolment-questions", docs=True, of=clinician)
    clinician.locator("main form button[type=submit]").click()
    expect(clinician.locator(".status-panel__status")).to_have_text("Väntar på godkännande")
    enrolment = Enrolment.objects.get(user=nurse)
    assert enrolment.status == Enrolment.Status.PENDING
    mail.outbox.clear()

    # The owner approves from the participant list.
    page.goto(f"{live_server.url}{reverse('enrolments:index')}")
    person = page.get_by_role("row").filter(has_text=nurse.email)
    expect(person).to_contain_text("Väntar på godkännande")
    screenshot("owner-participants-pending", docs=True)
    person.get_by_role("button", name=re.compile("^Fler alternativ")).click()
    person.get_by_role("link", name="Godkänn anmälan").click()
    page.get_by_role("button", name="Godkänn anmälan").click()
    expect(page.get_by_role("status")).to_contain_text("Godkänn anmälan")
    expect(page.get_by_role("row").filter(has_text=nurse.email)).to_contain_text("Bekräftad")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED

    # The participant: the answers, and times in Stockholm's time.
    page.goto(f"{live_server.url}{reverse('enrolments:inspect', args=[enrolment.pk])}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Hematologen, Lund")
    expect(main).to_contain_text("Nej, aldrig")
    local = timezone.localtime(enrolment.created_at)
    expect(main).to_contain_text(re.compile(rf"{local:%H}[:.]{local:%M}"))
    screenshot("owner-participant", docs=True)

    # The export (the labelled button beside the title): the confirmed nurse, with the answers.
    page.goto(f"{live_server.url}{reverse('enrolments:index')}")
    page.get_by_role("link", name="Exportera").click()
    page.get_by_role("radio", name=re.compile("CSV")).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ned").click()
    path = tmp_path / "participants.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert [(row["E-post"], row["Status"]) for row in rows] == [(nurse.email, "Bekräftad")]
    assert "Hematologen, Lund" in rows[0]["Svar"]

    # The nurse's confirmation, in Swedish.
    assert [message.to for message in mail.outbox] == [[nurse.email]]
    assert mail.outbox[0].subject.startswith("Anmälan bekräftad")
    clinician.reload()
    expect(clinician.locator(".status-panel__status")).to_have_text("Bekräftad")
