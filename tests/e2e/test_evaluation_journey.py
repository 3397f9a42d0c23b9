"""Evaluations in the browser. A participant opens the mailed invitation, follows its button without logging in,
answers with the keyboard-friendly radio buttons and a text box, and cannot answer twice. A course owner logs in,
finds Reports › Evaluations, reads an occasion's results (chart and figures) and downloads the XLSX. axe finds no
WCAG 2.1 A/AA violation in what the feature adds."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, default_evaluation, translate_course
from courses.models import CentreTeam, CoursePage
from enrolment import evaluations
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EvaluationResponse
from tests.e2e.conftest import SCREENSHOTS, log_in_to_admin
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SATISFIED, USEFUL, RECOMMEND, BETTER = (f"5f0b2d1e-0000-4000-8000-00000000000{n}" for n in range(1, 5))


def violations(page, context=None):
    found = Axe().run(page, context=context, options=AXE_OPTIONS).response["violations"]
    return [f"{item['id']}: {node['target']}" for item in found for node in item["nodes"]]


@pytest.fixture
def root_collection(site):
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.fixture
def ended(site, root_collection):
    default_evaluation()
    centre = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    course = create_course(title="CAR-T-cellsbehandling för sjuksköterskor", centres=[centre])
    translate_course(course, "en", title="CAR-T cell therapy for nurses")
    end = timezone.now() - dt.timedelta(hours=3)
    occasion = OccasionFactory(course=course, start=end - dt.timedelta(hours=7), end=end)
    occasion.centre = centre
    return occasion


def html_of(message):
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def test_a_participant_answers_the_evaluation_from_the_mailed_link(live_server, page, site, ended, screenshot):
    host, port = live_server.url.removeprefix("http://").split(":")
    site.site.hostname, site.site.port = host, int(port)
    site.site.save()
    karin = make_participant(email="karin.lind@example.se", first_name="Karin", preferred_language="sv")
    EnrolmentFactory(occasion=ended, user=karin, status=Enrolment.Status.ATTENDED)
    mail.outbox.clear()

    assert evaluations.queue_invitations() == 1

    (invitation,) = [message for message in mail.outbox if message.to == [karin.email]]
    assert invitation.subject == "Vad tyckte du om CAR-T-cellsbehandling för sjuksköterskor?"
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "evaluation-mail-sv.html"
    path.write_text(html_of(invitation), encoding="utf-8")
    page.goto(path.as_uri())
    page.get_by_role("link", name="Svara på utvärderingen").click()

    expect(page).to_have_url(re.compile(rf"^{live_server.url}/sv/utvardering/[0-9a-f]{{64}}/$"))
    expect(page.locator("h1")).to_have_text("Utvärdering: CAR-T-cellsbehandling för sjuksköterskor")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    link = page.url
    screenshot("evaluation-form", width=800, docs=True)
    assert violations(page) == []

    # Sending nothing says what to do and keeps the page.
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.locator(".error-summary")).to_contain_text("Svara på minst en fråga")

    page.get_by_role("group", name=re.compile("Hur nöjd är du med kursen")).get_by_label("5 – Mycket nöjd").check()
    page.get_by_role("group", name=re.compile("rekommendera")).get_by_label("Ja").check()
    page.get_by_label(re.compile("Vad kan vi göra bättre")).fill("Mer tid för praktiska övningar.")
    page.get_by_role("button", name="Skicka mina svar").click()

    expect(page.locator("h1")).to_have_text("Tack för dina svar")
    screenshot("evaluation-thanks", width=800)
    (response,) = EvaluationResponse.objects.all()
    assert response.answers == {SATISFIED: 5, RECOMMEND: 0, BETTER: "Mer tid för praktiska övningar."}

    # The link again: answered once, and said so.
    page.goto(link)
    expect(page.locator("#evaluation-problem")).to_contain_text("Du har redan svarat på den här utvärderingen")
    assert EvaluationResponse.objects.count() == 1


def test_a_course_owner_reads_the_results_and_downloads_them(live_server, page, ended, screenshot, tmp_path):
    people = [
        EnrolmentFactory(occasion=ended, user=make_participant(), status=Enrolment.Status.ATTENDED) for _ in range(5)
    ]
    evaluations.queue_invitations()
    for enrolment, answers in zip(
        people,
        [
            {SATISFIED: 5, USEFUL: 4, RECOMMEND: 0, BETTER: "Fler patientfall."},
            {SATISFIED: 4, USEFUL: 4, RECOMMEND: 0},
            {SATISFIED: 4, USEFUL: 5, RECOMMEND: 1, BETTER: "Skicka materialet i förväg."},
            {SATISFIED: 3, USEFUL: 3, RECOMMEND: 0},
        ],
        strict=False,
    ):
        evaluations.submit(evaluations.token_for(enrolment.pk), answers)
    owner = UserFactory(email="kursansvarig@example.se", is_staff=True)
    centre_team(ended.centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)

    log_in_to_admin(page, live_server, owner)
    # Where the owner builds it: the Swedish page's Evaluation tab shows the network's questions in Swedish.
    page.goto(f"{live_server.url}/admin/pages/{ended.course_id}/edit/")
    page.get_by_role("tab", name="Evaluation").click()
    expect(page.locator("[data-default-evaluation]")).to_contain_text("Hur nöjd är du med kursen som helhet?")
    # ... and adds a 1–5 question of the course's own, then publishes.
    stream = page.locator("input[name='evaluation_questions-count']").locator("xpath=..")
    stream.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Scale 1–5").click()
    page.locator("#evaluation_questions-0-value-question").fill("Hur var lokalen?")
    page.locator("#evaluation_questions-0-value-low_label").fill("Dålig")
    page.locator("#evaluation_questions-0-value-high_label").fill("Utmärkt")
    screenshot("evaluation-tab", width=1280, docs=True)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("published")
    own = CoursePage.objects.get(pk=ended.course_id).evaluation_questions
    assert [(block.block_type, block.value["question"]) for block in own] == [("scale", "Hur var lokalen?")]

    page.goto(f"{live_server.url}/admin/evaluations/")
    screenshot("evaluation-index", width=1280)
    # The admin speaks the browser's language (English here): the course by its English title.
    page.get_by_role("link", name="CAR-T cell therapy for nurses").click()
    expect(page.locator("#evaluation-occasions-table")).to_contain_text("80")
    screenshot("evaluation-course", width=1280)
    page.locator("#evaluation-occasions-table tbody th a").first.click()

    expect(page.locator("#response-rate")).to_have_text("80%")
    expect(page.locator("svg[data-chart='scale']")).to_have_count(3)  # with the one just added, in Swedish
    expect(page.get_by_text("Skicka materialet i förväg.")).to_be_visible()
    screenshot("evaluation-results", width=1280, docs=True)
    assert violations(page, {"include": [["main section.w-panel"]]}) == []

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download as XLSX")).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = load_workbook(saved)
    assert workbook.sheetnames == ["Summary", "Answers", "Free text"]
    assert list(workbook["Summary"].values)[1][2:4] == (5, 4)
