"""Every absolute link the site hands out names where the site answers: the Wagtail Site (or the request).

The Site is moved to https://kurser.example.se while BASE_URL still says 127.0.0.1:8000 and requests come to
"testserver": every kind of e-mail, the certificate PDF (its text and its QR code, decoded as a phone reads
it), the JSON-LD, the API and the calendar files then name kurser.example.se and no other host.
"""

import datetime as dt
import json
import re
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.test import override_settings
from django.utils import timezone

from courses.factories import OccasionFactory, create_course, translate_course
from courses.models import CoursePage, Occasion
from enrolment import certificates, notifications
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EnrolmentEvent, ManagerApproval, OutboxMessage
from tests.conftest import built_once_for_the_module
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db

PUBLIC = "kurser.example.se"
# Hosts a page may name besides its own: the vocabulary JSON-LD is written in.
VOCABULARIES = {"schema.org"}
URL = re.compile(r"(?:https?|webcal)://([^/\s\"'<>:)]+)")


def hosts(text):
    return set(URL.findall(text)) - VOCABULARIES


@pytest.fixture
def public_site(site):
    """The default Site says the site answers at https://kurser.example.se (port 443)."""
    site.site.hostname, site.site.port = PUBLIC, 443
    site.site.save()
    # BASE_URL still names the development address: nothing may fall back to it.
    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000"):
        yield site.site


@pytest.fixture(scope="module")
def course_id(django_db_setup, django_db_blocker):
    """The bilingual course, built once for the module (tests/conftest.py); nothing in it names a host."""
    with built_once_for_the_module(django_db_blocker):
        course = create_course(title="Kurs om länkar", summary="Om adresser.", cpd_hours=Decimal("6.5"))
        translate_course(course, "en", title="Course about links", summary="About addresses.")
        yield course.pk


@pytest.fixture
def course(course_id, public_site):
    return CoursePage.objects.get(pk=course_id)


@pytest.fixture
def enrolment(course):
    person = make_participant(first_name="Anna", email="anna@example.se")
    return EnrolmentFactory(user=person, occasion=OccasionFactory(course=course), status=Enrolment.Status.CONFIRMED)


def _message(kind, enrolment, language):
    if kind.startswith(("manager_", "awaiting_manager")):
        # The line manager's messages and the person's about them read the approval.
        ManagerApproval.objects.get_or_create(
            enrolment=enrolment,
            defaults={
                "manager_name": "Maria Chef",
                "manager_email": "chef@example.se",
                "nonce": "n",
                "requested_at": timezone.now(),
                "deadline": timezone.now() + dt.timedelta(days=3),
            },
        )
    event = EnrolmentEvent.objects.create(
        enrolment=enrolment, occasion=enrolment.occasion, kind=EnrolmentEvent.Kind.CONFIRMED
    )
    return OutboxMessage.objects.create(
        key=f"test:{kind}:{language}",
        kind=kind,
        user=enrolment.user,
        email=enrolment.user.email,
        language=language,
        occasion=enrolment.occasion,
        enrolment=enrolment,
        event=event,
        data={"events": [event.pk], "subject": "Hej", "body": "Välkomna", "days": 1},
    )


def _all_text(email):
    parts = [email.subject, email.body, *(content for content, _type in email.alternatives)]
    parts += [
        attachment[1].decode() if isinstance(attachment[1], bytes) else str(attachment[1])
        for attachment in email.attachments
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", OutboxMessage.Kind.values)
def test_every_kind_of_email_links_to_the_public_site(enrolment, kind, language):
    email = notifications.build_email(_message(kind, enrolment, language))

    text = _all_text(email)
    assert f"https://{PUBLIC}/" in text
    assert hosts(text) == {PUBLIC}, kind


def test_the_certificate_and_its_qr_code_name_the_public_site(enrolment):
    # A certificate is issued only once the occasion has started.
    Occasion.objects.filter(pk=enrolment.occasion_id).update(
        start=timezone.now() - dt.timedelta(days=2), end=timezone.now() - dt.timedelta(days=2, hours=-6)
    )
    enrolment.refresh_from_db()
    enrolment.status = Enrolment.Status.ATTENDED
    enrolment.save()
    certificate = certificates.issue_certificate(enrolment)

    for language, path in (("sv", "/sv/intyg/"), ("en", "/en/certificate/")):
        pdf = certificates.render_certificate_pdf(certificate, language)
        document = pypdfium2.PdfDocument(pdf)
        page = document[0]
        text = " ".join(page.get_textpage().get_text_range().split())
        # A phone reads the QR code from the printed page: draw the page and decode it the same way.
        (code,) = zxingcpp.read_barcodes(page.render(scale=2).to_pil())
        expected = f"https://{PUBLIC}{path}?code={certificate.display_code}"
        assert code.text == expected
        assert expected in text.replace(" ", "") or expected in text
        assert hosts(text) == {PUBLIC}
        document.close()


def test_the_course_page_json_ld_names_the_public_site(client, course, enrolment):
    response = client.get(course.url)

    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    data = json.loads(script)
    assert data["url"] == f"https://{PUBLIC}{course.url}"
    assert hosts(script) == {PUBLIC}


def test_the_api_names_the_public_site(client, course, enrolment):
    response = client.get(
        "/api/v2/pages/", {"type": "courses.CoursePage", "locale": "sv", "fields": "upcoming_occasions_api"}
    )

    (item,) = response.json()["items"]
    assert item["meta"]["html_url"].startswith(f"https://{PUBLIC}/")
    assert item["meta"]["detail_url"].startswith(f"https://{PUBLIC}/api/v2/pages/")
    assert item["upcoming_occasions_api"][0]["url"].startswith(f"https://{PUBLIC}/")
    assert hosts(response.content.decode()) == {PUBLIC}


def test_calendar_files_name_the_public_site(client, course, enrolment):
    occasion = enrolment.occasion
    for url in (
        course.occasion_ics_url(occasion),
        "/sv/kurser/feed.ics",
        f"/calendar/{enrolment.user.calendar_token}.ics",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert hosts(response.content.decode()) == {PUBLIC}, url


def test_make_run_points_the_site_at_base_url(site):
    from catalogue.setup import follow_base_url

    with override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8202"):
        follow_base_url(site.site)

    site.site.refresh_from_db()
    assert (site.site.hostname, site.site.port, site.site.root_url) == ("127.0.0.1", 8202, "http://127.0.0.1:8202")


def test_an_email_without_a_site_yet_falls_back_to_base_url(db):
    from wagtail.models import Site

    from accounts.site import absolute_url

    Site.objects.all().delete()
    with override_settings(WAGTAILADMIN_BASE_URL="https://kurser.example.se/"):
        assert absolute_url("/sv/") == "https://kurser.example.se/sv/"
