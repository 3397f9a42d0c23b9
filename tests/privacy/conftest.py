"""Fixtures for the privacy tests: a person with data in every place we keep it, and a search for traces of
them in every column of every table."""

import datetime as dt

import pytest
from allauth.socialaccount.models import SocialAccount
from django.db import connection
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from courses.factories import OccasionFactory, create_course
from courses.models import CoursePage
from enrolment import services
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, OutboxMessage
from tests.enrolment.conftest import make_participant

# Made-up, ASCII (JSON columns escape other characters) and unlike anything else in the test database.
EMAIL = "zlatana.quexberg@example.se"
SECOND_EMAIL = "z.quexberg@region-test.example"
FIRST_NAME = "Zlatana"
LAST_NAME = "Quexberg"
WORKPLACE = "Vrinnevikliniken Ost"
FREE_TEXT_ANSWER = "allergic to xylophonium"
ORGANISER_MESSAGE = "Zlatana, bring your badge"
TRACES = [EMAIL, SECOND_EMAIL, FIRST_NAME, LAST_NAME, WORKPLACE, FREE_TEXT_ANSWER, ORGANISER_MESSAGE]


def stockholm(*args):
    """An aware datetime, wall-clock time in Stockholm."""
    return timezone.make_aware(dt.datetime(*args), timezone.get_default_timezone())


def question(label, kind="text", choices=()):
    return {"label": label, "help_text": "", "kind": kind, "choices": list(choices), "required": False}


def set_questions(course, *questions):
    course.enrolment_questions = [("question", q) for q in questions]
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def make_person(**fields):
    """A participant who may enrol, with a workplace of their own."""
    fields.setdefault("email", EMAIL)
    fields.setdefault("first_name", FIRST_NAME)
    fields.setdefault("last_name", LAST_NAME)
    person = make_participant(**fields)
    person.workplace = WORKPLACE
    person.save(update_fields=["workplace"])
    return person


@pytest.fixture
def course(site):
    course = create_course(site.catalogue["sv"], title="Cellterapi i praktiken")
    return set_questions(
        course,
        question("Något vi behöver veta?"),
        question("Kost", kind="choice", choices=["Vegetarisk", "Ingen preferens"]),
    )


@pytest.fixture
def question_ids(course):
    text, choice = course.enrolment_questions
    return text.id, choice.id


@pytest.fixture
def occasion(course):
    """One seat, a month ahead."""
    return OccasionFactory(course=course, capacity=1)


@pytest.fixture
def past_occasion(course):
    return OccasionFactory(course=course, start=timezone.now() - dt.timedelta(days=60))


@pytest.fixture
def organiser(site):
    return UserFactory(email="kursansvarig@example.se", first_name="Olga", last_name="Organiser", is_staff=True)


@pytest.fixture
def person(site):
    return make_person()


@pytest.fixture
def next_in_line(site):
    return make_participant(email="nasta.i.kon@example.se", first_name="Nils", last_name="Nasta")


@pytest.fixture
def rich_person(person, course, question_ids, occasion, past_occasion, organiser, next_in_line):
    """The person with data everywhere we keep it: a seat ahead (with someone waiting for it), an attended
    occasion with answers and a message, messages sent and failed, audit entries, a second address, a
    single sign-on link and Wagtail preferences."""
    text_id, choice_id = question_ids
    services.enrol(person, occasion.pk, {text_id: FREE_TEXT_ANSWER, choice_id: "Vegetarisk"})
    services.enrol(next_in_line, occasion.pk)  # waits for the person's seat

    attended = EnrolmentFactory(
        occasion=past_occasion,
        user=person,
        status=Enrolment.Status.ATTENDED,
        answers={text_id: {"question": "Något vi behöver veta?", "answer": FREE_TEXT_ANSWER}},
        message=ORGANISER_MESSAGE,
    )
    log(instance=attended, action="enrolment.approve", user=organiser, data={"status": "confirmed", "to": EMAIL})
    log(instance=person, action="wagtail.edit", user=organiser)  # label: the person's name
    OutboxMessage.objects.create(
        key="test:failed",
        kind=OutboxMessage.Kind.REMINDER,
        status=OutboxMessage.Status.FAILED,
        user=person,
        email=SECOND_EMAIL,
        occasion=past_occasion,
        enrolment=attended,
        last_error=f"SMTPRecipientsRefused: {{'{SECOND_EMAIL}': (550, b'No such user')}}",
        data={"days": 1},
    )
    person.emailaddress_set.create(email=SECOND_EMAIL, verified=True, primary=False)
    SocialAccount.objects.create(
        user=person,
        provider="openid_connect",
        uid="region-sub-4711",
        extra_data={"email": EMAIL, "name": f"{FIRST_NAME} {LAST_NAME}", "given_name": FIRST_NAME},
    )
    UserProfile.get_for_user(person)
    return person


def text_columns():
    """(table, column) for every column of every table (views left out), whatever its type: a name can hide
    in text, JSON, or a search index's own column type."""
    with connection.cursor() as cursor:
        tables = [table.name for table in connection.introspection.get_table_list(cursor) if table.type == "t"]
        return [
            (table, column.name)
            for table in tables
            for column in connection.introspection.get_table_description(cursor, table)
        ]


def traces_of(*needles):
    """Where any of `needles` still appears: [(table, column, needle)], case-insensitively."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",  # noqa: S608 - names from introspection
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column, needle))
    return found
