"""Messages rendered once per language and occasion (enrolment.notifications frames) still reach each person
with their own name, their own enrolment link and their own calendar invitation, and never anyone else's."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from enrolment import notifications, services

from .conftest import html_of, invitation, only_event, parse_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite_text(email):
    content = email.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def mail_to(address):
    (email,) = [email for email in mail.outbox if address in email.to]
    return email


def three_enrolled(person, occasion, committed, first):
    """`first` and Bodil (Swedish) and Cecilia (English) enrolled in one occasion: one frame per language."""
    occasion.capacity = None
    occasion.save()
    people = (person("sv", first_name=first), person("sv", first_name="Bodil"), person("en", first_name="Cecilia"))
    with committed():
        enrolments = {someone: services.enrol(someone, occasion.pk) for someone in people}
    return (*people, enrolments)


def test_people_told_about_one_occasion_each_get_their_own_parts(person, occasion, committed):
    anna, bo, cecilia, enrolments = three_enrolled(person, occasion, committed, "Annelie")

    for someone, others in ((anna, (bo, cecilia)), (bo, (anna, cecilia)), (cecilia, (anna, bo))):
        email = mail_to(someone.email)
        with translation.override(someone.preferred_language):
            link = reverse("enrolment_detail", args=[enrolments[someone].pk])
        text, html = email.body, html_of(email)
        assert f" {someone.first_name}" in text and f" {someone.first_name}" in html
        assert link in text and link in html
        event = only_event(invitation(email)[0])
        assert str(event["ATTENDEE"]) == f"mailto:{someone.email}"
        for other in others:
            with translation.override(other.preferred_language):
                other_link = reverse("enrolment_detail", args=[enrolments[other].pk])
            for part in (text, html, invite_text(email)):
                assert other.first_name not in part
                assert other.email not in part
                assert other_link not in part
        assert "STANDIN" not in text + html + invite_text(email).upper()
    assert mail_to(anna.email).subject == mail_to(bo.email).subject != mail_to(cecilia.email).subject


def test_a_name_is_escaped_in_the_html_and_kept_in_the_text(person, occasion, committed):
    someone = person("en", first_name="<Åsa & Co>")

    with committed():
        services.enrol(someone, occasion.pk)

    email = mail_to(someone.email)
    assert "Hello <Åsa & Co>," in email.body
    assert "Hello &lt;Åsa &amp; Co&gt;," in html_of(email)


def test_someone_without_a_first_name_is_greeted_without_one(person, occasion, committed):
    named, unnamed = person("sv", first_name="Anna"), person("sv", first_name="Namnlös")

    with committed():
        services.enrol(named, occasion.pk)
        services.enrol(unnamed, occasion.pk)
        unnamed.first_name = ""  # (the profile asks for a name; an account from before it did may lack one)
        unnamed.save()

    assert "Hej Anna!" in mail_to(named.email).body
    assert "Hej!" in mail_to(unnamed.email).body


def test_a_moved_occasion_is_told_with_its_new_time(person, occasion, committed):
    occasion.capacity = None
    occasion.save()
    first, second = person("sv"), person("sv")
    with committed():
        services.enrol(first, occasion.pk)
    assert "kl. 09.00–16.00" in mail_to(first.email).body

    occasion.start += dt.timedelta(hours=1)
    occasion.save()
    with committed():
        services.enrol(second, occasion.pk)

    assert "kl. 10.00–16.00" in mail_to(second.email).body


# --- The MIME bytes, built once per frame ----------------------------------------------------------------


def sent_bytes(email):
    """What the SMTP backend sends for this e-mail."""
    return email.message().as_bytes(linesep="\r\n")


def parsed(data):
    return message_from_bytes(data, policy=policy.default)


def leaves(message):
    return [
        (part.get_content_type(), part["Content-Transfer-Encoding"], part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]


def test_each_person_gets_their_own_values_in_the_frames_bytes(person, occasion, committed):
    asa, bo, cecilia, enrolments = three_enrolled(person, occasion, committed, "<Åsa & Co>")

    for someone in (asa, bo, cecilia):
        email = mail_to(someone.email)
        assert email.mime is not None  # put together from the frame's bytes
        data = sent_bytes(email)
        head = data.partition(b"\r\n\r\n")[0]
        assert head.isascii()
        if someone.preferred_language == "sv":
            assert b"Subject: \r\n =?utf-8?q?Anm=C3=A4lan_bekr=C3=A4ftad" in head  # RFC 2047, as Django encodes it
        received = parsed(data)
        # The same as the e-mail package builds from the same texts, but for the date and the boundaries.
        full = parsed(EmailMultiAlternatives.message(email).as_bytes(linesep="\r\n"))
        for header in ("Subject", "From", "To", "Message-ID", "X-ATMP-Message"):
            assert received[header] == full[header]
        assert received["To"] == someone.email
        assert abs(received["Date"].datetime - full["Date"].datetime) < dt.timedelta(minutes=1)
        assert leaves(received) == leaves(full)

        text = received.get_body(("plain",)).get_content()
        html = received.get_body(("html",)).get_content()
        (calendar_part,) = [part for part in received.walk() if part.get_content_type() == "text/calendar"]
        ics = calendar_part.get_content()
        with translation.override(someone.preferred_language):
            link = reverse("enrolment_detail", args=[enrolments[someone].pk])
        assert f" {someone.first_name}" in text and f" {conditional_escape(someone.first_name)}" in html
        assert link in text and link in html
        assert str(only_event(parse_calendar(ics))["ATTENDEE"]) == f"mailto:{someone.email}"
        for other in {asa, bo, cecilia} - {someone}:
            with translation.override(other.preferred_language):
                other_link = reverse("enrolment_detail", args=[enrolments[other].pk])
            for part in (text, html, ics):
                assert other.first_name not in part and conditional_escape(other.first_name) not in part
                assert other.email not in part and other_link not in part
        assert "STANDIN" not in data.decode().upper()

    asa_text = parsed(sent_bytes(mail_to(asa.email))).get_body(("plain",)).get_content()
    asa_html = parsed(sent_bytes(mail_to(asa.email))).get_body(("html",)).get_content()
    assert "Hej <Åsa & Co>!" in asa_text
    assert "Hej &lt;Åsa &amp; Co&gt;!" in asa_html


def test_a_name_that_cannot_go_into_the_bytes_as_it_is_gets_a_message_built_in_full(person, occasion, committed):
    occasion.capacity = None
    occasion.save()
    plain, broken = person("en", first_name="Anna"), person("en", first_name="Anna\nBo")

    with committed():
        services.enrol(plain, occasion.pk)
        services.enrol(broken, occasion.pk)

    assert mail_to(plain.email).mime is not None
    email = mail_to(broken.email)
    assert email.mime is None
    received = parsed(sent_bytes(email))
    assert "Hello Anna\r\nBo," in received.get_body(("plain",)).get_content()  # a line of its own, as always
    assert received["To"] == broken.email


@pytest.mark.parametrize(
    "address", ["anna@example.se", "o'neil+kurs/2027=ja{a}|~#$%&*?^_`-@sjukhus-1.region.se", "x" * 70 + "@example.se"]
)
def test_the_attendee_line_is_what_icalendar_writes(address):
    assert notifications._attendee_line(address) == notifications._icalendar_attendee_line(address)
