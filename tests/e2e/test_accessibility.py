"""WCAG 2.1 A and AA: axe-core finds no violation on the main pages, in Swedish and in English.

axe-core comes bundled in the axe-playwright-python package (no CDN). Each test visits its pages in both
languages and collects every violation before failing, so one failing run lists everything there is to fix:
page, rule id, impact, what the rule asks for and the CSS selectors of the offending elements.
Each page is also saved as a full-page screenshot at phone (390 px) and desktop (1280 px) width in
tests/e2e/screenshots/a11y-*.png, for a person to look at.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from wagtail.models import Locale

from accounts.factories import DEMO_PASSWORD
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESKTOP = 390, 1280
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
AXE = Axe()
SIGN_UP = {"sv": "Skapa ett konto", "en": "sign up"}


class AccessibilityAudit:
    """Runs axe on each page it is shown and remembers the violations, page by page."""

    def __init__(self, page, screenshot):
        self.page = page
        self.screenshot = screenshot
        self.problems = []

    def check(self, name):
        """axe at phone and desktop width (the layout changes between them); screenshots at both."""
        for label, width in (("phone", PHONE), ("desktop", DESKTOP)):
            self.screenshot(f"a11y-{name}-{label}", width=width)
            violations = AXE.run(self.page, options=AXE_OPTIONS).response["violations"]
            self.problems += [f"{name} ({label}, {self.page.url}): {line}" for line in describe(violations)]

    def assert_clean(self):
        assert not self.problems, "axe found WCAG 2.1 A/AA violations:\n" + "\n".join(self.problems)


def describe(violations):
    """One readable line per element: rule id, impact, what the rule asks, the element's selector and why."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            why = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['id']} [{violation['impact']}] {violation['help']} -> {target} :: {why}")
    return lines


@pytest.fixture
def audit(page, screenshot):
    return AccessibilityAudit(page, screenshot)


def localized(page, language):
    """The course page in `language` (the factories create it in Swedish and translate it)."""
    return page if language == "sv" else page.get_translation(Locale.objects.get(language_code=language)).specific


def test_public_pages_have_no_wcag_a_or_aa_violations(live_server, page, small_catalogue, audit):
    course = small_catalogue["courses"][0]
    occasion = course.occasions.first()
    catalogue = {"sv": "/sv/kurser/", "en": "/en/courses/"}

    for language in ("sv", "en"):
        page.goto(f"{live_server.url}/{language}/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        audit.check(f"home-{language}")

        page.goto(f"{live_server.url}{catalogue[language]}")
        expect(page.locator(".course-card")).to_have_count(3)
        audit.check(f"catalogue-{language}")

        page.goto(f"{live_server.url}{catalogue[language]}?q=GMP&centre=sahlgrenska&audience=nurses&has_seats=on")
        expect(page.locator(".course-card")).to_have_count(1)
        expect(page.locator(".chips")).to_be_visible()
        audit.check(f"catalogue-filtered-{language}")

        page.goto(f"{live_server.url}{catalogue[language]}?q=zebrafisk&centre=stockholm")
        expect(page.locator(".empty-state")).to_be_visible()
        audit.check(f"catalogue-empty-{language}")

        course_url = localized(course, language).url
        page.goto(f"{live_server.url}{course_url}")
        expect(page.locator(".occasion-list__item")).to_have_count(1)
        audit.check(f"course-{language}")

        page.goto(f"{live_server.url}{course_url}occasions/{occasion.pk}/")
        expect(page.locator(".facts--wide")).to_be_visible()
        audit.check(f"occasion-{language}")

        page.goto(f"{live_server.url}/{language}/accounts/login/")
        expect(page.locator("#id_password")).to_be_visible()
        # The link says where it leads (allauth's own Swedish called the sign-up link "logga in").
        expect(page.locator("main a[href*='/accounts/signup/']")).to_have_text(SIGN_UP[language])
        audit.check(f"login-{language}")

        page.goto(f"{live_server.url}/{language}/accounts/signup/")
        expect(page.locator("#id_password2")).to_be_visible()
        audit.check(f"signup-{language}")

        # Certificate verification: the form, and an unknown code's answer.
        verify = {"sv": "/sv/intyg/", "en": "/en/certificate/"}[language]
        page.goto(f"{live_server.url}{verify}")
        audit.check(f"certificate-verify-{language}")
        page.goto(f"{live_server.url}{verify}?code=7KQ2-M9XD-4HTR")
        audit.check(f"certificate-unknown-{language}")

    audit.assert_clean()


def question(label, kind, help_text="", choices=(), required=True):
    return (
        "question",
        {"label": label, "help_text": help_text, "kind": kind, "choices": list(choices), "required": required},
    )


def test_participant_pages_have_no_wcag_a_or_aa_violations(live_server, page, small_catalogue, audit):
    """Log in through the form; the enrolment form (blank, with errors), the enrolment, My courses, the profile."""
    participant = make_participant()
    courses = {"sv": small_catalogue["courses"][0], "en": small_catalogue["courses"][1]}
    for language, course in courses.items():
        asked = localized(course, language)
        asked.enrolment_questions = [
            question("Avdelning / Department", "text", help_text="T.ex. / E.g. hematologi"),
            question("Roll / Role", "choice", choices=["Sjuksköterska / Nurse", "Läkare / Physician"]),
            question("Första kursen? / First course?", "yes_no"),
            question("Övrigt / Anything else", "long_text", required=False),
        ]
        asked.save_revision().publish()

    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", participant.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-nav form[action*='logout'] button")).to_be_visible()

    for language, course in courses.items():
        occasion = course.occasions.first()
        page.goto(f"{live_server.url}{localized(course, language).url}occasions/{occasion.pk}/")
        page.locator("main a.button").first.click()  # Enrol
        expect(page.locator("main form input[type=radio]")).to_have_count(4)
        audit.check(f"enrol-{language}")

        page.locator("main form button[type=submit]").click()
        expect(page.locator(".field--error").first).to_be_visible()
        audit.check(f"enrol-errors-{language}")

        page.fill("main form input[type=text]", "Hematologi")
        page.locator("main form input[type=radio]").nth(0).check()
        page.locator("main form input[type=radio]").nth(2).check()
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/{language}/my-courses/\d+/$"))
        audit.check(f"enrolment-{language}")

        page.goto(f"{live_server.url}/{language}/my-courses/")
        expect(page.locator(".enrolment-list li")).to_have_count(1 if language == "sv" else 2)
        audit.check(f"my-courses-{language}")

        page.goto(f"{live_server.url}/{language}/accounts/profile/")
        expect(page.locator("#id_workplace")).to_have_value("Akademiska sjukhuset")
        audit.check(f"profile-{language}")

    audit.assert_clean()
