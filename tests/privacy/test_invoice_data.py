"""Invoice details are personal data: the person downloads them, erasure and retention remove them, except what
bookkeeping must keep on invoiced enrolments (organisation, cost centre, reference, fee) for eight years."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from accounts import privacy
from courses.factories import OccasionFactory
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

from .conftest import make_person, stockholm

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
DETAILS = {"invoice_organisation": "Region Östergötland", "cost_centre": "K-4711", "invoice_reference": "Quex ref"}
NONE = {"invoice_organisation": "", "cost_centre": "", "invoice_reference": ""}


def paid(user, occasion, status, **fields):
    return EnrolmentFactory(
        user=user, occasion=occasion, status=status, fee=Decimal("4500"), fee_vat="excluded", **DETAILS, **fields
    )


def details_of(enrolment):
    enrolment.refresh_from_db()
    return {name: getattr(enrolment, name) for name in DETAILS}


@pytest.fixture
def person(site):
    return make_person(**DETAILS)


def test_the_download_holds_the_profile_defaults_and_each_enrolments_invoice_details(person, occasion):
    paid(person, occasion, Status.CONFIRMED)

    data = json.loads(privacy.export_json(person))

    assert data["profile"]["cost_centre"] == "K-4711"
    assert data["profile"]["invoice_organisation"] == "Region Östergötland"
    (enrolment,) = data["enrolments"]
    assert enrolment["fee"]["amount"] == "4500.00"
    assert enrolment["fee"]["invoice_reference"] == "Quex ref"
    assert enrolment["fee"]["fee_stands_after_late_cancellation"] is False


def test_a_free_enrolment_has_no_fee_in_the_download(person, occasion):
    EnrolmentFactory(user=person, occasion=occasion, status=Status.CONFIRMED)

    (enrolment,) = json.loads(privacy.export_json(person))["enrolments"]

    assert enrolment["fee"] is None


def test_erasure_keeps_the_bookkeeping_of_invoiced_enrolments_only(person, course):
    past = OccasionFactory(course=course, past=True)
    cancelled_in_time = OccasionFactory(course=course, past=True)
    attended = paid(person, past, Status.ATTENDED)
    late = paid(person, cancelled_in_time, Status.CANCELLED, fee_stands=True)
    in_time = paid(person, OccasionFactory(course=course, past=True), Status.CANCELLED)

    privacy.delete_account(person)

    person.refresh_from_db()
    assert (person.invoice_organisation, person.cost_centre, person.invoice_reference) == ("", "", "")
    assert details_of(attended) == DETAILS
    assert details_of(late) == DETAILS
    assert details_of(in_time) == NONE
    attended.refresh_from_db()
    assert attended.fee == Decimal("4500")


def test_retention_removes_unused_details_with_the_answers_and_invoiced_ones_after_eight_years(person, course):
    def ended(year):
        start = stockholm(year, 3, 10, 9)
        return OccasionFactory(course=course, start=start, end=start + dt.timedelta(hours=7))

    long_ago_invoiced = paid(person, ended(2020), Status.ATTENDED)
    recent_invoiced = paid(person, ended(2026), Status.ATTENDED)
    old_not_invoiced = paid(person, ended(2026), Status.CANCELLED)
    recent_not_invoiced = paid(person, ended(2029), Status.CANCELLED)

    with time_machine.travel(stockholm(2029, 6, 15, 10), tick=False):
        result = privacy.anonymise_expired()

    assert result["invoice_details"] == 2
    assert details_of(long_ago_invoiced) == NONE
    assert details_of(recent_invoiced) == DETAILS  # bookkeeping: seven years after the year, at most eight
    assert details_of(old_not_invoiced) == NONE
    assert details_of(recent_not_invoiced) == DETAILS


def test_the_bookkeeping_period_is_eight_years_by_default():
    from atmp.settings import base

    assert base.INVOICE_RETENTION_MONTHS == 96
