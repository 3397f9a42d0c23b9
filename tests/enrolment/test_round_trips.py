"""An enrolment's trips to PostgreSQL (bench/README.md, "The enrolment rush"): the seat transaction in two round
trips, its reads prepared once per connection, its rows written as the ORM would write them, and the connection
left as Django expects it, whether the enrolment succeeds or a rule refuses it under the lock."""

import datetime as dt
import decimal
import re
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import User
from courses.factories import OccasionFactory, create_course
from enrolment import rows, services
from enrolment.models import Enrolment, OutboxMessage

from .conftest import make_participant

Status = Enrolment.Status

# Values that a literal written into the statement could get wrong: quotes, backslashes, placeholders, non-ASCII.
AWKWARD = 'Åsa\'s \\ "quoted" 100% %s %(name)s; DROP TABLE x; -- 🧬'


@pytest.fixture
def course(site):
    return create_course(site.catalogue["sv"], title="GMP för sjukhusundantag")


def enrol_over_http(client, occasion):
    person = make_participant()
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/sv/enrol/{occasion.pk}/", {})
    assert response.status_code == 302
    # Django logs its own BEGIN, COMMIT and ROLLBACK calls too; psycopg sends them only when there is something to
    # begin or end (here BEGIN and COMMIT travel inside the statements).
    transaction_calls = {"BEGIN", "COMMIT", "ROLLBACK"}
    return person, [query["sql"] for query in queries.captured_queries if query["sql"] not in transaction_calls]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_seat_transaction_is_two_round_trips_and_its_reads_are_prepared(client, course):
    occasion = OccasionFactory(course=course, capacity=1)
    enrol_over_http(client, occasion)  # this connection prepares the statements once

    person, statements = enrol_over_http(client, occasion)

    assert Enrolment.objects.get(user=person).status == Status.WAITING
    locked_at = next(index for index, sql in enumerate(statements) if "EXECUTE atmp_lock_occasion(" in sql)
    assert statements[locked_at].startswith("BEGIN; "), "BEGIN goes with the lock"
    assert "EXECUTE atmp_seat_state(" in statements[locked_at]
    assert "EXECUTE atmp_draw_ids" in statements[locked_at], "the ids are drawn with the lock"
    assert statements[locked_at + 1].count("INSERT INTO") == 4
    assert statements[locked_at + 1].endswith("; COMMIT"), "COMMIT goes with the rows"
    reads = [sql for sql in statements[:locked_at] if "EXECUTE atmp_occasion_to_enrol(" in sql]
    assert reads == [statements[locked_at - 1]], "the occasion, read once, right before the lock"
    assert reads[0].startswith("EXECUTE atmp_user_by_pk("), "with the person's own row, in the same round trip"
    assert len(statements[:locked_at]) == 1, "the person's row is not read again"
    # Django's view of the connection is intact: autocommit again, and a write outside a transaction persists.
    assert connection.get_autocommit() and connection.connection.autocommit
    Enrolment.objects.filter(user=person).update(message="kept")
    connection.close()
    assert Enrolment.objects.get(user=person).message == "kept"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_refusal_under_the_lock_rolls_back_and_leaves_the_connection_usable(course):
    from psycopg.pq import TransactionStatus

    occasion = OccasionFactory(course=course, capacity=5)
    person = make_participant()
    services.enrol(person, occasion.pk)

    with pytest.raises(services.EnrolmentError) as refused:
        services.enrol(person, occasion.pk)  # refused after the lock: already enrolled
    assert refused.value.code == "already_enrolled"
    occasion.status = occasion.Status.CANCELLED
    occasion.save()
    with pytest.raises(services.EnrolmentError) as refused:
        services.enrol(make_participant(), occasion.pk)
    assert refused.value.code == "cancelled"

    assert connection.connection.info.transaction_status == TransactionStatus.IDLE
    assert Enrolment.objects.filter(occasion=occasion).count() == 1
    assert ModelLogEntry.objects.filter(action="enrolment.create").count() == 1
    # The next enrolment, on another occasion, goes through as usual.
    services.enrol(make_participant(), OccasionFactory(course=course, capacity=5).pk)
    assert Enrolment.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_enrolment_inside_an_outer_transaction_keeps_to_it(course):
    # Inside someone else's atomic() block, the enrolment is a savepoint: it must not commit their transaction.
    occasion = OccasionFactory(course=course, capacity=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrol(make_participant(), occasion.pk)
        raise RuntimeError("the caller changes its mind")

    assert not Enrolment.objects.filter(occasion=occasion).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_rows_written_together_equal_those_the_orm_writes(course):
    occasion = OccasionFactory(course=course, capacity=5)
    people = [make_participant(), make_participant()]
    now = timezone.now()

    def made(user):
        return [
            Enrolment(
                user=user,
                occasion=occasion,
                status=Status.CONFIRMED,
                answers={"why": AWKWARD, "nested": [1, 2.5, None, True, {"q": "'"}]},
                message=AWKWARD,
                offer_expires_at=now + dt.timedelta(hours=3),
                fee=decimal.Decimal("4500.50"),
                fee_vat="excl",
                invoice_organisation=AWKWARD[:200],
                cost_centre="K-5120",
                invoice_reference="",
                fee_stands=True,
            ),
            ModelLogEntry(
                content_type_id=1,
                object_id="1",
                label=AWKWARD,
                action="enrolment.create",
                data={"status": "confirmed", "text": AWKWARD},
                uuid=uuid.UUID(int=7),
                user=user,
                timestamp=now,
            ),
            OutboxMessage(
                key=f"test:{user.pk}",
                kind=OutboxMessage.Kind.CONFIRMED,
                user=user,
                email=user.email,
                language="sv",
                occasion=occasion,
                data={"text": AWKWARD},
                attempts=2,
                last_error=AWKWARD,
                next_attempt_at=now,
            ),
        ]

    together, one_by_one = made(people[0]), made(people[1])
    rows.insert(together)
    for row in one_by_one:
        type(row).objects.bulk_create([row])

    def stored(row):
        values = type(row).objects.filter(pk=row.pk).values().get()
        differ = {"id", "user_id", "created_at", "updated_at", "key", "email", "message_id"}  # per person or row
        return {name: value for name, value in values.items() if name not in differ}

    assert all(row.pk for row in together)
    for mine, orms in zip(together, one_by_one, strict=True):
        assert stored(mine) == stored(orms)
    enrolment = Enrolment.objects.get(pk=together[0].pk)
    assert enrolment.created_at and enrolment.updated_at, "auto_now fields are set, as the ORM sets them"


@pytest.mark.django_db
def test_rows_made_by_position_equal_those_made_by_keyword(course, django_assert_num_queries):
    occasion = OccasionFactory(course=course)
    person = make_participant()
    enrolment = Enrolment.objects.create(user=person, occasion=occasion, status=Status.CONFIRMED)
    made = {
        Enrolment: {"user": person, "occasion": occasion, "status": Status.WAITING, "answers": {"a": AWKWARD}},
        ModelLogEntry: {"content_type_id": 1, "object_id": "1", "label": AWKWARD, "action": "x", "user": None},
        OutboxMessage: {"key": "k", "kind": "confirmed", "user": person, "enrolment": enrolment, "event": None},
    }
    for model, fields in made.items():
        by_position, by_keyword = rows.make(model, fields), model(**fields)
        differ = {"created_at", "updated_at", "timestamp", "message_id"}  # made a moment apart, or unique
        values = [
            (field.attname, getattr(by_position, field.attname), getattr(by_keyword, field.attname))
            for field in model._meta.concrete_fields
            if field.attname not in differ
        ]
        assert all(mine == orms for _name, mine, orms in values), values
        for name, instance in fields.items():
            if model._meta.get_field(name).is_relation:
                with django_assert_num_queries(0):
                    assert getattr(by_position, name) is instance, "the related instance given is cached"
        assert by_position._state.adding and by_position.pk is None
    with pytest.raises(TypeError, match="nonsense"):
        rows.make(Enrolment, {"nonsense": 1})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_prepared_reads_are_planned_once_per_connection(client, course):
    """PostgreSQL plans a prepared statement anew on each run (a custom plan) until a generic plan looks as cheap;
    one that never does loses what preparing it was for. EXPLAIN shows a generic plan's values as $n."""
    occasion = OccasionFactory(course=course, capacity=2)
    # A waiting list as long as a rush leaves it, and statistics that know it: what the planner weighs.
    waiting = User.objects.bulk_create(User(email=f"waiting{number}@example.org") for number in range(1500))
    Enrolment.objects.bulk_create(Enrolment(user=user, occasion=occasion, status=Status.WAITING) for user in waiting)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Enrolment._meta.db_table}")
    for _ in range(7):  # after five custom plans PostgreSQL weighs the generic one
        person, _statements = enrol_over_http(client, occasion)

    def plan(statement, params):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {services.prepared.sql(statement, '')}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    seat_state = plan("atmp_seat_state", services._seat_state_params(occasion.pk, person))
    occasion_read = plan("atmp_occasion_to_enrol", [person.pk, True, occasion.pk])
    assert "seats_held_per_occasion" in seat_state, "the seats held are counted from their own index"
    for generic in (seat_state, occasion_read):
        assert re.search(r"= \$\d", generic), generic
        assert not re.search(r"= '?\d+'?::bigint", generic), f"planned for these values:\n{generic}"


def test_the_index_of_seats_held_names_the_statuses_that_hold_a_seat():
    """The seat count reads only this partial index, which PostgreSQL can use only when the statement's statuses
    are the index's own."""
    (index,) = [index for index in Enrolment._meta.indexes if index.name == "seats_held_per_occasion"]
    assert index.condition.children == [("status__in", [str(status) for status in Enrolment.SEAT_STATUSES])]


@pytest.mark.django_db
def test_a_user_by_primary_key_is_the_orms_user(site):
    person = make_participant(first_name=AWKWARD[:30])

    for pk in (person.pk, str(person.pk)):
        found = User.objects.get(pk=pk)
        orms = User.objects.filter(pk=person.pk).get()
        assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
            getattr(orms, f.attname) for f in User._meta.concrete_fields
        ]
        assert not found._state.adding and found._state.db == orms._state.db
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=person.pk + 1000)
    with pytest.raises(ValueError):  # as the ORM says it
        User.objects.get(pk="not a number")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["password changed elsewhere", "account deactivated"])
def test_the_persons_row_read_with_the_occasion_is_still_checked_against_the_session(client, course, change):
    occasion = OccasionFactory(course=course, capacity=5)
    person = make_participant()
    client.force_login(person)
    if change == "password changed elsewhere":
        person.set_password("a new one, chosen on another device")
    else:
        person.is_active = False
    person.save()

    response = client.post(f"/sv/enrol/{occasion.pk}/", {})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"], "logged out, as auth does"
    assert not Enrolment.objects.filter(user=person).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_row_read_for_auth_is_used_for_that_request_only(client, course):
    occasion = OccasionFactory(course=course, capacity=5)
    person, _statements = enrol_over_http(client, occasion)
    User.objects.filter(pk=person.pk).update(first_name="Renamed")

    assert User.objects.get(pk=person.pk).first_name == "Renamed"
