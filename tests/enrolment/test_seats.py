"""Seats and availability (enrolment.seats), as an occasion answers them: what a visitor can do now."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone, translation

from courses.factories import OccasionFactory
from courses.models import Occasion
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment
from enrolment.seats import Availability

pytestmark = pytest.mark.django_db


def fresh(occasion):
    """The occasion as a listing loads it, with seats counted in the query."""
    return Occasion.objects.with_seats().get(pk=occasion.pk)


def availability_label(occasion):
    with translation.override("en"):
        return str(fresh(occasion).availability.label)


# --- Availability -----------------------------------------------------------------------------------


def test_occasion_with_free_seats_is_open():
    occasion = OccasionFactory(capacity=20)

    assert availability_label(occasion) == "Open"


def test_occasion_shows_few_seats_left_at_the_threshold():
    occasion = OccasionFactory(capacity=settings.FEW_SEATS_LEFT + 1)
    EnrolmentFactory(occasion=occasion)

    assert fresh(occasion).seats_left == settings.FEW_SEATS_LEFT
    assert availability_label(occasion) == "Few seats left"


def test_occasion_one_seat_above_the_threshold_is_open():
    occasion = OccasionFactory(capacity=settings.FEW_SEATS_LEFT + 2)
    EnrolmentFactory(occasion=occasion)

    assert availability_label(occasion) == "Open"


def test_full_occasion_offers_the_waiting_list():
    occasion = OccasionFactory(capacity=2)
    EnrolmentFactory.create_batch(2, occasion=occasion)

    assert fresh(occasion).is_full
    assert availability_label(occasion) == "Full: waiting list"


def test_occasion_before_enrolment_opens():
    occasion = OccasionFactory(enrolment_opens=timezone.now() + dt.timedelta(days=3))

    assert availability_label(occasion) == "Enrolment not yet open"


def test_occasion_after_enrolment_closed():
    occasion = OccasionFactory(enrolment_closes=timezone.now() - dt.timedelta(hours=1))

    assert availability_label(occasion) == "Enrolment closed"


def test_enrolment_closes_when_the_occasion_starts_by_default():
    occasion = OccasionFactory()

    assert fresh(occasion).availability_at(occasion.start) == Availability.CLOSED


def test_cancelled_occasion_says_cancelled_even_with_free_seats():
    occasion = OccasionFactory(cancelled=True)

    assert availability_label(occasion) == "Cancelled"


def test_enrolments_holding_a_seat_take_one():
    occasion = OccasionFactory(capacity=10)
    for status in Enrolment.SEAT_STATUSES:
        EnrolmentFactory(occasion=occasion, status=status)

    assert fresh(occasion).seats_left == 10 - len(Enrolment.SEAT_STATUSES)


def test_confirmed_and_offered_enrolments_take_seats():
    assert {Enrolment.Status.CONFIRMED, Enrolment.Status.OFFERED} <= set(Enrolment.SEAT_STATUSES)


def test_waiting_cancelled_rejected_and_expired_enrolments_take_no_seat():
    occasion = OccasionFactory(capacity=10)
    free = [status for status in Enrolment.Status if status not in Enrolment.SEAT_STATUSES]
    for status in free:
        EnrolmentFactory(occasion=occasion, status=status)

    assert {Enrolment.Status.WAITING, Enrolment.Status.CANCELLED} <= set(free)
    assert fresh(occasion).seats_left == 10


def test_seats_are_counted_without_the_annotation_too():
    occasion = OccasionFactory(capacity=10)
    EnrolmentFactory(occasion=occasion)

    assert Occasion.objects.get(pk=occasion.pk).seats_left == 9


def test_occasion_without_capacity_has_unlimited_seats():
    occasion = OccasionFactory(capacity=None)
    EnrolmentFactory.create_batch(3, occasion=occasion)

    loaded = fresh(occasion)
    assert loaded.seats_left is None
    assert not loaded.is_full
    assert availability_label(occasion) == "Open"
