"""Downloading one's own data: a private JSON file with everything we hold about the person, and nobody else."""

import json

import pytest
from django.utils import timezone

from accounts import privacy
from courses.factories import translate_course

from .conftest import EMAIL, FREE_TEXT_ANSWER, ORGANISER_MESSAGE, SECOND_EMAIL, WORKPLACE

EXPORT_URL = "/sv/accounts/privacy/export/"


def local_iso(value):
    return timezone.localtime(value).isoformat()


@pytest.fixture
def export(client, rich_person):
    client.force_login(rich_person)
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_needs_a_login(client, site):
    response = client.get(EXPORT_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_export_is_a_private_json_attachment(client, rich_person):
    client.force_login(rich_person)

    response = client.get(EXPORT_URL)

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_the_export_has_a_section_for_every_handler(export):
    assert set(export) == {"exported_at"} | {handler.key for handler in privacy.registry.values()}


def test_the_profile_is_exported(export, rich_person):
    profile = export["profile"]

    assert profile["email"] == EMAIL
    assert (profile["first_name"], profile["last_name"]) == (rich_person.first_name, rich_person.last_name)
    assert profile["workplace"] == WORKPLACE
    assert profile["region"] == "Region Uppsala"
    assert profile["profession"] == "Sjuksköterska"
    assert profile["privacy_notice_version"] == rich_person.privacy_notice_version


def test_e_mail_addresses_and_single_sign_on_links_are_exported(export):
    assert {address["email"] for address in export["email_addresses"]} == {EMAIL, SECOND_EMAIL}
    # Provider and uid only: the provider's profile and tokens are not ours to hand out.
    assert export["social_accounts"] == [{"provider": "openid_connect", "uid": "region-sub-4711"}]


def test_enrolments_are_exported_with_course_occasion_status_answers_and_messages(export, occasion, past_occasion):
    by_start = {enrolment["occasion"]["start"]: enrolment for enrolment in export["enrolments"]}

    upcoming = by_start[local_iso(occasion.start)]
    assert upcoming["course"] == "Cellterapi i praktiken"
    assert upcoming["occasion"]["end"] == local_iso(occasion.end)
    assert upcoming["status"] == "confirmed"
    assert {"question": "Något vi behöver veta?", "answer": FREE_TEXT_ANSWER} in upcoming["answers"]
    assert {"question": "Kost", "answer": "Vegetarisk"} in upcoming["answers"]
    assert [event["kind"] for event in upcoming["events"]] == ["confirmed"]
    attended = by_start[local_iso(past_occasion.start)]
    assert attended["status"] == "attended"
    assert attended["message_from_organiser"] == ORGANISER_MESSAGE


def test_the_course_title_is_in_the_persons_language(client, rich_person, course):
    translate_course(course, "en", title="Cell therapy in practice")
    rich_person.preferred_language = "en"
    rich_person.save()
    client.force_login(rich_person)

    export = json.loads(client.get(EXPORT_URL).content)

    assert {enrolment["course"] for enrolment in export["enrolments"]} == {"Cell therapy in practice"}


def test_messages_sent_to_the_person_are_exported(export):
    messages = {message["kind"]: message for message in export["messages"]}

    assert messages["reminder"]["status"] == "failed"
    assert messages["reminder"]["email"] == SECOND_EMAIL
    assert messages["confirmed"]["email"] == EMAIL
    assert "subject" not in messages["confirmed"]


def test_audit_entries_about_the_persons_enrolments_are_exported_without_organiser_names(export):
    actions = [(entry["action"], entry["by"]) for entry in export["audit_log"]]

    assert ("enrolment.create", "you") in actions
    assert ("enrolment.approve", "organiser") in actions
    assert "kursansvarig@example.se" not in json.dumps(export)


def test_the_export_holds_nobody_elses_data(export, next_in_line):
    text = json.dumps(export, ensure_ascii=False)

    assert next_in_line.email not in text
    assert next_in_line.last_name not in text


def test_secrets_are_not_exported(export, rich_person):
    text = json.dumps(export)

    assert rich_person.calendar_token not in text
    assert rich_person.password not in text


def test_exported_at_is_now(export):
    exported_at = timezone.datetime.fromisoformat(export["exported_at"])

    assert abs((timezone.now() - exported_at).total_seconds()) < 60
