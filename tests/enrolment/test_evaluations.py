"""Evaluations after an occasion: who is asked and when (once, in their language, one reminder), answering by the
personal link (once, anonymously, with clear messages for bad links), and the rule that hides small results."""

import datetime as dt

import pytest
from django.db import models
from django.utils import timezone, translation

from courses.factories import (
    OccasionFactory,
    create_course,
    default_evaluation,
    evaluation_block,
    translate_course,
)
from courses.models import CoursePage
from enrolment import evaluations
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EvaluationInvitation, EvaluationResponse, OutboxMessage
from enrolment.notifications import build_email

from .conftest import make_participant

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
SATISFIED, USEFUL, RECOMMEND, BETTER = (f"5f0b2d1e-0000-4000-8000-00000000000{n}" for n in range(1, 5))
OWN = "0c0ffee0-0000-4000-8000-000000000001"


@pytest.fixture
def course(site):
    default_evaluation()
    course = create_course(title="CAR-T-cellsbehandling")
    course.evaluation_questions = [
        evaluation_block("scale", OWN, ("Hur var lokalen?", "Dålig", "Utmärkt")),
    ]
    course.save_revision().publish()
    english = translate_course(course, "en", title="CAR-T cell therapy")
    english.evaluation_questions = [evaluation_block("scale", OWN, ("How was the venue?", "Poor", "Excellent"))]
    english.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def ended(course):
    """An occasion that ended two hours ago."""
    now = timezone.now()
    return OccasionFactory(course=course, start=now - dt.timedelta(hours=9), end=now - dt.timedelta(hours=2))


def attend(occasion, language="sv", status=Status.ATTENDED):
    return EnrolmentFactory(occasion=occasion, user=make_participant(preferred_language=language), status=status)


def invite(occasion, count=1):
    enrolments = [attend(occasion) for _ in range(count)]
    evaluations.queue_invitations()
    return enrolments


def token(enrolment):
    return evaluations.token_for(enrolment.pk)


# --- Who is asked ----------------------------------------------------------------------------------------


def test_each_attended_participant_is_invited_once_in_their_language(ended):
    anna, john = attend(ended, "sv"), attend(ended, "en")
    attend(ended, status=Status.NO_SHOW)
    attend(ended, status=Status.CANCELLED)

    assert evaluations.queue_invitations() == 2
    assert evaluations.queue_invitations() == 0

    messages = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EVALUATION).order_by("pk")
    assert [(m.enrolment, m.language) for m in messages] == [(anna, "sv"), (john, "en")]
    english = build_email(messages[1])
    assert english.subject == "What did you think of CAR-T cell therapy?"
    assert f"/en/evaluation/{token(john)}/" in english.body
    swedish = build_email(messages[0])
    assert f"/sv/utvardering/{token(anna)}/" in swedish.body
    # The link's token is not stored, only its hash.
    assert EvaluationInvitation.objects.get(enrolment=anna).token_hash == evaluations.hash_of(token(anna))
    assert not OutboxMessage.objects.filter(data__has_key="token").exists()


def test_nobody_is_invited_before_the_occasion_ends_or_when_the_course_does_not_evaluate(course, ended):
    now = timezone.now()
    running = OccasionFactory(course=course, start=now - dt.timedelta(hours=3), end=now + dt.timedelta(hours=3))
    attend(running)
    CoursePage.objects.filter(translation_key=course.translation_key).update(evaluation_enabled=False)
    attend(ended)

    assert evaluations.queue_invitations() == 0


def test_the_thank_you_mail_leaves_out_the_external_form_when_the_course_evaluates_here(ended):
    CoursePage.objects.filter(pk=ended.course_id).update(evaluation_url="https://enkat.example.se/atmp")
    enrolment = attend(ended)
    from enrolment import notifications

    notifications.queue_follow_ups()
    follow_up = OutboxMessage.objects.get(kind=OutboxMessage.Kind.FOLLOW_UP, enrolment=enrolment)

    assert "enkat.example.se" not in build_email(follow_up).body


def test_one_reminder_goes_after_four_days_to_those_who_have_not_answered(ended):
    anna, erik = invite(ended, 2)
    evaluations.submit(token(erik), {SATISFIED: 5})
    now = timezone.now()

    assert evaluations.queue_reminders(now + dt.timedelta(days=3)) == 0
    assert evaluations.queue_reminders(now + dt.timedelta(days=4, minutes=1)) == 1
    assert evaluations.queue_reminders(now + dt.timedelta(days=5)) == 0

    (reminder,) = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EVALUATION_REMINDER)
    assert reminder.enrolment == anna
    assert f"/sv/utvardering/{token(anna)}/" in build_email(reminder).body


def test_no_reminder_once_the_evaluation_has_closed(ended):
    invite(ended)

    assert evaluations.queue_reminders(timezone.now() + dt.timedelta(days=40)) == 0


# --- Answering --------------------------------------------------------------------------------------------


def test_a_response_is_stored_without_the_person(ended):
    (anna,) = invite(ended)

    evaluations.submit(token(anna), {SATISFIED: 4, BETTER: "Mer tid för frågor"})

    response = EvaluationResponse.objects.get()
    assert response.answers == {SATISFIED: 4, BETTER: "Mer tid för frågor"}
    assert response.submitted_on == timezone.localdate()
    # Nothing on the response points at a person, an enrolment or an invitation.
    related = {f.related_model for f in EvaluationResponse._meta.get_fields() if isinstance(f, models.ForeignKey)}
    assert related == {type(ended)}
    assert EvaluationInvitation.objects.get().answered_on == timezone.localdate()
    assert EvaluationInvitation._meta.get_field("answered_on").get_internal_type() == "DateField"


def test_the_form_asks_the_networks_questions_then_the_courses_in_the_links_language(client, ended):
    (john,) = invite(ended)

    page = client.get(f"/en/evaluation/{token(john)}/").content.decode()

    assert "Evaluation: CAR-T cell therapy" in page
    questions = ["How satisfied are you with the course", "Would you recommend", "How was the venue?"]
    assert [page.index(question) for question in questions] == sorted(page.index(q) for q in questions)
    assert "5 – Very satisfied" in page


def test_answering_by_the_link_thanks_the_person_and_a_second_attempt_stores_nothing(client, ended):
    (anna,) = invite(ended)
    url = f"/sv/utvardering/{token(anna)}/"

    first = client.post(url, {f"e_{SATISFIED}": "5", f"e_{RECOMMEND}": "0", f"e_{BETTER}": "  Fler fall  "})
    second = client.post(url, {f"e_{SATISFIED}": "1"})

    assert first.status_code == 200
    assert "Tack för dina svar" in first.content.decode()
    assert second.status_code == 409
    assert "Du har redan svarat på den här utvärderingen" in second.content.decode()
    assert list(EvaluationResponse.objects.values_list("answers", flat=True)) == [
        {SATISFIED: 5, RECOMMEND: 0, BETTER: "Fler fall"}
    ]


def test_an_empty_or_out_of_range_answer_is_refused_with_a_message(client, ended):
    (anna,) = invite(ended)
    url = f"/sv/utvardering/{token(anna)}/"

    empty = client.post(url, {})
    out_of_range = client.post(url, {f"e_{SATISFIED}": "9"})

    assert empty.status_code == 400
    assert "Svara på minst en fråga" in empty.content.decode()
    assert out_of_range.status_code == 400
    assert "Välj ett giltigt alternativ" in out_of_range.content.decode()
    assert not EvaluationResponse.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/sv/utvardering/abc/", "Den här länken till utvärderingen är inte giltig"),
        ("/en/evaluation/" + "0" * 64 + "/", "This evaluation link is not valid"),
        ("/en/evaluation/%3Cscript%3E/", "This evaluation link is not valid"),
    ],
)
def test_a_tampered_link_gets_a_clear_message(client, ended, url, message):
    invite(ended)

    response = client.get(url)

    assert response.status_code == 404
    assert message in response.content.decode()


def test_a_link_after_the_evaluation_closed_says_so_and_stores_nothing(client, ended):
    (anna,) = invite(ended)
    closed = ended.end - dt.timedelta(days=31)
    type(ended).objects.filter(pk=ended.pk).update(start=closed - dt.timedelta(hours=7), end=closed)

    response = client.post(f"/sv/utvardering/{token(anna)}/", {f"e_{SATISFIED}": "5"})

    assert response.status_code == 410
    assert "Utvärderingen har stängt" in response.content.decode()
    assert not EvaluationResponse.objects.exists()


# --- Results ----------------------------------------------------------------------------------------------


def answer(occasion, *answer_sets):
    for answers in answer_sets:
        (enrolment,) = invite(occasion)
        evaluations.submit(token(enrolment), answers)


def test_an_occasion_with_fewer_than_three_answers_has_its_results_hidden(ended):
    answer(ended, {SATISFIED: 5, BETTER: "Bra"}, {SATISFIED: 4})

    two = evaluations.occasion_results(ended, "sv")
    answer(ended, {SATISFIED: 2})
    three = evaluations.occasion_results(ended, "sv")

    assert (two.hidden, two.responses, two.questions) == (True, 2, [])
    assert three.hidden is False
    satisfied = three.questions[0]
    assert [(bar.label, bar.count) for bar in satisfied.bars] == [("1", 0), ("2", 1), ("3", 0), ("4", 1), ("5", 1)]
    assert satisfied.mean == pytest.approx(11 / 3)
    assert three.questions[3].texts == ["Bra"]
    assert three.rate == 1


def test_a_course_over_time_leaves_hidden_occasions_out_of_its_figures(course, ended):
    earlier = OccasionFactory(
        course=course, start=ended.start - dt.timedelta(days=10), end=ended.end - dt.timedelta(days=10)
    )
    answer(earlier, {SATISFIED: 1}, {SATISFIED: 1})  # two answers: hidden
    answer(ended, {SATISFIED: 5}, {SATISFIED: 5}, {SATISFIED: 4})

    results = evaluations.course_results(course, course.all_occasions, "sv")

    assert [(row.occasion, row.responses, row.hidden) for row in results.occasions] == [
        (earlier, 2, True),
        (ended, 3, False),
    ]
    assert [bar.count for bar in results.questions[0].bars] == [0, 0, 0, 1, 2]
    assert (results.invited, results.responses) == (5, 5)


def test_results_are_read_in_the_viewers_language_whatever_language_people_answered_in(ended):
    answer(ended, {RECOMMEND: 0}, {RECOMMEND: 0}, {RECOMMEND: 2})

    with translation.override("en"):
        english = evaluations.occasion_results(ended, "en")

    recommend = english.questions[2]
    assert [(bar.label, bar.count) for bar in recommend.bars] == [("Yes", 2), ("Maybe", 0), ("No", 1)]


# --- Privacy ----------------------------------------------------------------------------------------------


def test_a_persons_export_says_what_they_were_asked_and_erasure_keeps_only_answered_invitations(ended):
    from types import SimpleNamespace

    from accounts import privacy

    anna, erik = invite(ended, 2)
    evaluations.submit(token(erik), {SATISFIED: 5})
    handler = privacy.registry["enrolment.EvaluationInvitation"]

    (exported,) = handler.export(anna.user)
    handler.erase(SimpleNamespace(user=anna.user))
    handler.erase(SimpleNamespace(user=erik.user))

    assert exported["course"] == "CAR-T-cellsbehandling" and exported["answered"] is False
    assert "answers" not in exported
    # Anna's unanswered invitation goes (no reminder to an erased person); Erik's answer keeps the rate true.
    assert list(EvaluationInvitation.objects.values_list("enrolment", flat=True)) == [erik.pk]
    assert EvaluationResponse.objects.count() == 1


def test_a_question_added_after_the_translation_is_in_the_results_in_the_originals_words(course, ended):
    course.evaluation_questions = [
        *[{"type": b.block_type, "id": b.id, "value": b.value} for b in course.evaluation_questions],
        evaluation_block("text", "0c0ffee0-0000-4000-8000-000000000002", ("Något mer?",)),
    ]
    course.save_revision().publish()

    texts = [result.question.text for result in evaluations.occasion_results(ended, "en").questions or []]
    questions = [question.text for question in evaluations.questions_in(CoursePage.objects.get(pk=course.pk), "en")]

    assert texts == []  # no answers yet: hidden
    assert questions[-2:] == ["How was the venue?", "Något mer?"]
