"""The demo content: loads twice without change, leaves no mail due for the newcomer's first start, shows every
enrolment rule and a materials library, and refuses to run where DEBUG is off (it publishes its logins' passwords).

Loading the demo is the slowest thing the suite does, so it is loaded once for this module, in a transaction
rolled back after it; each test runs in a savepoint of its own inside it.
"""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from catalogue.setup import ensure_site
from courses.library import MaterialAccess, MaterialKind, MaterialPage
from courses.models import CoursePage, Occasion
from enrolment import evaluations, notifications
from enrolment.models import Enrolment, EvaluationInvitation, EvaluationResponse, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=False)


def load_demo():
    call_command("load_demo", "--i-know-this-is-not-production", stdout=io.StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module's tests and rolled back after them."""
    documents = tmp_path_factory.mktemp("demo-documents")
    with django_db_blocker.unblock(), override_settings(DOCUMENTS_ROOT=documents), transaction.atomic():
        ensure_site()
        load_demo()
        yield
        transaction.set_rollback(True)


def demo_counts():
    return (
        CoursePage.objects.count(),
        Occasion.objects.count(),
        Enrolment.objects.count(),
        MaterialPage.objects.count(),
        EvaluationResponse.objects.count(),
        EvaluationInvitation.objects.count(),
    )


def test_demo_loads_once_and_sends_no_reminders_on_first_start(demo, db):
    counts = demo_counts()
    assert counts[0] > 10 and counts[2] > 100

    load_demo()

    assert demo_counts() == counts  # no course, occasion, enrolment, material or evaluation twice
    # What the worker's first beat would queue now is already recorded as sent, and nothing is waiting.
    now = timezone.now()
    notifications.queue_reminders(now)
    notifications.queue_follow_ups(now)
    assert evaluations.queue_invitations(now) == evaluations.queue_reminders(now) == 0
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).exists()
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REMINDER, status=OutboxMessage.Status.SENT).exists()
    assert mail.outbox == []


def test_load_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    users = User.objects.count()

    with pytest.raises(CommandError, match="--i-know-this-is-not-production") as refusal:
        call_command("load_demo")

    assert "only with DEBUG on" in str(refusal.value)
    assert User.objects.count() == users  # not one login made


def test_the_demo_library_has_every_kind_access_level_and_centre(demo, db, client):
    swedish = MaterialPage.objects.filter(locale__language_code="sv")

    assert 18 <= swedish.count() <= 25
    assert {material.kind for material in swedish} == set(MaterialKind.values)
    assert {material.access for material in swedish} == set(MaterialAccess.values)
    assert swedish.values("centre").distinct().count() == 5  # four centres and the network itself
    assert MaterialPage.objects.filter(locale__language_code="en").count() == swedish.count()
    assert swedish.filter(course_links__isnull=False).exists()
    assert (
        "Checklista: mottagning av CAR-T-produkt"
        in client.get("/sv/utbildningsmaterial/?centre=skane").content.decode()
    )
    assert "Checklist: receiving a CAR-T product" in client.get("/en/materials/?kind=checklist").content.decode()


def test_the_demo_shows_every_enrolment_rule(demo, site):
    courses = CoursePage.objects.filter(locale__language_code="sv")

    assert courses.filter(requires_approval=True).exists()
    assert courses.filter(eligible_professions__isnull=False).exists()
    assert courses.filter(waiting_list_mode="offer").exists()
    assert courses.exclude(organiser_notices="none").exists()
    assert courses.exclude(evaluation_url="").exists()
    # A course that needs the line manager's approval, with people awaiting their manager's answer.
    manager_course = courses.get(requires_manager_approval=True)
    awaiting = Enrolment.objects.filter(occasion__course=manager_course, status=Enrolment.Status.AWAITING_MANAGER)
    assert awaiting.exists()
    assert all(enrolment.manager_approval.manager_email for enrolment in awaiting)
    kinds = {block.value["kind"] for course in courses for block in course.enrolment_questions}
    assert kinds == {"text", "long_text", "choice", "multiple_choice", "yes_no"}
    # Skåne's owner finds an approval course with questions and people waiting for a decision.
    skane = courses.get(slug="aferes-infor-car-t-tillverkning")
    assert skane.requires_approval and len(skane.enrolment_questions) == 2
    assert Enrolment.objects.filter(occasion__course=skane, status=Enrolment.Status.PENDING).exists()
    answered = Enrolment.objects.filter(occasion__course=skane, status=Enrolment.Status.PENDING).first()
    assert skane.enrolment_questions[0].id in answered.answers
    # Both languages ask the same questions, in their own words.
    english = skane.get_translation(site.catalogue["en"].locale).specific
    assert [block.id for block in english.enrolment_questions] == [block.id for block in skane.enrolment_questions]
    assert english.enrolment_questions[0].value["label"] == "What is your role in apheresis?"


def test_the_demos_past_occasions_have_evaluations_to_read(demo, db):
    past = Occasion.objects.filter(end__lt=timezone.now(), enrolments__status=Enrolment.Status.ATTENDED).distinct()

    shown = [occasion for occasion in past if not evaluations.occasion_results(occasion, "sv").hidden]

    assert shown
    results = evaluations.occasion_results(shown[0], "en")
    assert [result.question.text for result in results.questions][0] == (
        "How satisfied are you with the course as a whole?"
    )
    assert 0 < results.rate < 1


def test_the_demo_has_a_course_with_a_fee_and_people_with_cost_centres(demo, site):
    paid = CoursePage.objects.get(locale__language_code="sv", slug="aseptisk-teknik-och-renrumsarbete")
    assert paid.fee == 4500
    english = paid.get_translation(site.catalogue["en"].locale).specific
    assert english.fee == 4500  # the fee is the course's, in every language
    invoiced = Enrolment.objects.filter(occasion__course=paid, fee=4500).exclude(cost_centre="")
    assert invoiced.count() > 3
    assert not invoiced.filter(invoice_organisation="").exists()
    assert not Enrolment.objects.exclude(occasion__course=paid).exclude(cost_centre="").exists()
