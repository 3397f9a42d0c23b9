"""Messages rendered once per language and occasion (enrolment.notifications frames) still reach each person
with their own name, their own enrolment link and their own calendar invitation, and never anyone else's."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from enrolment import services

from .conftest import html_of, invitation, only_event

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


def test_people_told_about_one_occasion_each_get_their_own_parts(person, occasion, committed):
    occasion.capacity = None
    occasion.save()
    anna, bo = person("sv", first_name="Annelie"), person("sv", first_name="Bodil")
    cecilia = person("en", first_name="Cecilia")

    with committed():
        enrolments = {someone: services.enrol(someone, occasion.pk) for someone in (anna, bo, cecilia)}

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
