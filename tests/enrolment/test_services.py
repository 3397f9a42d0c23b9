"""The enrolment rules of shared DOMAIN.md, through the services: states, waiting list, deadlines, audit."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import Profession
from courses.factories import AudienceFactory, OccasionFactory, translate_course, translate_snippet
from courses.models import CoursePage, Occasion
from enrolment import services
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EnrolmentEvent
from enrolment.services import EnrolmentError

Status = Enrolment.Status
Kind = EnrolmentEvent.Kind


# --- Helpers ------------------------------------------------------------------------------------------


def enrol(user, occasion, answers=None, **kwargs):
    return services.enrol(user, occasion.pk, answers, **kwargs)


def status_of(enrolment):
    enrolment.refresh_from_db()
    return enrolment.status


def set_rules(course, **fields):
    """Change the course's enrolment rules as an editor would (the services read them from the database)."""
    for name, value in fields.items():
        setattr(course, name, value)
    course.save()
    return course


def set_questions(course, *questions):
    course.enrolment_questions = [("question", question) for question in questions]
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def question(label="Vilken avdelning arbetar du på?", kind="text", choices=(), required=True):
    return {"label": label, "help_text": "", "kind": kind, "choices": list(choices), "required": required}


def log_actions(enrolment):
    return list(ModelLogEntry.objects.for_instance(enrolment).order_by("pk").values_list("action", flat=True))


def event_kinds(enrolment):
    return list(enrolment.events.order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def full_occasion(occasion, participant_factory):
    """The two-seat occasion with both seats confirmed."""
    for _ in range(2):
        enrol(participant_factory(), occasion)
    return occasion


@pytest.fixture
def offer_course(course):
    return set_rules(course, waiting_list_mode="offer", offer_hours=24)


def frozen(when):
    return time_machine.travel(when, tick=False)


# --- Enrol --------------------------------------------------------------------------------------------


def test_enrol_with_a_free_seat_is_confirmed(participant, occasion):
    enrolment = enrol(participant, occasion)

    assert enrolment.status == Status.CONFIRMED
    assert status_of(enrolment) == Status.CONFIRMED


def test_enrol_in_a_course_that_needs_approval_is_pending(participant, course, occasion):
    set_rules(course, requires_approval=True)

    assert enrol(participant, occasion).status == Status.PENDING


def test_pending_enrolments_hold_their_seat(participant_factory, course, occasion):
    set_rules(course, requires_approval=True)
    enrol(participant_factory(), occasion)
    enrol(participant_factory(), occasion)

    assert enrol(participant_factory(), occasion).status == Status.WAITING


def test_enrol_in_a_full_occasion_joins_the_waiting_list(participant, full_occasion):
    enrolment = enrol(participant, full_occasion)

    assert enrolment.status == Status.WAITING
    assert enrolment.waiting_position == 1


def test_seats_taken_never_exceed_capacity(participant_factory, occasion):
    statuses = [enrol(participant_factory(), occasion).status for _ in range(5)]

    assert statuses == [Status.CONFIRMED] * 2 + [Status.WAITING] * 3
    assert Enrolment.objects.filter(occasion=occasion).holding_seats().count() == 2


def test_enrol_in_an_occasion_without_capacity_is_always_confirmed(participant_factory, course):
    occasion = OccasionFactory(course=course, capacity=None)

    assert {enrol(participant_factory(), occasion).status for _ in range(3)} == {Status.CONFIRMED}


def test_enrol_through_the_english_page_enrols_in_the_shared_occasion(participant, course, occasion):
    english = translate_course(course, "en", title="CAR-T cell therapy for nurses")

    enrolment = enrol(participant, occasion, page=english)

    assert enrolment.occasion_id == occasion.pk
    assert enrolment.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("occasion_fields", "code"),
    [
        ({"status": Occasion.Status.CANCELLED}, "cancelled"),
        ({"enrolment_closes": timezone.now() - dt.timedelta(hours=1)}, "closed"),
        ({"enrolment_opens": timezone.now() + dt.timedelta(days=1)}, "not_open"),
        ({"past": True}, "closed"),
    ],
    ids=["cancelled", "closed", "not-yet-open", "past"],
)
def test_enrol_refused_when_the_occasion_does_not_take_enrolments(participant, course, occasion_fields, code):
    occasion = OccasionFactory(course=course, **occasion_fields)

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == code
    assert not Enrolment.objects.filter(occasion=occasion).exists()


def test_enrol_opens_at_enrolment_opens(participant, course):
    opens = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    occasion = OccasionFactory(course=course, enrolment_opens=opens)

    with frozen(opens):
        assert enrol(participant, occasion).status == Status.CONFIRMED


def test_enrol_closes_at_the_start_by_default(participant, occasion):
    with frozen(occasion.start), pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == "closed"


def test_second_active_enrolment_is_refused(participant, occasion):
    first = enrol(participant, occasion)

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == "already_enrolled"
    assert error.value.enrolment == first
    assert Enrolment.objects.filter(user=participant, occasion=occasion).count() == 1


def test_second_enrolment_on_the_waiting_list_is_refused(participant, full_occasion):
    enrol(participant, full_occasion)

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, full_occasion)

    assert error.value.code == "already_enrolled"
    assert Enrolment.objects.filter(user=participant, occasion=full_occasion).count() == 1


def test_enrol_again_after_cancelling(participant, occasion):
    first = enrol(participant, occasion)
    services.cancel(first.pk, participant)

    again = enrol(participant, occasion)

    assert again.pk != first.pk
    assert again.status == Status.CONFIRMED


def test_ineligible_profession_is_refused_with_the_professions_listed(participant_factory, course, occasion):
    physicians = AudienceFactory(name="Läkare", slug="physicians", professions=[Profession.PHYSICIAN])
    pharmacists = AudienceFactory(name="Farmaceuter", slug="pharmacists", professions=[Profession.PHARMACIST])
    set_rules(course, eligible_professions=[physicians, pharmacists])
    nurse = participant_factory()

    with pytest.raises(EnrolmentError) as error:
        enrol(nurse, occasion)

    assert error.value.code == "ineligible"
    assert "Läkare" in str(error.value.message)
    assert "Farmaceuter" in str(error.value.message)
    assert not Enrolment.objects.filter(occasion=occasion).exists()


def test_eligible_profession_may_enrol(participant_factory, course, occasion):
    physicians = AudienceFactory(name="Läkare", slug="physicians", professions=[Profession.PHYSICIAN])
    set_rules(course, eligible_professions=[physicians])

    assert enrol(participant_factory(profession=Profession.PHYSICIAN), occasion).status == Status.CONFIRMED


def test_an_audience_counts_in_any_of_its_languages(participant_factory, course, occasion):
    physicians = AudienceFactory(name="Läkare", slug="physicians", professions=[Profession.PHYSICIAN])
    physicians_en = translate_snippet(physicians, "en", name="Physicians")
    set_rules(course, eligible_professions=[physicians_en])

    assert enrol(participant_factory(profession=Profession.PHYSICIAN), occasion).status == Status.CONFIRMED


def test_unverified_email_is_refused(participant, occasion):
    EmailAddress.objects.filter(user=participant).update(verified=False)

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == "unverified"
    assert not Enrolment.objects.exists()


def test_incomplete_profile_is_refused(participant, occasion):
    participant.workplace = ""
    participant.save()

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == "profile"
    assert not Enrolment.objects.exists()


def test_outdated_privacy_consent_is_refused(participant, occasion):
    participant.privacy_notice_version = "2020-01"
    participant.save()

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion)

    assert error.value.code == "profile"


# --- Questions ----------------------------------------------------------------------------------------


def test_answers_are_stored_by_question_id_with_the_question(participant, course, occasion):
    course = set_questions(course, question("Vilken avdelning arbetar du på?"))
    block_id = course.enrolment_questions[0].id

    enrolment = enrol(participant, occasion, {block_id: "  Hematologen  "})

    enrolment.refresh_from_db()
    assert enrolment.answers == {block_id: {"question": "Vilken avdelning arbetar du på?", "answer": "Hematologen"}}


def test_missing_required_answer_is_refused_with_a_field_error(participant, course, occasion):
    course = set_questions(course, question())
    block_id = course.enrolment_questions[0].id

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion, {block_id: "   "})

    assert error.value.code == "answers"
    assert list(error.value.field_errors) == [block_id]
    assert not Enrolment.objects.exists()


def test_optional_question_may_be_left_empty(participant, course, occasion):
    course = set_questions(course, question(required=False))

    enrolment = enrol(participant, occasion, {})

    assert enrolment.answers == {}


def test_answer_outside_the_choices_is_refused(participant, course, occasion):
    course = set_questions(course, question("Kost", kind="choice", choices=["Vegetarisk", "Ingen preferens"]))
    block_id = course.enrolment_questions[0].id

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion, {block_id: "Pizza"})

    assert block_id in error.value.field_errors
    assert not Enrolment.objects.exists()


def test_answer_among_the_choices_is_stored(participant, course, occasion):
    course = set_questions(course, question("Kost", kind="choice", choices=["Vegetarisk", "Ingen preferens"]))
    block_id = course.enrolment_questions[0].id

    enrolment = enrol(participant, occasion, {block_id: "Vegetarisk"})

    assert enrolment.answers[block_id]["answer"] == "Vegetarisk"


def test_oversized_text_answer_is_refused(participant, course, occasion):
    course = set_questions(course, question())
    block_id = course.enrolment_questions[0].id

    with pytest.raises(EnrolmentError) as error:
        enrol(participant, occasion, {block_id: "x" * 301})

    assert block_id in error.value.field_errors
    assert not Enrolment.objects.exists()


def test_text_answer_of_300_characters_is_accepted(participant, course, occasion):
    course = set_questions(course, question())
    block_id = course.enrolment_questions[0].id

    assert enrol(participant, occasion, {block_id: "x" * 300}).status == Status.CONFIRMED


# --- Approval -----------------------------------------------------------------------------------------


def test_approve_confirms_a_pending_enrolment(participant, admin_user, course, occasion):
    set_rules(course, requires_approval=True)
    enrolment = enrol(participant, occasion)

    services.approve(enrolment.pk, admin_user, "Välkommen!")

    enrolment.refresh_from_db()
    assert enrolment.status == Status.CONFIRMED
    assert enrolment.message == "Välkommen!"


def test_approve_refuses_an_enrolment_that_is_not_pending(participant, admin_user, occasion):
    enrolment = enrol(participant, occasion)

    with pytest.raises(EnrolmentError) as error:
        services.approve(enrolment.pk, admin_user)

    assert error.value.code == "not_pending"


def test_reject_marks_the_enrolment_rejected(participant, admin_user, course, occasion):
    set_rules(course, requires_approval=True)
    enrolment = enrol(participant, occasion)

    services.reject(enrolment.pk, admin_user, "Kursen är för läkare.")

    assert status_of(enrolment) == Status.REJECTED


def test_reject_frees_the_seat_for_the_next_in_line(participant_factory, admin_user, course, occasion):
    set_rules(course, requires_approval=True)
    first, _second = (enrol(participant_factory(), occasion) for _ in range(2))
    waiting = enrol(participant_factory(), occasion)
    assert waiting.status == Status.WAITING

    services.reject(first.pk, admin_user)

    # The course needs approval, so the promoted person awaits the organiser's decision.
    assert status_of(waiting) == Status.PENDING
    assert event_kinds(waiting) == [Kind.WAITLISTED, Kind.PROMOTED]


# --- Cancel -------------------------------------------------------------------------------------------


def test_participant_cancels_before_the_deadline(participant, occasion):
    enrolment = enrol(participant, occasion)

    services.cancel(enrolment.pk, participant)

    assert status_of(enrolment) == Status.CANCELLED


def test_participant_cannot_cancel_after_the_deadline(participant, course):
    occasion = OccasionFactory(course=course, capacity=2)
    occasion.cancellation_deadline = occasion.start - dt.timedelta(days=3)
    occasion.save()
    enrolment = enrol(participant, occasion)

    with frozen(occasion.cancellation_deadline + dt.timedelta(minutes=1)), pytest.raises(EnrolmentError) as error:
        services.cancel(enrolment.pk, participant)

    assert error.value.code == "deadline"
    assert status_of(enrolment) == Status.CONFIRMED


def test_cancellation_deadline_defaults_to_when_enrolment_closes(participant, course):
    closes = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    occasion = OccasionFactory(course=course, enrolment_closes=closes)
    enrolment = enrol(participant, occasion)

    with frozen(closes), pytest.raises(EnrolmentError) as error:
        services.cancel(enrolment.pk, participant)

    assert error.value.code == "deadline"


def test_waiting_person_may_leave_after_the_deadline(participant, full_occasion):
    enrolment = enrol(participant, full_occasion)

    with frozen(full_occasion.start + dt.timedelta(minutes=5)):
        services.cancel(enrolment.pk, participant)

    assert status_of(enrolment) == Status.CANCELLED


def test_organiser_cancels_after_the_deadline(participant, admin_user, occasion):
    enrolment = enrol(participant, occasion)

    with frozen(occasion.start + dt.timedelta(minutes=5)):
        services.cancel(enrolment.pk, admin_user, as_organiser=True, reason="Sjuk")

    enrolment.refresh_from_db()
    assert enrolment.status == Status.CANCELLED
    assert enrolment.message == "Sjuk"


def test_someone_else_cannot_cancel_an_enrolment(participant_factory, occasion):
    enrolment = enrol(participant_factory(), occasion)

    with pytest.raises(EnrolmentError) as error:
        services.cancel(enrolment.pk, participant_factory())

    assert error.value.code == "not_found"
    assert status_of(enrolment) == Status.CONFIRMED


def test_cancelling_twice_is_refused(participant, occasion):
    enrolment = enrol(participant, occasion)
    services.cancel(enrolment.pk, participant)

    with pytest.raises(EnrolmentError) as error:
        services.cancel(enrolment.pk, participant)

    assert error.value.code == "not_active"


def test_cancel_occasion_cancels_every_active_enrolment(participant_factory, admin_user, full_occasion):
    waiting = enrol(participant_factory(), full_occasion)

    services.cancel_occasion(full_occasion.pk, admin_user, reason="Föreläsaren är sjuk")

    full_occasion.refresh_from_db()
    assert full_occasion.is_cancelled
    assert set(Enrolment.objects.filter(occasion=full_occasion).values_list("status", flat=True)) == {Status.CANCELLED}
    assert status_of(waiting) == Status.CANCELLED


def test_cancel_occasion_records_an_occasion_cancelled_event_per_active_enrolment(
    participant_factory, admin_user, occasion
):
    active = [enrol(participant_factory(), occasion) for _ in range(2)]
    earlier = EnrolmentFactory(occasion=occasion, status=Status.CANCELLED)

    services.cancel_occasion(occasion.pk, admin_user, reason="Föreläsaren är sjuk")

    events = EnrolmentEvent.objects.filter(kind=Kind.OCCASION_CANCELLED)
    assert sorted(events.values_list("enrolment_id", flat=True)) == sorted(e.pk for e in active)
    assert {event.data["reason"] for event in events} == {"Föreläsaren är sjuk"}
    assert not earlier.events.exists()


def test_cancelled_occasion_promotes_nobody(participant_factory, admin_user, full_occasion):
    waiting = enrol(participant_factory(), full_occasion)
    services.cancel_occasion(full_occasion.pk, admin_user)

    services.change_capacity(full_occasion.pk, 10, admin_user)

    assert status_of(waiting) == Status.CANCELLED


# --- Waiting list: automatic promotion ----------------------------------------------------------------


def test_cancel_promotes_the_first_in_line_automatically(participant, participant_factory, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant, full_occasion)

    services.cancel(holder.pk, holder.user)

    assert status_of(waiting) == Status.CONFIRMED
    assert event_kinds(waiting) == [Kind.WAITLISTED, Kind.PROMOTED]


def test_promotion_order_equals_join_order(participant_factory, full_occasion):
    holders = list(Enrolment.objects.filter(occasion=full_occasion))
    in_line = [enrol(participant_factory(), full_occasion) for _ in range(3)]

    for holder in holders:
        services.cancel(holder.pk, holder.user)

    promoted = EnrolmentEvent.objects.filter(kind=Kind.PROMOTED).order_by("pk")
    assert list(promoted.values_list("enrolment_id", flat=True)) == [in_line[0].pk, in_line[1].pk]
    assert status_of(in_line[2]) == Status.WAITING
    assert in_line[2].waiting_position == 1


def test_new_enrolment_cannot_jump_the_waiting_list(participant_factory, course, full_occasion):
    waiting = enrol(participant_factory(), full_occasion)
    # A seat frees up without anyone being promoted (an editor changed the row directly).
    Enrolment.objects.filter(occasion=full_occasion, status=Status.CONFIRMED).first().delete()

    latecomer = enrol(participant_factory(), full_occasion)

    assert latecomer.status == Status.WAITING
    assert status_of(waiting) == Status.WAITING


def test_raising_capacity_promotes_waiting_people_in_order(participant_factory, admin_user, full_occasion):
    in_line = [enrol(participant_factory(), full_occasion) for _ in range(3)]

    services.change_capacity(full_occasion.pk, 4, admin_user)

    assert [status_of(e) for e in in_line] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    full_occasion.refresh_from_db()
    assert full_occasion.capacity == 4


def test_capacity_below_the_seats_taken_is_refused(admin_user, full_occasion):
    with pytest.raises(EnrolmentError) as error:
        services.change_capacity(full_occasion.pk, 1, admin_user)

    assert error.value.code == "capacity"
    full_occasion.refresh_from_db()
    assert full_occasion.capacity == 2


def test_no_promotion_once_the_occasion_has_started(participant_factory, admin_user, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant_factory(), full_occasion)

    with frozen(full_occasion.start + dt.timedelta(minutes=5)):
        services.cancel(holder.pk, admin_user, as_organiser=True)

    assert status_of(waiting) == Status.WAITING


# --- Waiting list: offers -----------------------------------------------------------------------------


def test_offer_mode_offers_the_freed_seat_for_offer_hours(participant, offer_course, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant, full_occasion)
    now = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)

    with frozen(now):
        services.cancel(holder.pk, holder.user)

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert waiting.offer_expires_at == now + dt.timedelta(hours=24)
    assert event_kinds(waiting) == [Kind.WAITLISTED, Kind.OFFERED]


def test_offer_expires_at_the_start_at_the_latest(participant, offer_course, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant, full_occasion)

    with frozen(full_occasion.start - dt.timedelta(hours=3)):
        services.cancel(holder.pk, holder.user, as_organiser=True)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == full_occasion.start


def test_offered_seat_is_not_given_to_a_newcomer(participant, participant_factory, offer_course, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    enrol(participant, full_occasion)
    services.cancel(holder.pk, holder.user)

    assert enrol(participant_factory(), full_occasion).status == Status.WAITING


@pytest.fixture
def offered(participant, offer_course, full_occasion):
    """`participant` offered a seat in the full occasion, after a seat holder cancelled."""
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    enrolment = enrol(participant, full_occasion)
    services.cancel(holder.pk, holder.user)
    enrolment.refresh_from_db()
    assert enrolment.status == Status.OFFERED
    return enrolment


def test_accepting_an_offer_confirms(participant, offered):
    services.accept_offer(offered.pk, participant)

    offered.refresh_from_db()
    assert offered.status == Status.CONFIRMED
    assert offered.offer_expires_at is None


def test_someone_else_cannot_accept_an_offer(participant_factory, offered):
    with pytest.raises(EnrolmentError) as error:
        services.accept_offer(offered.pk, participant_factory())

    assert error.value.code == "not_found"
    assert status_of(offered) == Status.OFFERED


def test_accepting_after_the_offer_expired_is_refused(participant, offered):
    with frozen(offered.offer_expires_at), pytest.raises(EnrolmentError) as error:
        services.accept_offer(offered.pk, participant)

    assert error.value.code == "expired"
    assert status_of(offered) == Status.OFFERED


def test_expired_offer_passes_to_the_next_in_line(participant_factory, offered):
    next_in_line = enrol(participant_factory(), offered.occasion)

    with frozen(offered.offer_expires_at + dt.timedelta(minutes=1)):
        assert services.expire_offers() == 1

    assert status_of(offered) == Status.EXPIRED
    assert status_of(next_in_line) == Status.OFFERED


def test_offer_does_not_expire_before_its_deadline(offered):
    with frozen(offered.offer_expires_at - dt.timedelta(minutes=1)):
        assert services.expire_offers() == 0

    assert status_of(offered) == Status.OFFERED


def test_expiring_offers_twice_changes_nothing_more(participant_factory, offered):
    next_in_line = enrol(participant_factory(), offered.occasion)

    with frozen(offered.offer_expires_at + dt.timedelta(minutes=1)):
        services.expire_offers()
        assert services.expire_offers() == 0

    assert event_kinds(offered).count(Kind.OFFER_EXPIRED) == 1
    assert event_kinds(next_in_line) == [Kind.WAITLISTED, Kind.OFFERED]


def test_accepting_an_expired_offer_after_expiry_ran_is_refused(participant, offered):
    with frozen(offered.offer_expires_at + dt.timedelta(minutes=1)):
        services.expire_offers()
        with pytest.raises(EnrolmentError) as error:
            services.accept_offer(offered.pk, participant)

    assert error.value.code == "no_offer"


# --- Audit log and events -----------------------------------------------------------------------------


def test_enrol_writes_an_audit_entry_by_the_person(participant, occasion):
    enrolment = enrol(participant, occasion)

    entry = ModelLogEntry.objects.for_instance(enrolment).get()
    assert entry.action == "enrolment.create"
    assert entry.user == participant
    assert entry.data["status"] == Status.CONFIRMED


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("confirmed", Kind.CONFIRMED),
        ("pending", Kind.PENDING),
        ("waiting", Kind.WAITLISTED),
    ],
)
def test_enrol_records_one_event_of_its_outcome(participant_factory, course, occasion, status, kind):
    set_rules(course, requires_approval=status == "pending")
    if status == "waiting":
        for _ in range(2):
            enrol(participant_factory(), occasion)
    enrolment = enrol(participant_factory(), occasion)

    assert enrolment.status == status
    assert event_kinds(enrolment) == [kind]


def test_approve_is_logged_as_the_organiser(participant, admin_user, course, occasion):
    set_rules(course, requires_approval=True)
    enrolment = enrol(participant, occasion)

    services.approve(enrolment.pk, admin_user)

    entry = ModelLogEntry.objects.for_instance(enrolment).order_by("pk").last()
    assert (entry.action, entry.user) == ("enrolment.approve", admin_user)
    assert event_kinds(enrolment) == [Kind.PENDING, Kind.CONFIRMED]


def test_reject_is_logged_as_the_organiser(participant, admin_user, course, occasion):
    set_rules(course, requires_approval=True)
    enrolment = enrol(participant, occasion)

    services.reject(enrolment.pk, admin_user)

    entry = ModelLogEntry.objects.for_instance(enrolment).order_by("pk").last()
    assert (entry.action, entry.user) == ("enrolment.reject", admin_user)
    assert event_kinds(enrolment) == [Kind.PENDING, Kind.REJECTED]


def test_cancel_is_logged_as_the_person_who_cancelled(participant, occasion):
    enrolment = enrol(participant, occasion)

    services.cancel(enrolment.pk, participant)

    entry = ModelLogEntry.objects.for_instance(enrolment).order_by("pk").last()
    assert (entry.action, entry.user) == ("enrolment.cancel", participant)
    assert event_kinds(enrolment) == [Kind.CONFIRMED, Kind.CANCELLED]


def test_promotion_is_logged_on_the_promoted_enrolment(participant_factory, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant_factory(), full_occasion)

    services.cancel(holder.pk, holder.user)

    assert log_actions(waiting) == ["enrolment.create", "enrolment.promote"]


def test_offer_accept_and_expiry_are_logged(participant_factory, participant, offered):
    next_in_line = enrol(participant_factory(), offered.occasion)
    with frozen(offered.offer_expires_at + dt.timedelta(minutes=1)):
        services.expire_offers()
    next_in_line.refresh_from_db()
    services.accept_offer(next_in_line.pk, next_in_line.user)

    assert log_actions(offered) == ["enrolment.create", "enrolment.offer", "enrolment.expire_offer"]
    assert log_actions(next_in_line) == ["enrolment.create", "enrolment.offer", "enrolment.accept_offer"]
    assert event_kinds(offered) == [Kind.WAITLISTED, Kind.OFFERED, Kind.OFFER_EXPIRED]
    assert event_kinds(next_in_line) == [Kind.WAITLISTED, Kind.OFFERED, Kind.CONFIRMED]


def test_cancel_occasion_logs_each_cancelled_enrolment(participant, admin_user, occasion):
    enrolment = enrol(participant, occasion)

    services.cancel_occasion(occasion.pk, admin_user)

    entry = ModelLogEntry.objects.for_instance(enrolment).order_by("pk").last()
    assert (entry.action, entry.user) == ("enrolment.cancel", admin_user)
    assert ModelLogEntry.objects.for_instance(occasion).filter(action="occasion.cancel").exists()


def test_refused_operation_leaves_no_log_and_no_event(participant, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    logs, events = ModelLogEntry.objects.count(), EnrolmentEvent.objects.count()

    with frozen(full_occasion.start + dt.timedelta(minutes=5)), pytest.raises(EnrolmentError):
        services.cancel(holder.pk, holder.user)

    assert (ModelLogEntry.objects.count(), EnrolmentEvent.objects.count()) == (logs, events)


def test_state_change_and_its_audit_entry_commit_together(participant, occasion):
    # If the event's message cannot be queued, neither the enrolment nor its audit entry may remain (on PostgreSQL
    # they are not even sent: enrolment.rows writes them together at the end).
    with (
        mock.patch.object(services.notifications, "queue_for_event", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        enrol(participant, occasion)

    assert not Enrolment.objects.exists()
    assert not ModelLogEntry.objects.filter(action__startswith="enrolment.").exists()


def test_cancel_and_promotion_roll_back_together(participant_factory, full_occasion):
    holder = Enrolment.objects.filter(occasion=full_occasion).first()
    waiting = enrol(participant_factory(), full_occasion)
    logs = ModelLogEntry.objects.count()

    with (
        mock.patch("enrolment.services.fill_free_seats", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.cancel(holder.pk, holder.user)

    assert status_of(holder) == Status.CONFIRMED
    assert status_of(waiting) == Status.WAITING
    assert ModelLogEntry.objects.count() == logs


def test_unknown_course_question_answers_are_ignored(participant, occasion):
    enrolment = enrol(participant, occasion, {"not-a-question": "x"})

    assert enrolment.answers == {}
