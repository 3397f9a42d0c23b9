"""The e-mails people get from enrolment events, as they see them: language, text, calendar invitations,
exactly once, reminders on the right day and hour, and what happens when the mail server is away.

Tasks run eagerly and mail goes to Django's in-memory outbox; `committed()` runs the after-commit work
(enqueue → send) the way a real commit would.
"""

import datetime as dt
import re
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.factories import OccasionFactory
from courses.models import CoursePage, Occasion
from enrolment import notifications, services
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EnrolmentEvent, ManagerApproval, OutboxMessage
from enrolment.tasks import send_outbox_message

from .conftest import EN_TITLE, STOCKHOLM, SV_TITLE, html_of, invitation, only_event, stockholm

pytestmark = pytest.mark.django_db

Kind = OutboxMessage.Kind
ORGANIZER = "mailto:kurser@atmp-centrum.se"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block and then its after-commit callbacks (enqueue, and with eager tasks, send)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def only_mail_to(address):
    found = mails_to(address)
    assert len(found) == 1, [message.subject for message in found]
    return found[0]


def publish(course_id):
    """An editor publishes the course page (its occasions as they are in the database)."""
    CoursePage.objects.get(pk=course_id).save_revision().publish()


def move(occasion, hours=1):
    occasion.refresh_from_db()
    occasion.start += dt.timedelta(hours=hours)
    occasion.end += dt.timedelta(hours=hours)
    occasion.save()


# --- Confirmation -----------------------------------------------------------------------------------------


def test_confirmation_in_swedish_with_a_calendar_invitation(person, occasion, committed):
    anna = person("sv", first_name="Anna")

    with committed():
        services.enrol(anna, occasion.pk)

    email = only_mail_to(anna.email)
    assert email.to == [anna.email]
    assert email.subject == f"Anmälan bekräftad: {SV_TITLE}"
    assert "Hej Anna!" in email.body
    assert "Du har en plats på" in email.body
    assert "kl. 09.00–16.00" in email.body
    assert "Föreläsningssal 1, Stockholm" in email.body
    assert "avboka senast" in email.body
    html = html_of(email)
    assert '<html lang="sv">' in html
    assert f"Anmälan bekräftad: {SV_TITLE}" in html
    assert "Se din anmälan" in html

    calendar, mimetype = invitation(email)
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    assert calendar["METHOD"] == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == occasion.ical_uid
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == STOCKHOLM
    assert start == occasion.start
    assert start.hour == 9
    assert event.decoded("DTEND") == occasion.end
    assert int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == SV_TITLE
    assert str(event["ORGANIZER"]) == ORGANIZER
    assert str(event["ATTENDEE"]) == f"mailto:{anna.email}"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == STOCKHOLM


def test_confirmation_in_english_for_someone_who_prefers_english(person, occasion, committed):
    erik = person("en", first_name="Erik")

    with committed():
        services.enrol(erik, occasion.pk)

    email = only_mail_to(erik.email)
    assert email.subject == f"Enrolment confirmed: {EN_TITLE}"
    assert "Hello Erik," in email.body
    assert "You have a seat at" in email.body
    assert ", 09:00–16:00" in email.body and "kl." not in email.body
    assert '<html lang="en">' in html_of(email)
    calendar, _ = invitation(email)
    event = only_event(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == occasion.ical_uid
    assert str(event["SUMMARY"]) == EN_TITLE


def test_waiting_list_mail_shows_the_place_in_line(person, occasion, committed):
    with committed():
        for _ in range(2):
            services.enrol(person(), occasion.pk)
        first_waiting, second_waiting = person("sv"), person("en")
        services.enrol(first_waiting, occasion.pk)
        services.enrol(second_waiting, occasion.pk)

    swedish = only_mail_to(first_waiting.email)
    assert swedish.subject == f"Du står på reservlistan: {SV_TITLE}"
    assert "Du är nummer 1 i kön." in swedish.body
    assert invitation(swedish) is None  # no seat, nothing for the calendar yet
    english = only_mail_to(second_waiting.email)
    assert english.subject == f"You are on the waiting list: {EN_TITLE}"
    assert "You are number 2 in line." in english.body


def test_offered_seat_mail_shows_the_deadline_to_accept(person, course, committed):
    course.waiting_list_mode = "offer"
    course.offer_hours = 24
    course.save()
    with time_machine.travel(stockholm(2027, 2, 1, 10, 30), tick=False):
        occasion = OccasionFactory(
            course=course, capacity=1, start=stockholm(2027, 3, 10, 9), end=stockholm(2027, 3, 10, 16)
        )
        holder, sv_waiting = person("sv"), person("sv")
        with committed():
            seat = services.enrol(holder, occasion.pk)
            services.enrol(sv_waiting, occasion.pk)
            services.cancel(seat.pk, holder)

    email = mails_to(sv_waiting.email)[-1]
    assert email.subject == f"Du erbjuds en plats: {SV_TITLE}"
    assert "Tacka ja före 2 feb. 2027 kl. 10.30;" in email.body
    assert "Tacka ja till platsen" in html_of(email)
    assert invitation(email) is None


# --- Cancellation and changes ----------------------------------------------------------------------------


def test_cancellation_cancels_the_calendar_event_with_the_same_uid(person, occasion, committed):
    anna = person("sv")
    with committed():
        enrolment = services.enrol(anna, occasion.pk)
    mail.outbox.clear()

    with committed():
        services.cancel(enrolment.pk, anna)

    email = only_mail_to(anna.email)
    assert email.subject == f"Avbokning bekräftad: {SV_TITLE}"
    assert "är avbokad" in email.body
    calendar, mimetype = invitation(email)
    assert "method=CANCEL" in mimetype
    assert calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert str(event["UID"]) == occasion.ical_uid
    assert str(event["STATUS"]) == "CANCELLED"


def test_cancelling_frees_the_seat_and_the_next_in_line_gets_an_invitation(person, occasion, committed):
    with committed():
        first = services.enrol(holder := person(), occasion.pk)
        services.enrol(person(), occasion.pk)
        services.enrol(waiting := person("en"), occasion.pk)
    mail.outbox.clear()

    with committed():
        services.cancel(first.pk, holder)

    email = only_mail_to(waiting.email)
    assert email.subject == f"You have a seat: {EN_TITLE}"
    calendar, _ = invitation(email)
    assert calendar["METHOD"] == "REQUEST"
    assert str(only_event(calendar)["UID"]) == occasion.ical_uid


def test_a_published_time_change_updates_the_invitation_with_a_higher_sequence(person, occasion, committed):
    anna, erik = person("sv"), person("en")
    with committed():
        services.enrol(anna, occasion.pk)
        services.enrol(erik, occasion.pk)
    mail.outbox.clear()

    move(occasion, hours=1)
    with committed():
        publish(occasion.course_id)

    swedish, english = only_mail_to(anna.email), only_mail_to(erik.email)
    assert swedish.subject == f"Ändrad tid eller plats: {SV_TITLE}"
    assert "kl. 10.00–17.00" in swedish.body
    assert english.subject == f"Changed time or place: {EN_TITLE}"
    for email in (swedish, english):
        calendar, _ = invitation(email)
        event = only_event(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == occasion.ical_uid
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART").hour == 10
        assert str(event.decoded("DTSTART").tzinfo) == STOCKHOLM

    mail.outbox.clear()
    move(occasion, hours=-2)
    with committed():
        publish(occasion.course_id)

    event = only_event(invitation(only_mail_to(anna.email))[0])
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == occasion.ical_uid
    assert event.decoded("DTSTART").hour == 8
    assert len(only_mail_to(erik.email).attachments) == 1


def test_a_change_of_place_is_announced_too(person, occasion, committed):
    anna = person("sv")
    with committed():
        services.enrol(anna, occasion.pk)
    mail.outbox.clear()

    occasion.refresh_from_db()
    occasion.venue = "Aula Medica"
    occasion.save()
    with committed():
        publish(occasion.course_id)

    email = only_mail_to(anna.email)
    assert "Aula Medica" in email.body
    assert int(only_event(invitation(email)[0])["SEQUENCE"]) == 1


def test_publishing_without_a_change_of_time_or_place_sends_nothing(person, occasion, committed):
    with committed():
        services.enrol(person("sv"), occasion.pk)
        services.enrol(person("en"), occasion.pk)
    mail.outbox.clear()

    course = CoursePage.objects.get(pk=occasion.course_id)
    course.summary = "En ny sammanfattning av kursen."
    with committed():
        course.save_revision().publish()
    with committed():
        publish(occasion.course_id)

    assert mail.outbox == []
    occasion.refresh_from_db()
    assert occasion.ical_sequence == 0
    assert not OutboxMessage.objects.filter(kind=Kind.OCCASION_CHANGED).exists()


def test_people_on_the_waiting_list_hear_of_a_change_without_a_calendar_invitation(person, occasion, committed):
    with committed():
        services.enrol(holder := person(), occasion.pk)
        services.enrol(person(), occasion.pk)
        services.enrol(waiting := person(), occasion.pk)
    mail.outbox.clear()

    move(occasion, hours=1)
    with committed():
        publish(occasion.course_id)

    assert invitation(only_mail_to(holder.email)) is not None
    email = only_mail_to(waiting.email)
    assert email.subject == f"Ändrad tid eller plats: {SV_TITLE}"
    assert invitation(email) is None


def test_an_occasion_cancelled_in_the_editor_cancels_the_calendar_event(person, occasion, committed):
    anna, erik = person("sv"), person("en")
    with committed():
        services.enrol(anna, occasion.pk)
        services.enrol(erik, occasion.pk)
    mail.outbox.clear()

    occasion.refresh_from_db()
    occasion.status = Occasion.Status.CANCELLED
    occasion.save()
    with committed():
        publish(occasion.course_id)

    swedish, english = only_mail_to(anna.email), only_mail_to(erik.email)
    assert swedish.subject == f"Inställt: {SV_TITLE}"
    assert "har ställts in av arrangören" in swedish.body
    assert english.subject == f"Cancelled: {EN_TITLE}"
    for email in (swedish, english):
        calendar, mimetype = invitation(email)
        assert "method=CANCEL" in mimetype
        assert calendar["METHOD"] == "CANCEL"
        event = only_event(calendar)
        assert str(event["UID"]) == occasion.ical_uid
        assert str(event["STATUS"]) == "CANCELLED"


def test_an_organiser_cancelling_the_occasion_passes_on_the_reason(person, occasion, committed, admin_user):
    anna = person("sv")
    with committed():
        services.enrol(anna, occasion.pk)
    mail.outbox.clear()

    with committed():
        services.cancel_occasion(occasion.pk, admin_user, reason="Föreläsaren är sjuk.")

    email = only_mail_to(anna.email)
    assert "Meddelande från kursansvarig: Föreläsaren är sjuk." in email.body
    assert invitation(email)[0]["METHOD"] == "CANCEL"


# --- Exactly once -----------------------------------------------------------------------------------------


def test_sending_the_same_message_twice_sends_one_email(person, occasion, django_capture_on_commit_callbacks):
    anna = person("sv")
    with django_capture_on_commit_callbacks(execute=False):  # the row is written; nobody sent it yet
        services.enrol(anna, occasion.pk)
    (message,) = OutboxMessage.objects.filter(email=anna.email)

    assert notifications.send(message.pk) == "sent"
    assert notifications.send(message.pk) == "skipped"

    assert len(mails_to(anna.email)) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_the_task_delivered_twice_sends_one_email(person, occasion, django_capture_on_commit_callbacks):
    anna = person("en")
    with django_capture_on_commit_callbacks(execute=False):
        services.enrol(anna, occasion.pk)
    (message,) = OutboxMessage.objects.filter(email=anna.email)

    send_outbox_message.delay(message.pk)
    send_outbox_message.delay(message.pk)

    assert len(mails_to(anna.email)) == 1


def test_the_outbox_key_keeps_one_row_per_event(person, occasion, committed, monkeypatch):
    enqueued = []
    real_enqueue = notifications.enqueue
    monkeypatch.setattr(
        notifications, "enqueue", lambda message_id: enqueued.append(message_id) or real_enqueue(message_id)
    )
    anna = person("sv")
    with committed():
        enrolment = services.enrol(anna, occasion.pk)
        event = EnrolmentEvent.objects.get(enrolment=enrolment)
        # The same event handled again (a retried job, a bug): the unique key lets no second row in.
        for _ in range(2):
            try:
                with transaction.atomic():
                    notifications.queue_for_event(event)
            except IntegrityError:
                pass

    (message,) = OutboxMessage.objects.filter(event=event)
    assert enqueued == [message.pk]
    assert len(mails_to(anna.email)) == 1


def test_each_event_gets_its_own_message(person, occasion, committed):
    """Cancelling and enrolling again is two confirmations: a new event, a new key."""
    anna = person("sv")
    with committed():
        first = services.enrol(anna, occasion.pk)
        services.cancel(first.pk, anna)
        services.enrol(anna, occasion.pk)

    subjects = [email.subject for email in mails_to(anna.email)]
    assert subjects == [
        f"Anmälan bekräftad: {SV_TITLE}",
        f"Avbokning bekräftad: {SV_TITLE}",
        f"Anmälan bekräftad: {SV_TITLE}",
    ]


# --- Every message in both languages ------------------------------------------------------------------------

# Words that only an English text has; none may survive in a Swedish e-mail (URLs and names removed first).
ENGLISH_WORDS = re.compile(
    r"\b(the|you|your|seat|enrolment|enrolled|waiting|list|cancel\w*|please|thank|calendar|hello|"
    r"reminder|course|courses|offered|approved|owner|changed|welcome|join|accept|materials|questions)\b",
    re.IGNORECASE,
)
SWEDISH_WORDS = re.compile(r"\b(du|din|ditt|och|anmälan|plats|kurs\w*|hej|avboka\w*|reservlistan|tack)\b", re.I)
SWEDISH_SUBJECT_STARTS = {
    Kind.CONFIRMED: "Anmälan bekräftad",
    Kind.PENDING: "Anmälan mottagen",
    Kind.WAITLISTED: "Du står på reservlistan",
    Kind.PROMOTED: "Du har fått en plats",
    Kind.OFFERED: "Du erbjuds en plats",
    Kind.OFFER_EXPIRED: "Den erbjudna platsen har gått vidare",
    Kind.REJECTED: "Anmälan inte godkänd",
    Kind.CANCELLED: "Avbokning bekräftad",
    Kind.OCCASION_CHANGED: "Ändrad tid eller plats",
    Kind.OCCASION_CANCELLED: "Inställt",
    Kind.REMINDER: "Påminnelse",
    Kind.FOLLOW_UP: "Tack för att du deltog",
    Kind.ORGANISER_NOTICE: "Bekräftad",
    Kind.ORGANISER_DIGEST: "Anmälningar och avbokningar",
    Kind.ORGANISER_MESSAGE: "Kursen är fullbokad.",  # the organiser's own subject, as written
    Kind.EVALUATION: "Vad tyckte du om",
    Kind.EVALUATION_REMINDER: "Påminnelse: vad tyckte du om",
    Kind.AWAITING_MANAGER: "Väntar på din chef",
    Kind.MANAGER_DECLINED: "Inte godkänd av din chef",
    Kind.MANAGER_EXPIRED: "Inget svar från din chef",
    Kind.MANAGER_REQUEST: "Godkännande begärs",
    Kind.MANAGER_REMINDER: "Påminnelse",
}
ENROLMENT_STATUS = {
    Kind.PENDING: Enrolment.Status.PENDING,
    Kind.WAITLISTED: Enrolment.Status.WAITING,
    Kind.OFFERED: Enrolment.Status.OFFERED,
    Kind.OFFER_EXPIRED: Enrolment.Status.EXPIRED,
    Kind.REJECTED: Enrolment.Status.REJECTED,
    Kind.CANCELLED: Enrolment.Status.CANCELLED,
    Kind.OCCASION_CANCELLED: Enrolment.Status.CANCELLED,
    Kind.FOLLOW_UP: Enrolment.Status.ATTENDED,
    Kind.EVALUATION: Enrolment.Status.ATTENDED,
    Kind.EVALUATION_REMINDER: Enrolment.Status.ATTENDED,
    Kind.AWAITING_MANAGER: Enrolment.Status.AWAITING_MANAGER,
    Kind.MANAGER_REQUEST: Enrolment.Status.AWAITING_MANAGER,
    Kind.MANAGER_REMINDER: Enrolment.Status.AWAITING_MANAGER,
    Kind.MANAGER_DECLINED: Enrolment.Status.MANAGER_DECLINED,
    Kind.MANAGER_EXPIRED: Enrolment.Status.MANAGER_EXPIRED,
}
MANAGER_KINDS = {kind for kind in ENROLMENT_STATUS if kind.value.startswith(("manager", "awaiting_manager"))}


ORGANISER_MESSAGE = "Kursen är fullbokad."  # what people write is shown as written, in any language
REASON = "Föreläsaren är sjuk."


def visible_text(email):
    """Subject, text body and HTML text without tags, URLs, names, course titles and places."""
    html = re.sub(r"<style.*?</style>|<[^>]+>", " ", html_of(email), flags=re.S)
    text = " ".join([email.subject, email.body, html])
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    for name in (SV_TITLE, EN_TITLE, ORGANISER_MESSAGE, REASON, "Anna", "Föreläsningssal 1", "Stockholm", "ATMP"):
        text = text.replace(name, " ")
    return text


def test_every_message_kind_is_covered_by_this_test():
    assert set(SWEDISH_SUBJECT_STARTS) == set(Kind)


def render_both(kind, occasion, user):
    """The e-mail a message of `kind` becomes, in Swedish and in English, for an enrolment in the right state."""
    enrolment = EnrolmentFactory(
        occasion=occasion,
        user=user,
        status=ENROLMENT_STATUS.get(kind, Enrolment.Status.CONFIRMED),
        offer_expires_at=timezone.now() + dt.timedelta(hours=24) if kind == Kind.OFFERED else None,
        message=ORGANISER_MESSAGE if kind in (Kind.REJECTED, Kind.CANCELLED) else "",
    )
    event = EnrolmentEvent.objects.create(kind=kind, occasion=occasion, enrolment=enrolment, data={"reason": REASON})
    if kind in MANAGER_KINDS:
        now = timezone.now()
        ManagerApproval.objects.create(
            enrolment=enrolment,
            manager_name="Anna",
            manager_email="chef@example.se",
            nonce="n",
            requested_at=now,
            deadline=now + dt.timedelta(days=4),
            message=ORGANISER_MESSAGE if kind == Kind.MANAGER_DECLINED else "",
        )
    rendered = {}
    for language in ("sv", "en"):
        message = OutboxMessage.objects.create(
            key=f"test:{kind}:{language}",
            kind=kind,
            user=user,
            email=user.email,
            language=language,
            occasion=occasion,
            enrolment=enrolment,
            event=event if kind == Kind.OCCASION_CANCELLED else None,
            data={"subject": ORGANISER_MESSAGE, "body": REASON} if kind == Kind.ORGANISER_MESSAGE else {},
        )
        rendered[language] = notifications.build_email(message)
    return rendered["sv"], rendered["en"]


def test_every_message_renders_in_both_languages_without_untranslated_text(person, course, subtests):
    course.evaluation_url = "https://enkat.example.se/atmp"
    course.save()
    occasion = OccasionFactory(course=course, capacity=None, online_link="https://meet.example.se/atmp", mode="hybrid")
    for kind in Kind:
        with subtests.test(kind=kind.value):
            swedish, english = render_both(kind, occasion, person("sv", first_name="Anna"))

            assert swedish.subject.startswith(SWEDISH_SUBJECT_STARTS[kind])
            assert swedish.subject != english.subject
            assert swedish.body != english.body
            assert html_of(swedish) != html_of(english)
            assert "Hej Anna!" in swedish.body and "Hello Anna," in english.body
            assert '<html lang="sv">' in html_of(swedish) and '<html lang="en">' in html_of(english)
            swedish_text, english_text = visible_text(swedish), visible_text(english)
            assert ENGLISH_WORDS.findall(swedish_text) == [], swedish_text
            assert SWEDISH_WORDS.search(swedish_text)
            assert ENGLISH_WORDS.search(english_text)
            assert SWEDISH_WORDS.findall(english_text) == [], english_text
            # The same calendar in both languages (only the words differ).
            assert (invitation(swedish) is None) == (invitation(english) is None)
            if kind in notifications.CALENDAR_METHODS:
                calendar, _ = invitation(swedish)
                assert calendar["METHOD"] == notifications.CALENDAR_METHODS[kind]
                assert str(only_event(calendar)["UID"]) == occasion.ical_uid


# --- Reminders ----------------------------------------------------------------------------------------------


def run_reminders_at(when, committed):
    with time_machine.travel(when, tick=False), committed():
        return notifications.queue_reminders()


def reminders_to(user):
    return [email for email in mails_to(user.email) if email.subject.startswith(("Påminnelse", "Reminder"))]


def enrol_at(when, user, occasion, committed):
    with time_machine.travel(when, tick=False), committed():
        return services.enrol(user, occasion.pk)


def test_reminders_seven_days_and_one_day_before_at_nine_stockholm_time_once_each(person, course, committed):
    occasion = OccasionFactory(course=course, start=stockholm(2027, 5, 20, 9), end=stockholm(2027, 5, 20, 16))
    anna = person("sv")
    enrol_at(stockholm(2027, 4, 1, 12), anna, occasion, committed)

    run_reminders_at(stockholm(2027, 5, 13, 8, 59), committed)
    assert reminders_to(anna) == []

    for minute in (0, 5, 30):  # the beat job runs every few minutes: the first run sends, the rest don't
        run_reminders_at(stockholm(2027, 5, 13, 9, minute), committed)
    (seven_days,) = reminders_to(anna)
    assert seven_days.subject.startswith(f"Påminnelse: {SV_TITLE}, 20 maj 2027 kl. 09.00")
    assert "Välkommen till" in seven_days.body
    assert invitation(seven_days)[0]["METHOD"] == "REQUEST"

    run_reminders_at(stockholm(2027, 5, 19, 8, 59), committed)
    assert len(reminders_to(anna)) == 1
    run_reminders_at(stockholm(2027, 5, 19, 9), committed)
    run_reminders_at(stockholm(2027, 5, 19, 15), committed)
    run_reminders_at(stockholm(2027, 5, 20, 8), committed)
    assert len(reminders_to(anna)) == 2

    sent = OutboxMessage.objects.filter(kind=Kind.REMINDER, email=anna.email).order_by("created_at")
    assert [(message.data["days"], timezone.localtime(message.created_at)) for message in sent] == [
        (7, stockholm(2027, 5, 13, 9)),
        (1, stockholm(2027, 5, 19, 9)),
    ]


def test_the_seven_day_reminder_keeps_the_wall_clock_time_across_the_change_to_summer_time(person, course, committed):
    # Sweden moves to summer time on 28 March 2027: the occasion is at 09.00 CEST (07.00 UTC), the reminder
    # a week before at 09.00 CET (08.00 UTC), not at 07.00 UTC (08.00 local, an hour early).
    start = stockholm(2027, 4, 1, 9)
    assert start.astimezone(dt.UTC).hour == 7
    occasion = OccasionFactory(course=course, start=start, end=stockholm(2027, 4, 1, 16))
    erik = person("en")
    enrol_at(stockholm(2027, 3, 1, 12), erik, occasion, committed)

    run_reminders_at(dt.datetime(2027, 3, 25, 7, 0, tzinfo=dt.UTC), committed)
    run_reminders_at(dt.datetime(2027, 3, 25, 7, 59, tzinfo=dt.UTC), committed)
    assert reminders_to(erik) == []

    run_reminders_at(dt.datetime(2027, 3, 25, 8, 0, tzinfo=dt.UTC), committed)
    (seven_days,) = reminders_to(erik)
    assert seven_days.subject == f"Reminder: {EN_TITLE}, 1 Apr 2027, 09:00–16:00"
    event = only_event(invitation(seven_days)[0])
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTSTART").hour == 9

    # And the one-day reminder, on summer time: 31 March 09.00 CEST = 07.00 UTC.
    run_reminders_at(dt.datetime(2027, 3, 31, 6, 59, tzinfo=dt.UTC), committed)
    assert len(reminders_to(erik)) == 1
    run_reminders_at(dt.datetime(2027, 3, 31, 7, 0, tzinfo=dt.UTC), committed)
    assert len(reminders_to(erik)) == 2


def test_no_seven_day_reminder_for_someone_who_enrolled_two_days_before(person, course, committed):
    occasion = OccasionFactory(course=course, start=stockholm(2027, 5, 20, 9), end=stockholm(2027, 5, 20, 16))
    early, late = person("sv"), person("sv")
    enrol_at(stockholm(2027, 4, 1, 12), early, occasion, committed)
    enrol_at(stockholm(2027, 5, 18, 12), late, occasion, committed)

    for moment in (stockholm(2027, 5, 13, 9), stockholm(2027, 5, 18, 13), stockholm(2027, 5, 19, 9)):
        run_reminders_at(moment, committed)

    assert len(reminders_to(early)) == 2
    assert len(reminders_to(late)) == 1
    assert OutboxMessage.objects.get(kind=Kind.REMINDER, email=late.email).data == {"days": 1}


def test_no_reminders_for_cancelled_enrolments_or_the_waiting_list(person, course, committed):
    occasion = OccasionFactory(
        course=course, capacity=1, start=stockholm(2027, 5, 20, 9), end=stockholm(2027, 5, 20, 16)
    )
    holder, waiting = person(), person()
    enrolment = enrol_at(stockholm(2027, 4, 1, 12), holder, occasion, committed)
    enrol_at(stockholm(2027, 4, 1, 13), waiting, occasion, committed)
    with time_machine.travel(stockholm(2027, 4, 2, 12), tick=False), committed():
        services.cancel(enrolment.pk, holder)  # the waiting person is promoted

    run_reminders_at(stockholm(2027, 5, 13, 9), committed)

    assert reminders_to(holder) == []
    assert len(reminders_to(waiting)) == 1


# --- The mail server fails ------------------------------------------------------------------------------------


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up (outside our control)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


FAILING_BACKEND = f"{__name__}.DisconnectingBackend"


def test_smtp_failure_keeps_the_message_queued_then_gives_up(
    person, occasion, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    anna = person("sv")
    with django_capture_on_commit_callbacks(execute=False):
        services.enrol(anna, occasion.pk)
    (message,) = OutboxMessage.objects.filter(email=anna.email)
    settings.EMAIL_BACKEND = FAILING_BACKEND

    with pytest.raises(notifications.SendFailed):
        notifications.send(message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.last_attempt_at is not None

    with pytest.raises(notifications.SendFailed):
        notifications.send(message.pk)
    assert notifications.send(message.pk) == "failed"

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert "SMTPServerDisconnected" in message.last_error
    assert notifications.send(message.pk) == "skipped"  # a failed message is not retried by itself
    assert mail.outbox == []


def test_the_task_retries_until_the_last_attempt(person, occasion, settings, committed):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.EMAIL_BACKEND = FAILING_BACKEND
    anna = person("sv")

    with committed():  # eager: the retries run one after the other at once
        services.enrol(anna, occasion.pk)

    message = OutboxMessage.objects.get(email=anna.email)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 4
    assert message.last_error.startswith("SMTPServerDisconnected")


class UnknownRecipientBackend(BaseEmailBackend):
    """A mail server that answers 550: the mailbox does not exist (retrying cannot help)."""

    def send_messages(self, email_messages):
        recipient = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({recipient: (550, b"5.1.1 User unknown")})


def test_a_permanent_refusal_fails_at_once_with_the_reason(person, occasion, settings, committed):
    settings.NOTIFICATION_MAX_ATTEMPTS = 8
    settings.EMAIL_BACKEND = f"{__name__}.UnknownRecipientBackend"
    anna = person("sv")

    with committed():
        services.enrol(anna, occasion.pk)

    message = OutboxMessage.objects.get(email=anna.email)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error and "User unknown" in message.last_error


def test_resending_a_failed_message_queues_and_sends_it(person, occasion, settings, committed):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = FAILING_BACKEND
    anna = person("sv")
    with committed():
        services.enrol(anna, occasion.pk)
    message = OutboxMessage.objects.get(email=anna.email)
    assert message.status == OutboxMessage.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    with committed():
        resent = notifications.resend(message.pk)

    assert resent.pk == message.pk
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert only_mail_to(anna.email).subject == f"Anmälan bekräftad: {SV_TITLE}"


def test_resending_a_sent_message_sends_a_copy(person, occasion, committed):
    anna = person("en")
    with committed():
        services.enrol(anna, occasion.pk)
    original = OutboxMessage.objects.get(email=anna.email)

    with committed():
        copy = notifications.resend(original.pk)

    assert copy.pk != original.pk
    assert [email.subject for email in mails_to(anna.email)] == [f"Enrolment confirmed: {EN_TITLE}"] * 2
    copy.refresh_from_db()
    assert copy.status == OutboxMessage.Status.SENT


def test_the_sweep_sends_what_the_broker_never_got(person, occasion, settings, django_capture_on_commit_callbacks):
    anna = person("sv")
    with django_capture_on_commit_callbacks(execute=False):  # as if the broker lost the task
        services.enrol(anna, occasion.pk)
    assert mail.outbox == []

    assert notifications.sweep() == 0  # too young: the task may still be on its way
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 0
    assert notifications.sweep(now=timezone.now() + dt.timedelta(seconds=1)) == 1
    assert notifications.sweep(now=timezone.now() + dt.timedelta(seconds=1)) == 0

    assert len(mails_to(anna.email)) == 1


def test_every_kind_of_message_has_its_text():
    from enrolment.models import EVENT_KINDS

    assert set(notifications.CONTENT) == set(Kind)
    assert set(EVENT_KINDS) <= set(Kind)  # an event sends the message of its own kind: one enum for both
