"""Capacity under concurrency, on real PostgreSQL (invariants 1-3 of DOMAIN.md).

Threads each get their own database connection. A short pause between counting the seats and writing
the enrolment widens the race window, so the negative controls (the same race without the occasion lock)
really do overbook: that proves these tests can fail.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections

from courses.factories import OccasionFactory, create_course
from enrolment import services
from enrolment.models import Enrolment

from .conftest import make_participant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Status = Enrolment.Status


@pytest.fixture
def slow_count(monkeypatch):
    """Make the seat count take a moment, as it would under load."""
    real_count, real_state = services.seats_taken, services.seat_state
    real_lock_with_state = services.lock_with_seat_state

    def seats_taken(occasion):
        taken = real_count(occasion)
        time.sleep(0.02)
        return taken

    def seat_state(occasion, user):
        state = real_state(occasion, user)
        time.sleep(0.02)
        return state

    def lock_with_seat_state(occasion_id, user, new_ids=()):  # enrolling locks and counts in one round trip
        locked = real_lock_with_state(occasion_id, user, new_ids)
        time.sleep(0.02)
        return locked

    monkeypatch.setattr(services, "seats_taken", seats_taken)
    monkeypatch.setattr(services, "seat_state", seat_state)
    monkeypatch.setattr(services, "lock_with_seat_state", lock_with_seat_state)


@pytest.fixture
def without_lock(monkeypatch):
    """The negative control: read the occasion without SELECT ... FOR UPDATE."""
    from courses.models import Occasion

    def lock_with_seat_state(occasion_id, user, new_ids=()):
        occasion = Occasion.objects.get(pk=occasion_id)
        # Slowed down by slow_count, when it is on; no ids drawn, so each row is saved at once.
        return occasion, services.seat_state(occasion, user), None

    monkeypatch.setattr(services, "lock_occasion", lambda occasion_id: Occasion.objects.get(pk=occasion_id))
    monkeypatch.setattr(services, "lock_with_seat_state", lock_with_seat_state)


def run_at_once(functions):
    """Start all functions together; return their exceptions (None where they succeeded)."""
    barrier = threading.Barrier(len(functions))
    errors = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 - collected for the assertion
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def rush(occasion, people):
    return run_at_once([lambda user=user: services.enrol(user, occasion.pk) for user in people])


@pytest.fixture
def ten_seats(site):
    course = create_course(site.catalogue["sv"], title="GMP för sjukhusundantag")
    return OccasionFactory(course=course, capacity=10)


@pytest.fixture
def fifty_people(site):
    return [make_participant(email=f"rush{n}@example.se") for n in range(50)]


def test_fifty_people_racing_for_ten_seats_leave_ten_confirmed_and_forty_waiting(ten_seats, fifty_people, slow_count):
    assert connection.vendor == "postgresql"
    errors = rush(ten_seats, fifty_people)

    assert errors == [None] * 50
    enrolments = list(Enrolment.objects.filter(occasion=ten_seats).order_by("pk"))
    statuses = [enrolment.status for enrolment in enrolments]
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITING) == 40
    # Arrival order: whoever got the lock first got a seat; the list behind them is in the same order.
    assert statuses == [Status.CONFIRMED] * 10 + [Status.WAITING] * 40
    positions = [e.waiting_position for e in enrolments[10:]]
    assert positions == list(range(1, 41))


def test_without_the_lock_the_same_race_overbooks(ten_seats, fifty_people, slow_count, without_lock):
    rush(ten_seats, fifty_people)

    confirmed = Enrolment.objects.filter(occasion=ten_seats, status=Status.CONFIRMED).count()
    assert confirmed > 10


def test_one_person_double_submitting_gets_one_enrolment(ten_seats, slow_count):
    person = make_participant(email="doubleclick@example.se")

    errors = rush(ten_seats, [person] * 5)

    assert Enrolment.objects.filter(occasion=ten_seats, user=person).count() == 1
    codes = [error.code for error in errors if error is not None]
    assert codes == ["already_enrolled"] * 4


def _full_occasion_with_one_waiting(site, n):
    course = create_course(site.catalogue["sv"], title=f"Kryokonservering {n}")
    occasion = OccasionFactory(course=course, capacity=1)
    holder = make_participant(email=f"holder{n}@example.se")
    waiting = make_participant(email=f"waiting{n}@example.se")
    newcomer = make_participant(email=f"newcomer{n}@example.se")
    seat = services.enrol(holder, occasion.pk)
    services.enrol(waiting, occasion.pk)
    return occasion, seat, waiting, newcomer


def test_a_freed_seat_goes_to_the_waiting_list_not_to_a_newcomer_racing_for_it(site, slow_count):
    for n in range(5):
        occasion, seat, waiting, newcomer = _full_occasion_with_one_waiting(site, n)

        errors = run_at_once(
            [
                lambda seat=seat: services.cancel(seat.pk, seat.user),
                lambda newcomer=newcomer, occasion=occasion: services.enrol(newcomer, occasion.pk),
            ]
        )

        assert errors == [None, None]
        confirmed = set(
            Enrolment.objects.filter(occasion=occasion, status=Status.CONFIRMED).values_list("user", flat=True)
        )
        assert confirmed == {waiting.pk}
        assert Enrolment.objects.get(occasion=occasion, user=newcomer).status == Status.WAITING


def _full_occasion_with_two_waiting(site, n):
    course = create_course(site.catalogue["sv"], title=f"Genterapi vid hemofili {n}")
    occasion = OccasionFactory(course=course, capacity=2)
    seats = [services.enrol(make_participant(email=f"seat{n}-{i}@example.se"), occasion.pk) for i in range(2)]
    waiting = [make_participant(email=f"line{n}-{i}@example.se") for i in range(2)]
    for person in waiting:
        services.enrol(person, occasion.pk)
    return occasion, seats, waiting


def _two_cancellations_at_once(site, rounds):
    """How many rounds left a seat empty while someone was still waiting."""
    seats_left_empty = 0
    for n in range(rounds):
        occasion, seats, waiting = _full_occasion_with_two_waiting(site, n)
        errors = run_at_once([lambda seat=seat: services.cancel(seat.pk, seat.user) for seat in seats])
        assert errors == [None, None]
        still_waiting = Enrolment.objects.filter(occasion=occasion, status=Status.WAITING).count()
        seats_left_empty += still_waiting > 0
    return seats_left_empty


def test_two_cancellations_at_once_promote_the_next_two_in_line(site, slow_count):
    assert _two_cancellations_at_once(site, rounds=3) == 0


def test_without_the_lock_simultaneous_cancellations_leave_a_seat_empty(site, slow_count, without_lock):
    assert _two_cancellations_at_once(site, rounds=3) > 0


def test_concurrent_capacity_changes_and_moves_never_overbook(site, slow_count):
    """Organisers raise and lower capacity and move people while others enrol: seats never exceed capacity,
    and a refused change says why."""
    course = create_course(site.catalogue["sv"], title="Samtidiga ändringar")
    first = OccasionFactory(course=course, capacity=3)
    second = OccasionFactory(course=course, capacity=2, start=first.start + dt.timedelta(days=7))
    organiser = make_participant()
    seated = [services.enrol(make_participant(), first.pk) for _ in range(3)]
    waiting = [services.enrol(make_participant(), first.pk) for _ in range(3)]
    assert {enrolment.status for enrolment in waiting} == {Status.WAITING}

    errors = run_at_once(
        [
            lambda: services.change_capacity(first.pk, 4, organiser),
            lambda: services.change_capacity(first.pk, 2, organiser),  # below the seats taken: refused
            lambda: services.move(seated[0].pk, second.pk, organiser),
            lambda: services.move(seated[1].pk, second.pk, organiser),
            lambda: services.move(seated[2].pk, second.pk, organiser),  # the third finds the target full
            *[lambda: services.enrol(make_participant(), second.pk) for _ in range(2)],
        ]
    )

    unexpected = [e for e in errors if e is not None and not isinstance(e, services.EnrolmentError)]
    assert unexpected == []
    assert isinstance(errors[1], services.EnrolmentError) and errors[1].code == "capacity"
    for occasion in (first, second):
        occasion.refresh_from_db()
        taken = Enrolment.objects.filter(occasion=occasion).holding_seats().count()
        assert taken <= occasion.capacity, (occasion, taken, occasion.capacity)
        active = Enrolment.objects.filter(occasion=occasion).active().values_list("user_id", flat=True)
        assert len(active) == len(set(active))
    first.refresh_from_db()
    # Every seat freed on the first occasion went to its waiting list, first come first served.
    free = first.capacity - Enrolment.objects.filter(occasion=first).holding_seats().count()
    still_waiting = Enrolment.objects.filter(occasion=first, status=Status.WAITING).count()
    assert free == 0 or still_waiting == 0
    promoted = [e.pk for e in waiting if Enrolment.objects.get(pk=e.pk).status == Status.CONFIRMED]
    assert promoted == [e.pk for e in waiting][: len(promoted)]
