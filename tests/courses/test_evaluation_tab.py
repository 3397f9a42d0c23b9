"""The course editor's Evaluation tab: the network's questions shown read-only, the course's own questions as
blocks (1–5 scale, single choice, free text) checked before they reach anyone, translated with the page; the
network's default evaluation edited by network admins only."""

import pytest
from wagtail_localize.models import StringSegment, TranslationSource

from courses.centres import network_admins
from courses.evaluation import DefaultEvaluation, evaluation_of
from courses.factories import default_evaluation, translate_course
from courses.models import CoursePage

from .test_enrolment_tab import SWEDISH, course, edit_url, editor, errors_in, owner, post_edit, skane  # noqa: F401

pytestmark = pytest.mark.django_db


def scale(question, low="", high=""):
    return ("scale", {"question": question, "help_text": "", "low_label": low, "high_label": high})


def choice(question, choices):
    listed = {str(i): {"value": text, "deleted": "", "order": str(i)} for i, text in enumerate(choices)}
    return ("choice", {"question": question, "help_text": "", "choices": {"count": str(len(choices)), **listed}})


def free_text(question):
    return ("text", {"question": question, "help_text": ""})


def test_the_evaluation_tab_shows_the_networks_questions_and_takes_the_courses_own(editor, course):  # noqa: F811
    default_evaluation()

    html = editor.get(edit_url(course), **SWEDISH).content.decode()
    response = post_edit(
        editor,
        course,
        evaluation_enabled="on",  # checked (the form reader sends a checked box without a value as "")
        evaluation=[
            scale("Hur var lokalen?", "Dålig", "Utmärkt"),
            choice("Passade kurslängden?", ["För kort", "Lagom", "För lång"]),
            free_text("Vilket moment var mest givande?"),
        ],
    )

    assert 'id="tab-label-utvardering"' in html
    assert "Hur nöjd är du med kursen som helhet?" in html  # the network's, shown on the tab
    assert "Redigera nätverkets frågor" not in html  # a course owner cannot change the network's questions
    assert errors_in(response) == {}
    course = CoursePage.objects.get(pk=course.pk)
    _intro, questions = evaluation_of(course)
    assert [(q.kind, q.text, q.from_network) for q in questions][-3:] == [
        ("scale", "Hur var lokalen?", False),
        ("choice", "Passade kurslängden?", False),
        ("text", "Vilket moment var mest givande?", False),
    ]
    assert [q.from_network for q in questions[:-3]] == [True] * 4


def test_a_choice_question_needs_two_different_choices(editor, course):  # noqa: F811
    response = post_edit(editor, course, evaluation=[choice("Passade kurslängden?", ["Lagom"])])

    assert "evaluation_questions" in errors_in(response)
    assert not CoursePage.objects.get(pk=course.pk).evaluation_questions


def test_the_courses_questions_are_translated_with_the_page_and_keep_their_ids(course):  # noqa: F811
    course.evaluation_questions = [{"type": "text", "value": {"question": "Vad saknade du?", "help_text": ""}}]
    course.save_revision().publish()

    source, _created = TranslationSource.get_or_create_from_instance(course)
    english = translate_course(course, "en", title="Safe handling of ATMP")

    segments = set(StringSegment.objects.filter(source=source).values_list("string__data", flat=True))
    assert "Vad saknade du?" in segments
    assert [block.id for block in english.evaluation_questions] == [block.id for block in course.evaluation_questions]


def test_only_network_admins_edit_the_default_evaluation(client, owner):  # noqa: F811
    default = default_evaluation()
    url = f"/admin/snippets/courses/defaultevaluation/edit/{default.pk}/"
    admin = type(owner).objects.create(email="admin@example.se", is_staff=True)
    network_admins().user_set.add(admin)

    client.force_login(owner)
    refused = client.get(url)
    client.force_login(admin)
    allowed = client.get(url)

    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert allowed.status_code == 200
    assert DefaultEvaluation.for_language("en").questions[0].value["question"] == (
        "How satisfied are you with the course as a whole?"
    )
