"""Courses with a fee, as the clinician sees them: the fee on the pages, the invoice details asked at enrolment
(filled in from the profile, checked, kept on the enrolment), the fee that stands after a late cancellation
(said before the person confirms), and the fee in the e-mails."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.factories import OccasionFactory, create_course, translate_course
from courses.fees import VatStatus, fee_text, format_amount, occasion_fee_text
from courses.models import CoursePage
from enrolment import services
from enrolment.models import Enrolment

from .conftest import make_participant

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
NBSP = "\u00a0"
DETAILS = {"invoice_organisation": "Region Skåne", "cost_centre": "51200", "invoice_reference": "Anna Ek, ATMP"}


@pytest.fixture
def paid_course(site):
    course = create_course(site.catalogue["sv"], title="GMP för ATMP", fee=Decimal("4500"))
    translate_course(course, "en", title="GMP for ATMP")
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def paid_occasion(paid_course):
    return OccasionFactory(course=paid_course, capacity=5)


@pytest.fixture
def logged_in(client, participant):
    client.force_login(participant)
    return client


def page_text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().replace(NBSP, " ")


# --- Saying the fee ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "vat", "language", "expected"),
    [
        (Decimal("4500"), VatStatus.EXCLUDED, "sv", "Avgift 4 500 kr exkl. moms"),
        (Decimal("4500"), VatStatus.EXCLUDED, "en", "Fee SEK 4,500 excl. VAT"),
        (Decimal("12500.50"), VatStatus.INCLUDED, "sv", "Avgift 12 500,50 kr inkl. moms"),
        (Decimal("12500.50"), VatStatus.INCLUDED, "en", "Fee SEK 12,500.50 incl. VAT"),
        (Decimal("900"), VatStatus.EXEMPT, "sv", "Avgift 900 kr momsfri"),
        (Decimal("900"), VatStatus.EXEMPT, "en", "Fee SEK 900 VAT exempt"),
        (None, VatStatus.EXCLUDED, "sv", "Kostnadsfri"),
        (Decimal("0"), VatStatus.EXCLUDED, "en", "Free of charge"),
    ],
)
def test_the_fee_is_written_as_people_in_sweden_write_it(amount, vat, language, expected):
    assert fee_text(amount, vat, language).replace(NBSP, " ") == expected


def test_amounts_do_not_break_between_digits_and_currency():
    assert format_amount(Decimal("4500"), "sv") == f"4{NBSP}500{NBSP}kr"


def test_an_occasion_can_cost_other_than_its_course(paid_course):
    evening = OccasionFactory(course=paid_course, fee=Decimal("1200"))
    free = OccasionFactory(course=paid_course, fee=Decimal("0"))
    usual = OccasionFactory(course=paid_course)

    assert occasion_fee_text(evening, language="en").replace(NBSP, " ") == "Fee SEK 1,200 excl. VAT"
    assert occasion_fee_text(free, language="en") == "Free of charge"
    assert occasion_fee_text(usual, language="en").replace(NBSP, " ") == "Fee SEK 4,500 excl. VAT"


def test_course_and_occasion_pages_show_the_fee_in_both_languages(client, paid_course, paid_occasion):
    english = CoursePage.objects.get(translation_key=paid_course.translation_key, locale__language_code="en")

    assert "4 500 kr exkl. moms" in page_text(client.get(paid_course.url))
    assert "SEK 4,500 excl. VAT" in page_text(client.get(english.url))
    occasion_url = paid_course.url + paid_course.reverse_subpage("occasion", args=[paid_occasion.pk])
    assert "4 500 kr exkl. moms" in page_text(client.get(occasion_url))


def test_a_free_course_says_so(client, course):
    assert "Kostnadsfri" in page_text(client.get(course.url))


# --- Enrolling ------------------------------------------------------------------------------------------


def test_the_form_asks_for_invoice_details_filled_in_from_the_profile(client, paid_occasion):
    person = make_participant(invoice_organisation="Region Uppsala", cost_centre="K-5120", invoice_reference="X1")
    client.force_login(person)

    page = page_text(client.get(f"/sv/enrol/{paid_occasion.pk}/"))

    assert "Avgift 4 500 kr exkl. moms" in page
    assert "Fakturauppgifter" in page
    assert 'value="Region Uppsala"' in page
    assert 'value="K-5120"' in page


def test_a_free_course_asks_for_no_invoice_details(logged_in, occasion):
    page = page_text(logged_in.get(f"/sv/enrol/{occasion.pk}/"))

    assert "Fakturauppgifter" not in page
    assert "kostnadsställe" not in page.lower()


def test_missing_invoice_details_are_named_in_the_persons_language(logged_in, paid_occasion):
    response = logged_in.post(f"/en/enrol/{paid_occasion.pk}/", {"invoice_organisation": "Region Skåne"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the cost centre (kostnadsställe) of your unit." in page
    assert "Give the invoice reference your unit wants on the invoice." in page
    assert not Enrolment.objects.exists()


def test_a_malformed_cost_centre_is_refused_with_an_example(logged_in, paid_occasion):
    response = logged_in.post(f"/sv/enrol/{paid_occasion.pk}/", {**DETAILS, "cost_centre": "=SUM(A1)"})

    assert response.status_code == 409
    assert "Skriv kostnadsstället med bokstäver och siffror, till exempel 51200 eller K-5120." in (
        response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_enrolling_keeps_the_fee_and_details_and_remembers_them(
    logged_in, participant, paid_occasion, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post(f"/sv/enrol/{paid_occasion.pk}/", DETAILS)

    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.fee, enrolment.fee_vat) == (Decimal("4500"), VatStatus.EXCLUDED)
    assert enrolment.invoice_organisation == "Region Skåne"
    assert enrolment.cost_centre == "51200"
    assert enrolment.invoice_reference == "Anna Ek, ATMP"
    participant.refresh_from_db()
    assert participant.cost_centre == "51200"
    detail = page_text(logged_in.get(response["Location"]))
    assert "4 500 kr exkl. moms" in detail
    assert "Region Skåne" in detail


def test_a_later_price_change_leaves_the_enrolment_as_it_was(participant, paid_course, paid_occasion):
    enrolment = services.enrol(participant, paid_occasion.pk, invoice=DETAILS)
    paid_course.fee = Decimal("9000")
    paid_course.save_revision().publish()

    enrolment.refresh_from_db()
    assert enrolment.fee == Decimal("4500")


def test_the_service_refuses_a_paid_enrolment_without_details(participant, paid_occasion):
    with pytest.raises(services.EnrolmentError) as error:
        services.enrol(participant, paid_occasion.pk)

    assert error.value.code == "invoice"
    assert set(error.value.invoice_errors) == {"invoice_organisation", "cost_centre", "invoice_reference"}
    assert not Enrolment.objects.exists()


def test_a_free_enrolment_keeps_no_invoice_details(participant, occasion):
    enrolment = services.enrol(participant, occasion.pk, invoice=DETAILS)

    assert enrolment.fee is None
    assert enrolment.cost_centre == ""


# --- Cancelling late ------------------------------------------------------------------------------------


@pytest.fixture
def late(paid_course, participant):
    """A confirmed paid enrolment whose cancellation deadline is an hour away, and the moment after it."""
    deadline = timezone.now() + dt.timedelta(hours=1)
    occasion = OccasionFactory(course=paid_course, cancellation_deadline=deadline)
    return services.enrol(participant, occasion.pk, invoice=DETAILS), deadline + dt.timedelta(minutes=1)


def test_the_cancel_page_says_the_fee_stands_before_the_person_confirms(logged_in, late):
    enrolment, after_deadline = late

    with time_machine.travel(after_deadline, tick=False):
        page = page_text(logged_in.get(f"/sv/my-courses/{enrolment.pk}/cancel/"))

    assert "Avgiften står kvar" in page
    assert "4 500 kr exkl. moms" in page
    assert "Region Skåne, kostnadsställe 51200" in page
    assert "Ja, avboka och betala avgiften" in page
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED


def test_a_late_cancellation_records_that_the_fee_stands(logged_in, late, django_capture_on_commit_callbacks):
    enrolment, after_deadline = late

    with time_machine.travel(after_deadline, tick=False), django_capture_on_commit_callbacks(execute=True):
        logged_in.post(f"/en/my-courses/{enrolment.pk}/cancel/")

    enrolment.refresh_from_db()
    assert enrolment.status == Status.CANCELLED
    assert enrolment.fee_stands
    entry = ModelLogEntry.objects.filter(action="enrolment.cancel", object_id=str(enrolment.pk)).get()
    assert entry.data["fee_stands"] is True
    (cancelled,) = [m for m in mail.outbox if m.subject.startswith("Avbokning bekräftad")]
    assert "så avgiften 4 500 kr exkl. moms faktureras ändå" in cancelled.body.replace(NBSP, " ")


def test_cancelling_in_time_costs_nothing(logged_in, participant, paid_occasion):
    enrolment = services.enrol(participant, paid_occasion.pk, invoice=DETAILS)

    page = page_text(logged_in.get(f"/sv/my-courses/{enrolment.pk}/cancel/"))
    logged_in.post(f"/sv/my-courses/{enrolment.pk}/cancel/")

    assert "Avgiften står kvar" not in page
    enrolment.refresh_from_db()
    assert enrolment.status == Status.CANCELLED
    assert not enrolment.fee_stands


def test_a_free_course_still_closes_cancellation_at_the_deadline(participant, course):
    deadline = timezone.now() + dt.timedelta(hours=1)
    enrolment = services.enrol(participant, OccasionFactory(course=course, cancellation_deadline=deadline).pk)

    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False), pytest.raises(services.EnrolmentError):
        services.cancel(enrolment.pk, participant)


def test_nobody_cancels_once_the_occasion_has_started(participant, late):
    enrolment, _after_deadline = late

    started = enrolment.occasion.start + dt.timedelta(minutes=1)
    with time_machine.travel(started, tick=False), pytest.raises(services.EnrolmentError) as error:
        services.cancel(enrolment.pk, participant)

    assert error.value.code == "deadline"


def test_the_waiting_list_is_left_without_a_fee(participant_factory, paid_course):
    deadline = timezone.now() + dt.timedelta(hours=1)
    occasion = OccasionFactory(course=paid_course, capacity=1, cancellation_deadline=deadline)
    services.enrol(participant_factory(), occasion.pk, invoice=DETAILS)
    waiting_person = participant_factory()
    waiting = services.enrol(waiting_person, occasion.pk, invoice=DETAILS)

    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        services.cancel(waiting.pk, waiting_person)

    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    assert not waiting.fee_stands


# --- E-mail ---------------------------------------------------------------------------------------------


def test_the_confirmation_says_the_fee_and_who_is_invoiced(
    participant, paid_occasion, django_capture_on_commit_callbacks
):
    participant.preferred_language = "en"
    participant.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.enrol(participant, paid_occasion.pk, invoice=DETAILS)

    (confirmation,) = mail.outbox
    body = confirmation.body.replace(NBSP, " ")
    assert "Fee: SEK 4,500 excl. VAT, invoiced to Region Skåne, cost centre 51200, reference Anna Ek, ATMP." in body
    assert "the fee still stands" in body


def test_search_engines_read_the_price(paid_course):
    import json

    offer = json.loads(paid_course.json_ld())["offers"][0]

    assert offer == {"@type": "Offer", "category": "Paid", "price": "4500.00", "priceCurrency": "SEK"}


# --- The profile's defaults -------------------------------------------------------------------------------


def profile_post(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "profession": person.profession,
        "workplace": person.workplace,
        "region": person.region,
        "preferred_language": "sv",
        "accept_privacy": "on",
        **changes,
    }
    return data


def test_the_profile_keeps_invoice_defaults_for_next_time(logged_in, participant):
    page = page_text(logged_in.get("/sv/accounts/profile/"))
    assert "Organisation som faktureras" in page
    assert "(frivillig)" in page  # the defaults are optional on the profile

    response = logged_in.post("/sv/accounts/profile/", profile_post(participant, **DETAILS))

    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.invoice_organisation, participant.cost_centre) == ("Region Skåne", "51200")


def test_the_profile_refuses_a_cost_centre_that_is_no_code(logged_in, participant):
    response = logged_in.post("/sv/accounts/profile/", profile_post(participant, cost_centre="@kostnad"))

    assert response.status_code == 200
    assert "Skriv kostnadsstället med bokstäver och siffror" in response.content.decode()
    participant.refresh_from_db()
    assert participant.cost_centre == ""


def test_an_occasion_with_a_price_of_its_own_says_it_in_the_course_list(client, paid_course):
    OccasionFactory(course=paid_course, fee=Decimal("1200"))

    page = page_text(client.get(paid_course.url))

    assert "Avgift: 1 200 kr exkl. moms" in page


def test_a_paid_enrolment_moved_to_another_occasion_keeps_its_invoice_details(participant, paid_course):
    first = OccasionFactory(course=paid_course)
    evening = OccasionFactory(course=paid_course, fee=Decimal("1200"))
    enrolment = services.enrol(participant, first.pk, invoice=DETAILS)

    moved = services.move(enrolment.pk, evening.pk, participant)

    assert (moved.fee, moved.cost_centre, moved.invoice_reference) == (Decimal("1200"), "51200", "Anna Ek, ATMP")


def test_the_catalogue_card_says_the_fee(client, paid_course, paid_occasion, site):
    page = page_text(client.get(site.catalogue["sv"].url))

    assert "Avgift: 4 500 kr exkl. moms" in page
