"""Browser tests: pytest-playwright driving Debian's Chromium (never `playwright install`).

Everything here is marked `e2e` (see tests/conftest.py) and skipped when Chromium is missing.
"""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD
from accounts.models import Profession
from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    create_course,
    future_morning,
    translate_course,
    translate_snippet,
)
from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from it without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    }


SCREENSHOTS = Path(__file__).parent / "screenshots"


def log_in_to_admin(page, live_server, user, password=DEMO_PASSWORD):
    """Open the admin and log in where it sends you: the site's own login page (allauth), then back to the admin.
    Staff log in with a verified e-mail address, like everyone else."""
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/(sv|en)/accounts/login/\?next=%2Fadmin%2F$"))
    page.fill("#id_login", user.email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")


DOCS_SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot for review (tests/e2e/screenshots/, not committed); with `docs=True` and
    DOCS_SCREENSHOTS=1 in the environment also for the guides in docs/ (docs/screenshots/, committed), so an ordinary
    run leaves the working tree clean."""

    def take(name, width=None, docs=False, of=None):
        SCREENSHOTS.mkdir(exist_ok=True)
        shown = of or page
        if width:
            shown.set_viewport_size({"width": width, "height": 900})
        shown.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
        if docs and os.environ.get("DOCS_SCREENSHOTS") == "1":
            shown.screenshot(path=DOCS_SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def small_catalogue(site):
    """Three bilingual courses from two centres, each with an upcoming occasion."""
    karolinska = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm", city="Stockholm")
    translate_snippet(karolinska, "en", name="ATMP Centre Region Stockholm")
    sahlgrenska = CentreFactory(name="Sahlgrenska ATMP-centrum", slug="sahlgrenska", city="Göteborg")
    translate_snippet(sahlgrenska, "en", name="Sahlgrenska ATMP Centre")
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=[Profession.NURSE])
    translate_snippet(nurses, "en", name="Nurses")
    courses = []
    for title_sv, title_en, centre, days in [
        ("CAR-T-cellsbehandling för sjuksköterskor", "CAR-T cell therapy for nurses", karolinska, 20),
        ("GMP för sjukhusundantag", "GMP for hospital exemption", sahlgrenska, 30),
        ("Genterapi i praktiken", "Gene therapy in practice", sahlgrenska, 40),
    ]:
        course = create_course(
            site.catalogue["sv"],
            title=title_sv,
            summary=f"Kursen {title_sv.lower()} ger praktisk kunskap för vården.",
            centres=[centre],
            audiences=[nurses],
        )
        OccasionFactory(course=course, start=future_morning(days=days), capacity=12, city=centre.city)
        translate_course(course, "en", title=title_en, summary=f"The course {title_en.lower()} gives practical skills.")
        courses.append(course)
    return {"courses": courses, "centres": [karolinska, sahlgrenska], "audience": nurses}
