"""The invoice basis organisers export: who is invoiced, the totals per cost centre, one occasion or a period,
CSV and Excel, their own centre only, every download in the audit log."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.factories import CentreFactory, OccasionFactory, create_course
from enrolment import services
from enrolment.models import Enrolment

from .conftest import make_participant
from .test_participant_lists import csv_rows, staff_in, xlsx_rows

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
SKANE = {"invoice_organisation": "Region Skåne", "cost_centre": "51200", "invoice_reference": "Ref A"}
HALLAND = {"invoice_organisation": "Region Halland", "cost_centre": "K-77", "invoice_reference": "Ref B"}


@pytest.fixture
def skane(site):
    return CentreFactory(name="Skånes universitetssjukhus", slug="skane")


@pytest.fixture
def uppsala(site):
    return CentreFactory(name="Region Uppsala", slug="uppsala")


@pytest.fixture
def paid(skane):
    """A paid course at Skåne (4 500 kr) with an occasion in the coming month."""
    course = create_course(title="GMP för ATMP", centres=[skane], fee=Decimal("4500"))
    return OccasionFactory(course=course, capacity=10)


@pytest.fixture
def owner_client(client, skane):
    client.force_login(staff_in(skane, email="kursansvarig@skane.example"))
    return client


def enrol(occasion, details, **fields):
    return services.enrol(make_participant(**fields), occasion.pk, invoice=details)


@pytest.fixture
def enrolled(paid):
    """Two invoiced at Region Skåne's 51200, one at Halland; one cancelled in time, one late; one free course."""
    deadline = timezone.now() + dt.timedelta(hours=1)
    paid.cancellation_deadline = deadline
    paid.save()
    enrol(paid, SKANE, first_name="Åsa", last_name="Öberg")
    enrol(paid, SKANE, first_name="Bo", last_name="Ek")
    enrol(paid, HALLAND, first_name="Cissi", last_name="Holm")
    in_time = enrol(paid, SKANE, first_name="David", last_name="Tidig")
    services.cancel(in_time.pk, in_time.user)
    late = enrol(paid, HALLAND, first_name="Eva", last_name="Sen")
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        services.cancel(late.pk, late.user)
    free = OccasionFactory(course=create_course(title="Gratis kurs", centres=[paid.course.centres.first()]))
    services.enrol(make_participant(first_name="Fia", last_name="Fri"), free.pk)
    return paid


def rows_of(table):
    """The enrolment rows and the totals of a downloaded table (the part after the blank line)."""
    blank = table.index([]) if [] in table else next(i for i, row in enumerate(table) if not any(row))
    return table[1:blank], table[blank + 2 :]


def test_the_occasion_basis_lists_who_is_invoiced_with_totals_per_cost_centre(owner_client, enrolled):
    response = owner_client.get(f"/admin/occasions/{enrolled.pk}/invoice-basis/?export=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="fakturaunderlag-gmp-for-atmp-')
    table = csv_rows(response)
    assert table[0] == [
        "Organisation",
        "Kostnadsställe",
        "Fakturareferens",
        "Person",
        "E-post",
        "Kurs",
        "Datum",
        "Avgift (kr)",
        "Moms",
        "Status",
        "Närvaro",
    ]
    people, totals = rows_of(table)
    assert [(row[0], row[1], row[3], row[9]) for row in people] == [
        ("Region Halland", "K-77", "Cissi Holm", "Bekräftad"),
        ("Region Halland", "K-77", "Eva Sen", "Avbokad efter sista avbokningsdag (avgiften står kvar)"),
        ("Region Skåne", "51200", "Bo Ek", "Bekräftad"),
        ("Region Skåne", "51200", "Åsa Öberg", "Bekräftad"),
    ]
    assert {row[7] for row in people} == {"4500.00"}
    assert [row[:3] + [row[7]] for row in totals] == [
        ["Organisation", "Kostnadsställe", "Anmälningar", "Avgift (kr)"],
        ["Region Halland", "K-77", "2", "9000.00"],
        ["Region Skåne", "51200", "2", "9000.00"],
        ["Totalt", "", "4", "18000.00"],
    ]


def test_the_basis_opens_in_excel_with_numbers_to_add_up(owner_client, enrolled):
    table = xlsx_rows(owner_client.get(f"/admin/occasions/{enrolled.pk}/invoice-basis/"))

    people, totals = rows_of(table)
    assert len(people) == 4
    assert totals[-1][0] == "Totalt"
    assert totals[-1][7] == 18000


def test_every_download_is_in_the_audit_log(owner_client, enrolled):
    owner_client.get(f"/admin/occasions/{enrolled.pk}/invoice-basis/?export=csv")

    entry = ModelLogEntry.objects.get(action="enrolment.export_invoice_basis")
    assert entry.data["rows"] == 4
    assert entry.data["format"] == "csv"
    assert entry.data["filters"] == {"occasion": [str(enrolled.pk)]}


def test_the_period_basis_holds_the_owners_own_centre_only(owner_client, enrolled, uppsala):
    elsewhere = OccasionFactory(course=create_course(title="Uppsalas kurs", centres=[uppsala], fee=Decimal("100")))
    enrol(elsewhere, SKANE, first_name="Uppsala", last_name="Deltagare")
    day = timezone.localdate(enrolled.start)

    skane_id = enrolled.course.centres.first().pk
    response = owner_client.get(
        "/admin/invoice-basis/",
        {"start": day.isoformat(), "end": day.isoformat(), "export": "csv", "centre": skane_id},
    )
    people, _totals = rows_of(csv_rows(response))
    assert "Uppsala Deltagare" not in {row[3] for row in people}
    assert len(people) == 4


def test_another_centre_in_the_query_string_is_refused_with_a_message(owner_client, enrolled, uppsala):
    day = timezone.localdate(enrolled.start).isoformat()

    response = owner_client.get(
        "/admin/invoice-basis/", {"start": day, "end": day, "export": "csv", "centre": uppsala.pk}
    )

    assert response.status_code == 400
    assert "Det centrumet är inte tillgängligt för dig." in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="enrolment.export_invoice_basis").exists()


def test_a_period_that_ends_before_it_starts_is_explained(owner_client, enrolled):
    response = owner_client.get("/admin/invoice-basis/", {"start": "2026-05-01", "end": "2026-04-01", "export": "csv"})

    assert response.status_code == 400
    assert "Perioden måste sluta samma dag som den börjar eller senare." in response.content.decode()


@pytest.mark.parametrize("query", ["start=x&end=y&export=csv", "start=2026-01-01&end=2026-02-01&export=pdf"])
def test_malformed_queries_get_a_form_not_an_error(owner_client, enrolled, query):
    response = owner_client.get(f"/admin/invoice-basis/?{query}")

    assert response.status_code == 400
    assert b"<form" in response.content


def test_the_form_offers_last_month_by_default(owner_client, enrolled):
    response = owner_client.get("/admin/invoice-basis/")

    assert response.status_code == 200
    first = timezone.localdate().replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    assert f'value="{previous.isoformat()}"' in response.content.decode()


def test_a_clinician_gets_no_invoice_basis(client, enrolled):
    client.force_login(make_participant())

    response = client.get(f"/admin/occasions/{enrolled.pk}/invoice-basis/?export=csv")

    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="enrolment.export_invoice_basis").exists()


def test_the_basis_costs_the_same_queries_for_ten_times_the_people(owner_client, paid):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_download():
        with CaptureQueriesContext(connection) as queries:
            response = owner_client.get(f"/admin/occasions/{paid.pk}/invoice-basis/?export=csv")
            csv_rows(response)
        return len(queries.captured_queries)

    for number in range(2):
        enrol(paid, SKANE, first_name="Person", last_name=f"Nr {number}")
    few = queries_for_download()
    paid.capacity = 30
    paid.save()
    for number in range(2, 20):
        enrol(paid, HALLAND, first_name="Person", last_name=f"Nr {number}")

    assert queries_for_download() == few


def test_the_person_in_the_participant_list_shows_fee_and_invoice_details(owner_client, paid):
    enrolment = enrol(paid, SKANE, first_name="Åsa", last_name="Öberg")

    page = owner_client.get(f"/admin/enrolments/inspect/{enrolment.pk}/").content.decode().replace("\u00a0", " ")

    assert "Avgift 4 500 kr exkl. moms" in page
    assert "51200" in page
    assert "Region Skåne" in page
