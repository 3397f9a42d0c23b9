"""My CPD: every attended course with date, CPD hours, Lipus number and certificate, totals per year, and one PDF
transcript in the person's language whose code the public verification page checks, like a certificate's."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from accounts import privacy
from courses.factories import OccasionFactory, create_course, translate_course
from courses.models import CoursePage
from enrolment.factories import EnrolmentFactory
from enrolment.models import Certificate, Enrolment, Transcript
from tests.conftest import built_once_for_the_module
from tests.enrolment.conftest import make_participant

Status = Enrolment.Status

CAR_T = {"sv": "CAR-T-cellsbehandling på vårdavdelning", "en": "CAR-T cell therapy on the ward"}
GMP = {"sv": "GMP för sjukhusapotek", "en": "GMP for hospital pharmacies"}
VERIFY = {"sv": "/sv/intyg/", "en": "/en/certificate/"}
TRANSCRIPT = {"sv": "/sv/my-courses/cpd/transcript.pdf", "en": "/en/my-courses/cpd/transcript.pdf"}


def stockholm(*args):
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture(scope="module")
def courses(django_db_setup, django_db_blocker):
    """The two bilingual courses, built once for the module (tests/conftest.py): {name: page id}."""
    with built_once_for_the_module(django_db_blocker):
        car_t = create_course(title=CAR_T["sv"], cpd_hours=Decimal("6.5"), lipus_reference="LIPUS-2025-0412")
        translate_course(car_t, "en", title=CAR_T["en"])
        gmp = create_course(title=GMP["sv"], cpd_hours=Decimal("3"))
        translate_course(gmp, "en", title=GMP["en"])
        yield {"car_t": car_t.pk, "gmp": gmp.pk}


@pytest.fixture
def car_t(courses, site):
    return CoursePage.objects.get(pk=courses["car_t"])


@pytest.fixture
def gmp(courses, site):
    return CoursePage.objects.get(pk=courses["gmp"])


@pytest.fixture
def participant(site):
    return make_participant(first_name="Åsa", last_name="Öberg", email="asa.oberg@example.se")


@pytest.fixture
def record(participant, car_t, gmp):
    """Three attended courses over two years, and enrolments that do not count."""
    attended = [
        EnrolmentFactory(
            user=participant,
            occasion=OccasionFactory(course=car_t, start=stockholm(2025, 10, 7, 9), end=stockholm(2025, 10, 7, 16)),
            status=Status.ATTENDED,
        ),
        EnrolmentFactory(
            user=participant,
            occasion=OccasionFactory(course=gmp, start=stockholm(2026, 2, 3, 9), end=stockholm(2026, 2, 3, 12)),
            status=Status.ATTENDED,
        ),
        EnrolmentFactory(
            user=participant,
            occasion=OccasionFactory(course=car_t, start=stockholm(2026, 3, 12, 9), end=stockholm(2026, 3, 12, 16)),
            status=Status.ATTENDED,
        ),
    ]
    for status in (Status.NO_SHOW, Status.CANCELLED):
        EnrolmentFactory(
            user=participant,
            occasion=OccasionFactory(course=gmp, start=stockholm(2026, 4, 1, 9), end=stockholm(2026, 4, 1, 12)),
            status=status,
        )
    return attended


@pytest.fixture
def logged_in(client, participant):
    client.force_login(participant)
    return client


def cpd_section(html):
    return re.search(r'<section aria-labelledby="cpd-heading".*?</section>', html, re.S).group(0)


# --- My CPD -----------------------------------------------------------------------------------------------


def test_my_cpd_lists_every_attended_course_with_date_hours_lipus_and_certificate(logged_in, record):
    section = cpd_section(logged_in.get("/en/my-courses/").content.decode())

    assert "My CPD" in section
    assert section.count(CAR_T["en"]) == 2 * 2  # the course link and the certificate link's hidden label
    assert section.count(GMP["en"]) == 2
    assert "7 Oct 2025" in section
    assert "3 Feb 2026" in section
    assert "LIPUS-2025-0412" in section
    for enrolment in record:
        assert f'href="/en/my-courses/certificate/{enrolment.pk}.pdf"' in section
    # Newest first.
    assert section.index("12 Mar 2026") < section.index("3 Feb 2026") < section.index("7 Oct 2025")


def test_my_cpd_leaves_out_courses_not_attended(logged_in, participant, gmp):
    no_show = EnrolmentFactory(user=participant, occasion=OccasionFactory(course=gmp, past=True), status=Status.NO_SHOW)

    section = cpd_section(logged_in.get("/en/my-courses/").content.decode())

    assert f"certificate/{no_show.pk}.pdf" not in section
    assert "transcript.pdf" not in section
    assert "Courses you attend appear here" in section


def test_my_cpd_totals_hours_per_year(logged_in, record):
    section = cpd_section(logged_in.get("/sv/my-courses/").content.decode())

    years = dict(re.findall(r'<tr><th scope="row">(\d{4})</th><td>\d+</td><td>([\d,]+)</td></tr>', section))
    assert years == {"2026": "9,5", "2025": "6,5"}
    assert re.search(r"<tfoot>.*16</td>", section, re.S)
    assert in_language("sv", "CPD hours per year") in section


def test_my_cpd_reads_in_swedish(logged_in, record):
    section = cpd_section(logged_in.get("/sv/my-courses/").content.decode())

    assert in_language("sv", "My CPD") in section
    assert in_language("sv", "My CPD") != "My CPD"
    assert CAR_T["sv"] in section
    assert "12 mars 2026" in section


# --- The transcript ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_transcript_lists_every_course_and_the_totals_in_the_language_of_the_url(logged_in, record, language):
    response = logged_in.get(TRANSCRIPT[language])

    text = pdf_text(response)
    transcript = Transcript.objects.get()
    other = "en" if language == "sv" else "sv"
    assert in_language(language, "CPD transcript") in text
    assert "Åsa Öberg" in text
    assert CAR_T[language] in text
    assert GMP[language] in text
    assert CAR_T[other] not in text
    assert "LIPUS-2025-0412" in text
    assert ("9,5" if language == "sv" else "9.5") in text  # 2026
    assert "16" in text  # the total
    assert transcript.display_code in text
    assert f"http://testserver{VERIFY[language]}?code={transcript.display_code}" in text
    for certificate in Certificate.objects.all():
        assert certificate.display_code in text


def test_the_transcript_is_a_private_attachment(logged_in, record):
    response = logged_in.get(TRANSCRIPT["en"])

    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert re.match(r'attachment; filename="cpd-transcript-\d{4}-\d\d-\d\d\.pdf"', response["Content-Disposition"])


def test_my_cpd_links_the_transcript(logged_in, record):
    section = cpd_section(logged_in.get("/sv/my-courses/").content.decode())

    assert f'href="{TRANSCRIPT["sv"]}"' in section


def test_downloading_again_with_nothing_new_gives_the_same_code(logged_in, record, participant, gmp):
    logged_in.get(TRANSCRIPT["sv"])
    logged_in.get(TRANSCRIPT["en"])
    assert Transcript.objects.count() == 1

    EnrolmentFactory(user=participant, occasion=OccasionFactory(course=gmp, past=True), status=Status.ATTENDED)
    logged_in.get(TRANSCRIPT["sv"])

    assert Transcript.objects.count() == 2
    assert len(Transcript.objects.order_by("-pk").first().entries) == 4


def test_someone_with_no_attended_course_is_told_so(logged_in, participant):
    response = logged_in.get(TRANSCRIPT["en"], follow=True)

    assert response.redirect_chain[-1][0].startswith("/en/my-courses/")
    assert "there are none yet" in response.content.decode()
    assert not Transcript.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, record):
    response = client.get(TRANSCRIPT["sv"])

    assert response.status_code == 302
    assert response["Location"].startswith("/sv/accounts/login/")


def test_each_person_gets_only_their_own_courses(client, record, gmp):
    other = make_participant(email="someone.else@example.se", first_name="Per", last_name="Persson")
    EnrolmentFactory(user=other, occasion=OccasionFactory(course=gmp, past=True), status=Status.ATTENDED)
    client.force_login(other)

    text = pdf_text(client.get(TRANSCRIPT["en"]))

    assert GMP["en"] in text
    assert CAR_T["en"] not in text
    assert "Åsa" not in text


# --- Verification ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_verification_page_checks_a_transcript_code(logged_in, client, record, language):
    logged_in.get(TRANSCRIPT["sv"])
    code = Transcript.objects.get().display_code
    client.logout()

    response = client.get(VERIFY[language], {"code": code.lower().replace("-", " ")})

    html = response.content.decode()
    assert response.status_code == 200
    assert in_language(language, "Valid CPD transcript") in html
    assert "Åsa Öberg" in html
    assert CAR_T[language] in html
    assert GMP[language] in html
    assert ("16" if language == "en" else "16") in html


def test_a_transcript_is_withdrawn_when_attendance_it_lists_is_corrected(logged_in, client, record):
    logged_in.get(TRANSCRIPT["en"])
    code = Transcript.objects.get().display_code
    Enrolment.objects.filter(pk=record[1].pk).update(status=Status.NO_SHOW)

    response = client.get(VERIFY["en"], {"code": code})

    assert response.status_code == 410
    assert "Transcript withdrawn" in response.content.decode()


def test_certificate_codes_still_verify_as_certificates(logged_in, client, record):
    logged_in.get(TRANSCRIPT["en"])
    certificate = Certificate.objects.get(enrolment=record[0])

    html = client.get(VERIFY["en"], {"code": certificate.display_code}).content.decode()

    assert "Valid certificate" in html
    assert "Valid CPD transcript" not in html


# --- Personal data --------------------------------------------------------------------------------------


def test_the_data_export_holds_the_transcripts(logged_in, record):
    logged_in.get(TRANSCRIPT["en"])

    data = json.loads(logged_in.get("/en/accounts/privacy/export/").content)

    (transcript,) = data["cpd_transcripts"]
    assert transcript["code"] == Transcript.objects.get().display_code
    assert len(transcript["courses"]) == 3


def test_erasure_removes_the_name_and_the_transcript_keeps_verifying(logged_in, client, participant, record):
    logged_in.get(TRANSCRIPT["en"])
    code = Transcript.objects.get().display_code

    privacy.erase_person(participant, reason="request")

    assert Transcript.objects.get().participant_name == ""
    html = client.get(VERIFY["en"], {"code": code}).content.decode()
    assert "Åsa" not in html
    assert "The name has been removed" in html
    assert CAR_T["en"] in html


def test_my_cpd_takes_as_many_queries_for_twenty_courses_as_for_two(client, participant, gmp):
    def attend(count):
        for _index in range(count):
            EnrolmentFactory(user=participant, occasion=OccasionFactory(course=gmp, past=True), status=Status.ATTENDED)

    client.force_login(participant)
    attend(2)
    client.get("/sv/my-courses/")  # the first request of a session does its own one-off work
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sv/my-courses/").status_code == 200
    attend(18)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/sv/my-courses/").content.decode()

    assert cpd_section(html).count("/sv/my-courses/certificate/") == 20
    assert len(many) == len(few)
