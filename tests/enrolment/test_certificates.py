"""Certificates of attendance: the PDF from My courses in the participant's language, only for the person and
only once attendance is recorded, and the public page that verifies a code, also after retention."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from accounts import privacy
from courses.factories import CentreFactory, OccasionFactory, create_course, translate_course, translate_snippet
from enrolment import certificates
from enrolment.factories import EnrolmentFactory
from enrolment.models import Certificate, Enrolment
from enrolment.services import EnrolmentError
from tests.enrolment.conftest import make_participant

Status = Enrolment.Status

TITLE = {"sv": "Cellterapi på vårdavdelning – säker överföring", "en": "Cell therapy on the ward – safe transfer"}
CENTRE = {"sv": "ATMP-centrum Västra Götaland", "en": "ATMP Centre Western Sweden"}
PERIOD = {"sv": "12 mars 2026 kl. 09.00–16.00", "en": "12 Mar 2026, 09:00–16:00"}
HOURS = {"sv": "6,5", "en": "6.5"}
VERIFY = {"sv": "/sv/intyg/", "en": "/en/certificate/"}
NAME = "Åsa Öberg"


def stockholm(*args):
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def course(site):
    centre = CentreFactory(name=CENTRE["sv"], slug="vastra-gotaland", city="Göteborg")
    translate_snippet(centre, "en", name=CENTRE["en"])
    course = create_course(title=TITLE["sv"], centres=[centre], cpd_hours=Decimal("6.5"))
    translate_course(course, "en", title=TITLE["en"])
    return course


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, start=stockholm(2026, 3, 12, 9), end=stockholm(2026, 3, 12, 16))


@pytest.fixture
def participant(site):
    return make_participant(first_name="Åsa", last_name="Öberg", email="asa.oberg@example.se")


@pytest.fixture
def attended(participant, occasion):
    return EnrolmentFactory(user=participant, occasion=occasion, status=Status.ATTENDED)


@pytest.fixture
def logged_in(client, participant):
    client.force_login(participant)
    return client


@pytest.fixture
def certificate(attended):
    return certificates.issue_certificate(attended)


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1
    # Lines break wherever the layout wraps them: compare words, not lines.
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def verify(client, code, language="sv"):
    return client.get(VERIFY[language], {"code": code})


def is_private(response):
    return {"private", "no-store"} <= {part.strip() for part in response.get("Cache-Control", "").split(",")}


# --- The PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_certificate_reads_in_the_language_of_the_url(logged_in, attended, language):
    response = logged_in.get(f"/{language}/my-courses/certificate/{attended.pk}.pdf")

    text = pdf_text(response)
    code = Certificate.objects.get(enrolment=attended).display_code
    assert TITLE[language] in text
    assert TITLE["en" if language == "sv" else "sv"] not in text
    assert NAME in text
    assert PERIOD[language] in text
    assert HOURS[language] in text
    assert CENTRE[language] in text
    assert code in text
    assert f"http://testserver{VERIFY[language]}?code={code}" in text
    assert in_language(language, "Certificate of attendance") in text
    assert in_language(language, "Sweden’s ATMP-centres") in text


def test_swedish_letters_come_out_of_the_pdf_intact(logged_in, attended):
    text = pdf_text(logged_in.get(f"/sv/my-courses/certificate/{attended.pk}.pdf"))

    assert "på vårdavdelning – säker överföring" in text
    assert "Åsa Öberg" in text
    assert "Västra Götaland" in text


@pytest.mark.parametrize(
    ("language", "file_name"),
    [
        ("sv", "cellterapi-pa-vardavdelning-saker-overforing-2026-03-12.pdf"),
        ("en", "cell-therapy-on-the-ward-safe-transfer-2026-03-12.pdf"),
    ],
)
def test_the_download_is_a_private_attachment_named_after_the_course_and_date(logged_in, attended, language, file_name):
    response = logged_in.get(f"/{language}/my-courses/certificate/{attended.pk}.pdf")

    assert response.status_code == 200
    assert is_private(response)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.endswith(f'-{file_name}"')


def test_the_certificate_is_issued_once_however_often_it_is_downloaded(logged_in, attended):
    first = pdf_text(logged_in.get(f"/sv/my-courses/certificate/{attended.pk}.pdf"))
    second = pdf_text(logged_in.get(f"/en/my-courses/certificate/{attended.pk}.pdf"))

    certificate = Certificate.objects.get()
    assert certificate.display_code in first
    assert certificate.display_code in second
    assert ModelLogEntry.objects.filter(action="enrolment.issue_certificate", object_id=str(attended.pk)).count() == 1


def test_someone_else_cannot_download_the_certificate(client, attended):
    client.force_login(make_participant(email="someone.else@example.se"))

    response = client.get(f"/sv/my-courses/certificate/{attended.pk}.pdf")

    assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, attended):
    response = client.get(f"/sv/my-courses/certificate/{attended.pk}.pdf")

    assert response.status_code == 302
    assert response["Location"].startswith("/sv/accounts/login/")


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.NO_SHOW, Status.CANCELLED])
def test_there_is_no_certificate_before_attendance_is_recorded(logged_in, participant, occasion, status):
    enrolment = EnrolmentFactory(user=participant, occasion=occasion, status=status)

    assert logged_in.get(f"/sv/my-courses/certificate/{enrolment.pk}.pdf").status_code == 404
    with pytest.raises(EnrolmentError) as error:
        certificates.issue_certificate(enrolment)
    assert error.value.code == "not_attended"
    assert not Certificate.objects.exists()


def test_my_courses_offers_the_certificate_for_attended_courses_only(logged_in, participant, attended, course):
    confirmed = EnrolmentFactory(
        user=participant, occasion=OccasionFactory(course=course, past=True), status=Status.CONFIRMED
    )

    html = logged_in.get("/en/my-courses/").content.decode()

    assert f'href="/en/my-courses/certificate/{attended.pk}.pdf"' in html
    assert f"certificate/{confirmed.pk}.pdf" not in html
    link = re.search(rf'<a href="/en/my-courses/certificate/{attended.pk}.pdf"[^>]*>(.*?)</a>', html).group(1)
    assert "Download certificate (PDF)" in link
    assert TITLE["en"] in link  # the link says which course, for screen readers going through the links


def test_the_enrolment_page_offers_the_certificate(logged_in, attended):
    html = logged_in.get(f"/sv/my-courses/{attended.pk}/").content.decode()

    assert f'href="/sv/my-courses/certificate/{attended.pk}.pdf"' in html


# --- Codes --------------------------------------------------------------------------------------------


def test_codes_are_twelve_unambiguous_characters_in_groups_of_four(certificate):
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", certificate.code)
    assert re.fullmatch(r"\w{4}-\w{4}-\w{4}", certificate.display_code)


def test_codes_are_read_the_way_people_type_them():
    assert certificates.normalise_code(" 7kq2 m9xd-4htr ") == "7KQ2M9XD4HTR"
    assert certificates.normalise_code("O1LI-0000-0000") == "0111" + "0" * 8


# --- Verification -------------------------------------------------------------------------------------


def test_the_verification_page_asks_for_the_code_with_a_labelled_field(client, site):
    response = client.get("/sv/intyg/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert '<label for="id_code">' in html
    assert 'id="id_code"' in html
    assert 'aria-describedby="id_code_helptext"' in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_valid_code_shows_what_the_certificate_certifies(client, certificate, language):
    response = verify(client, certificate.display_code, language)

    html = response.content.decode()
    assert response.status_code == 200
    assert is_private(response)
    assert TITLE[language] in html
    assert PERIOD[language] in html
    assert CENTRE[language] in html
    assert HOURS[language] in html
    assert NAME in html
    assert certificates.formatting.format_date(certificate.issued_at, language) in html
    assert in_language(language, "Valid certificate") in html


def test_a_code_in_lower_case_without_dashes_verifies(client, certificate):
    response = verify(client, certificate.code.lower())

    assert response.status_code == 200
    assert TITLE["sv"] in response.content.decode()


def test_an_unknown_code_says_so_with_status_404(client, certificate):
    unknown = "0000-0000-0000" if certificate.code != "0" * 12 else "1111-1111-1111"

    response = verify(client, unknown, "en")

    html = response.content.decode()
    assert response.status_code == 404
    assert "No certificate has this code." in html
    assert TITLE["en"] not in html


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("hello", "That is not a certificate code"),
        ("7KQ2-M9XD-4HTU", "That is not a certificate code"),  # U is not in the alphabet
        ("7KQ2-M9XD-4HT", "That is not a certificate code"),
        ("7KQ2-M9XD-4HTR-" * 40, "That is too long for a certificate code"),
        ("", "This field is required."),
    ],
)
def test_malformed_or_overlong_input_gets_a_clear_message_not_an_error(client, site, code, message):
    response = verify(client, code, "en")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_language_switch_keeps_the_code_and_finds_the_other_address(client, certificate):
    html = verify(client, certificate.display_code, "sv").content.decode()

    assert f'href="/en/certificate/?code={certificate.display_code}"' in html


def test_verification_shows_what_was_certified_even_after_the_course_page_changes(client, course, certificate):
    course.title = "Ett helt nytt namn"
    course.save_revision().publish()

    assert TITLE["sv"] in verify(client, certificate.display_code).content.decode()


# --- Privacy ------------------------------------------------------------------------------------------


def test_the_personal_data_export_lists_the_certificates(participant, certificate):
    exported = privacy.export_person(participant)["certificates"]

    assert [item["code"] for item in exported] == [certificate.display_code]
    assert exported[0]["participant_name"] == NAME
    assert exported[0]["verification_url"].endswith(f"/sv/intyg/?code={certificate.display_code}")


def test_after_retention_the_code_still_verifies_without_the_name(client, participant, certificate):
    with time_machine.travel(timezone.now() + dt.timedelta(days=3 * 365), tick=False):
        result = privacy.anonymise_expired()

    response = verify(client, certificate.display_code, "en")

    html = response.content.decode()
    assert result["accounts"] == 1
    assert response.status_code == 200
    assert TITLE["en"] in html
    assert "Åsa" not in html
    assert "Öberg" not in html
    assert "The name has been removed under our rules for keeping personal data." in html


def test_erasure_blanks_the_name_on_the_certificate_and_keeps_the_code(participant, certificate):
    privacy.erase_person(participant)

    certificate.refresh_from_db()
    assert certificate.participant_name == ""
    assert certificates.find_certificate(certificate.display_code) == certificate


# --- Concurrency --------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_downloads_issue_one_certificate(attended):
    from tests.enrolment.test_concurrency import run_at_once

    issued = []
    errors = run_at_once([lambda: issued.append(certificates.issue_certificate(attended)) for _i in range(6)])

    assert errors == [None] * 6
    assert len({certificate.code for certificate in issued}) == 1
    assert Certificate.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="enrolment.issue_certificate").count() == 1


def test_a_corrected_attendance_withdraws_the_certificate_and_verification_says_so(client, site):
    occasion = OccasionFactory(course=create_course(title="Korrigerad närvaro"), past=True)
    enrolment = Enrolment.objects.create(user=make_participant(), occasion=occasion, status=Status.ATTENDED)
    certificate = certificates.issue_certificate(enrolment)
    assert "Giltigt intyg" in verify(client, certificate.code).content.decode()
    assert not certificates.is_withdrawn(certificate)

    Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.NO_SHOW)

    response = verify(client, certificate.code)
    html = response.content.decode()
    assert response.status_code == 410
    assert "Intyget är återkallat" in html
    assert "närvaron som det intygade rättades" in html
    assert "Giltigt intyg" not in html
    english = verify(client, certificate.code, "en").content.decode()
    assert "Certificate withdrawn" in english
    assert "the attendance it certified was corrected after it was issued" in english


# --- Only after the occasion has started ----------------------------------------------------------------


@pytest.fixture
def checked_in_this_morning(participant, course):
    """Attendance taken at check-in on the day, an hour before the first session starts."""
    start = timezone.now() + dt.timedelta(hours=1)
    occasion = OccasionFactory(course=course, start=start, end=start + dt.timedelta(hours=6))
    return EnrolmentFactory(
        user=participant, occasion=occasion, status=Status.ATTENDED, attendance_recorded_at=timezone.now()
    )


def test_no_certificate_before_the_occasion_has_started(logged_in, checked_in_this_morning):
    enrolment = checked_in_this_morning

    assert logged_in.get(f"/sv/my-courses/certificate/{enrolment.pk}.pdf").status_code == 404
    with pytest.raises(EnrolmentError) as error:
        certificates.issue_certificate(enrolment)
    assert error.value.code == "not_started"
    assert "certificate/" not in logged_in.get(f"/sv/my-courses/{enrolment.pk}/").content.decode()
    assert f"certificate/{enrolment.pk}.pdf" not in logged_in.get("/sv/my-courses/").content.decode()
    assert not Certificate.objects.exists()


def test_the_certificate_comes_once_the_occasion_has_started(logged_in, checked_in_this_morning):
    enrolment = checked_in_this_morning

    with time_machine.travel(enrolment.occasion.start + dt.timedelta(minutes=5)):
        assert f"certificate/{enrolment.pk}.pdf" in logged_in.get(f"/sv/my-courses/{enrolment.pk}/").content.decode()
        text = pdf_text(logged_in.get(f"/sv/my-courses/certificate/{enrolment.pk}.pdf"))

    assert Certificate.objects.get().display_code in text


# --- The Lipus number -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "label"), [("sv", "Lipusnummer"), ("en", "Lipus number")])
def test_the_certificate_and_its_verification_print_the_lipus_number(logged_in, course, attended, language, label):
    course.lipus_reference = "20250412"
    course.save_revision().publish()

    text = pdf_text(logged_in.get(f"/{language}/my-courses/certificate/{attended.pk}.pdf"))
    html = verify(logged_in, Certificate.objects.get().code, language).content.decode()

    assert f"{label} 20250412" in text
    assert re.search(rf"<dt>{label}</dt>\s*<dd>20250412</dd>", html)


def test_a_course_without_a_lipus_number_prints_none(logged_in, attended):
    text = pdf_text(logged_in.get(f"/sv/my-courses/certificate/{attended.pk}.pdf"))

    assert "Lipus" not in text
    assert "Lipus" not in verify(logged_in, Certificate.objects.get().code).content.decode()


# --- Add to calendar: only with a seat ------------------------------------------------------------------


@pytest.mark.parametrize(("status", "offered"), [(Status.PENDING, False), (Status.CONFIRMED, True)])
def test_add_to_calendar_is_offered_only_once_the_seat_is_confirmed(logged_in, participant, course, status, offered):
    enrolment = EnrolmentFactory(user=participant, occasion=OccasionFactory(course=course), status=status)

    detail = logged_in.get(f"/sv/my-courses/{enrolment.pk}/").content.decode()
    listing = logged_in.get("/sv/my-courses/").content.decode()

    assert (".ics" in detail) is offered
    assert (f"occasions/{enrolment.occasion.pk}.ics" in listing) is offered
    assert ("Lägg till i kalendern" in listing) is offered
