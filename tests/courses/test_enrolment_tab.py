"""The course editor's Enrolment tab: every rule, explained in the owner's language, validated, and told what a
change does to the people already enrolled. Each test posts Wagtail's own edit form, as the browser does."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.test.utils.form_data import querydict_from_html as form_from_html

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import AudienceFactory, CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam, CoursePage
from enrolment import services
from enrolment.models import Enrolment
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db
SWEDISH = {"HTTP_ACCEPT_LANGUAGE": "sv"}


@pytest.fixture
def skane(site):
    return CentreFactory(name="Skånes universitetssjukhus", slug="skane")


@pytest.fixture
def owner(skane):
    user = UserFactory(is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(user)
    return user


@pytest.fixture
def course(skane):
    return create_course(title="Säker hantering av ATMP", centres=[skane])


@pytest.fixture
def editor(client, owner):
    client.force_login(owner)
    return client


def edit_url(course):
    return reverse("wagtailadmin_pages:edit", args=[course.pk])


def question(label, kind="text", choices=(), required=True, help_text=""):
    # A ListBlock posts like a StreamField without types: count, then value/deleted/order per item.
    listed = {str(i): {"value": choice, "deleted": "", "order": str(i)} for i, choice in enumerate(choices)}
    value = {"label": label, "help_text": help_text, "kind": kind, "choices": {"count": str(len(choices)), **listed}}
    if required:
        value["required"] = "on"
    return ("question", value)


def post_edit(client, course, publish=True, questions=None, evaluation=None, **fields):
    """The edit form as the browser shows it, with `fields` changed, saved as a draft or published."""
    data = form_from_html(client.get(edit_url(course), **SWEDISH).content.decode(), form_id="page-edit-form")
    for key in list(data):
        if key.startswith(("body-", "enrolment_questions-", "evaluation_questions-")):
            del data[key]  # StreamFields are drawn by the browser's script; their data is given below
    stream = nested_form_data(
        {
            "body": streamfield([]),
            "enrolment_questions": streamfield(questions or []),
            "evaluation_questions": streamfield(evaluation or []),
        }
    )
    for key, value in {**stream, **fields}.items():
        if isinstance(value, list):
            data.setlist(key, [str(item) for item in value])
        else:
            data[key] = value
    for key, value in list(fields.items()):
        if value is None:
            data.pop(key)
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(edit_url(course), data, follow=True, **SWEDISH)


def block_messages(error):
    """Every message in a StreamField's nested block errors."""
    nested = getattr(error, "block_errors", None)
    if not nested:
        return list(error.messages)
    children = nested.values() if isinstance(nested, dict) else nested
    return [message for child in children for message in block_messages(child)]


def errors_in(response):
    return response.context["form"].errors if response.context and "form" in response.context else {}


def test_the_enrolment_tab_groups_every_rule_in_swedish(editor, course):
    AudienceFactory(name="Läkare", slug="physicians")
    response = editor.get(edit_url(course), **SWEDISH)
    html = response.content.decode()

    assert 'id="tab-label-anmalan"' in html
    for heading in ("Vem får anmäla sig", "Frågor vid anmälan", "Reservlista", "E-post"):
        assert f">{heading}<" in html.replace("\n", "").replace("  ", "")
    rules = [
        "requires_approval",
        "eligible_professions",
        "enrolment_questions",
        "waiting_list_mode",
        "offer_hours",
        "reminder_days",
        "organiser_notices",
        "evaluation_url",
    ]
    assert set(rules) <= set(response.context["form"].fields)
    for label in ("anmälningar måste godkännas", "bara öppen för dessa yrkesroller", "när en plats blir ledig"):
        assert label in html.lower()
    assert "förblir de som redan är bekräftade bekräftade" in html  # what turning approval on does


def test_an_owner_sets_every_rule_and_publishes(editor, course):
    physicians = AudienceFactory(name="Läkare", slug="physicians")
    AudienceFactory(name="Sjuksköterskor", slug="nurses")

    response = post_edit(
        editor,
        course,
        requires_approval="on",
        eligible_professions=[physicians.pk],
        waiting_list_mode="offer",
        offer_hours="24",
        reminder_days="1, 7, 7",
        organiser_notices="daily",
        evaluation_url="https://forms.example.se/utvardering",
        questions=[
            question("Kost", kind="choice", choices=["Vegetarisk", "Vegansk", "Ingen särskild"]),
            question("Vilka moment vill du öva?", kind="multiple_choice", choices=["Tining", "Infusion"]),
            question("Har du hanterat ATMP förut?", kind="yes_no", required=False, help_text="Svara ärligt."),
        ],
    )

    assert errors_in(response) == {}
    course = CoursePage.objects.get(pk=course.pk)
    assert course.requires_approval
    assert list(course.eligible_professions.all()) == [physicians]
    assert (course.waiting_list_mode, course.offer_hours) == ("offer", 24)
    assert course.reminder_days == "7,1"
    assert course.organiser_notices == "daily"
    assert course.evaluation_url == "https://forms.example.se/utvardering"
    kinds = [
        (block.value["label"], block.value["kind"], block.value["required"]) for block in course.enrolment_questions
    ]
    assert kinds == [
        ("Kost", "choice", True),
        ("Vilka moment vill du öva?", "multiple_choice", True),
        ("Har du hanterat ATMP förut?", "yes_no", False),
    ]


def test_offered_seats_need_hours_to_accept(editor, course):
    response = post_edit(editor, course, waiting_list_mode="offer", offer_hours=None)

    assert "offer_hours" in errors_in(response)
    assert "Ange hur många timmar" in response.content.decode()
    assert CoursePage.objects.get(pk=course.pk).waiting_list_mode == "automatic"


def test_offer_hours_are_capped_at_two_weeks(editor, course):
    response = post_edit(editor, course, waiting_list_mode="offer", offer_hours="1000")

    assert "mellan 1 och 336 timmar" in response.content.decode()


def test_without_offers_the_greyed_out_hours_are_kept(editor, course):
    course.offer_hours = 12
    course.save_revision().publish()

    # The field is disabled in the browser unless seats are offered, so it is not posted.
    response = post_edit(editor, course, waiting_list_mode="automatic", offer_hours=None)

    assert errors_in(response) == {}
    assert CoursePage.objects.get(pk=course.pk).offer_hours == 12


def test_reminder_days_must_be_whole_days(editor, course):
    response = post_edit(editor, course, reminder_days="sju, en")

    assert "Ange hela dagar åtskilda med kommatecken" in response.content.decode()
    assert CoursePage.objects.get(pk=course.pk).reminder_days == "7,1"


def test_no_reminders_is_an_empty_field(editor, course):
    post_edit(editor, course, reminder_days="")

    assert CoursePage.objects.get(pk=course.pk).reminder_days == ""


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("choice", ["Bara ett"], "Ange minst två alternativ."),
        ("multiple_choice", ["Samma", "Samma"], "Varje alternativ måste vara olika."),
        (
            "text",
            ["Ett alternativ"],
            "Bara frågor som besvaras med alternativ har alternativ: ta bort dem eller ändra typ av svar.",
        ),  # noqa: E501
    ],
)
def test_questions_are_checked_before_they_reach_the_enrolment_form(editor, course, kind, choices, message):
    response = post_edit(editor, course, questions=[question("Fråga", kind=kind, choices=choices)])

    assert "enrolment_questions" in errors_in(response)
    assert message in block_messages(errors_in(response)["enrolment_questions"].as_data()[0])
    assert list(CoursePage.objects.get(pk=course.pk).enrolment_questions) == []


def test_turning_approval_on_says_confirmed_people_stay_confirmed(editor, course):
    occasion = OccasionFactory(course=course, capacity=10)
    enrolment = services.enrol(make_participant(), occasion.pk)

    response = post_edit(editor, course, requires_approval="on")

    shown = [str(message) for message in response.context["messages"]]
    assert "Nya anmälningar måste nu godkännas av dig; den 1 person som redan är bekräftad förblir bekräftad." in shown
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_a_draft_says_what_publishing_will_do(editor, course):
    occasion = OccasionFactory(course=course, capacity=1)
    services.enrol(make_participant(), occasion.pk)
    services.enrol(make_participant(email="tva@example.se"), occasion.pk)  # waits
    services.enrol(make_participant(email="tre@example.se"), occasion.pk)  # waits

    response = post_edit(editor, course, publish=False, waiting_list_mode="offer", offer_hours="24")

    shown = [str(message) for message in response.context["messages"]]
    assert (
        "När du publicerar: De 2 personerna på reservlistan erbjuds nästa lediga platser och har 24 timmar "
        "på sig att tacka ja." in shown
    )


def test_nothing_is_said_when_nobody_is_enrolled(editor, course):
    response = post_edit(editor, course, requires_approval="on")

    assert [str(message) for message in response.context["messages"] if "godkänn" in str(message)] == []


def test_a_multiple_choice_answer_keeps_the_options_ticked_in_their_order(site):
    course = create_course(site.catalogue["sv"], title="Praktisk övning")
    course.enrolment_questions = [
        question_value("Moment", "multiple_choice", ["Tining", "Infusion", "Transport"]),
    ]
    course.save_revision().publish()
    block_id = course.enrolment_questions[0].id
    occasion = OccasionFactory(course=course)

    enrolment = services.enrol(make_participant(), occasion.pk, {block_id: ["Transport", "Tining"]})

    assert enrolment.answers[block_id] == {"question": "Moment", "answer": ["Tining", "Transport"]}


def test_a_multiple_choice_answer_outside_the_options_is_refused(site):
    course = create_course(site.catalogue["sv"], title="Praktisk övning")
    course.enrolment_questions = [question_value("Moment", "multiple_choice", ["Tining", "Infusion"])]
    course.save_revision().publish()
    block_id = course.enrolment_questions[0].id
    occasion = OccasionFactory(course=course)

    with pytest.raises(services.EnrolmentError) as error:
        services.enrol(make_participant(), occasion.pk, {block_id: ["Tining", {"x": 1}]})

    assert error.value.code == "answers"


def question_value(label, kind, choices, required=True):
    return ("question", {"label": label, "help_text": "", "kind": kind, "choices": choices, "required": required})


def test_translated_questions_stay_in_step_with_the_swedish_ones(site, locale_en, django_capture_on_commit_callbacks):
    from wagtail_localize.models import TranslationSource

    from tests.courses.test_translation_workflow import translate_all_strings

    course = create_course(site.catalogue["sv"], title="Kryokonservering")
    course.enrolment_questions = [question_value("Kost", "choice", ["Vegetarisk", "Vegansk"])]
    course.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate_all_strings(source, locale_en)
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(locale_en)

    # The owner makes the answer optional and adds a question on the Swedish page, then syncs the translation.
    course = CoursePage.objects.get(pk=course.pk)
    course.enrolment_questions[0].value["required"] = False
    course.enrolment_questions.append(question_value("Moment", "multiple_choice", ["Tining", "Infusion"]))
    course.save_revision().publish()
    source.update_from_db()
    translate_all_strings(source, locale_en)
    with django_capture_on_commit_callbacks(execute=True):
        english, _created = source.create_or_update_translation(locale_en)

    english = CoursePage.objects.get(pk=english.pk)
    swedish = CoursePage.objects.get(pk=course.pk)
    assert [(b.id, b.value["kind"], b.value["required"]) for b in english.enrolment_questions] == [
        (b.id, b.value["kind"], b.value["required"]) for b in swedish.enrolment_questions
    ]
    assert [b.value["label"] for b in english.enrolment_questions] == ["EN: Kost", "EN: Moment"]
    assert list(english.enrolment_questions[1].value["choices"]) == ["EN: Tining", "EN: Infusion"]


# --- The fee (courses/fees.py) ---------------------------------------------------------------------------------


def test_an_owner_sets_a_fee_and_an_occasion_of_its_own_price(editor, course):
    occasion = OccasionFactory(course=course)
    html = editor.get(edit_url(course), **SWEDISH).content.decode()
    assert "avgift per kurstillfälle (kr)" in html.lower()
    assert "Exklusive moms (25 procent tillkommer)" in html

    response = post_edit(editor, course, fee="4500", fee_vat="exempt", **{"occasions-0-fee": "1200"})

    assert errors_in(response) == {}
    course = CoursePage.objects.get(pk=course.pk)
    assert (course.fee, course.fee_vat) == (4500, "exempt")
    occasion.refresh_from_db()
    assert occasion.fee == 1200


def test_a_negative_fee_is_refused(editor, course):
    response = post_edit(editor, course, fee="-10")

    assert "fee" in errors_in(response)
    assert CoursePage.objects.get(pk=course.pk).fee is None
