"""Deleting one's own account: confirmed with the password (or a word, for single sign-on), the seats go to
the waiting list by the normal rules, and nothing that identifies the person is left in any table."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.db.models import Count
from wagtail.models import ModelLogEntry

from accounts import privacy
from accounts.factories import DEMO_PASSWORD
from accounts.models import User
from enrolment.models import Enrolment, EnrolmentEvent, OutboxMessage

from .conftest import EMAIL, SECOND_EMAIL, TRACES, traces_of

Status = Enrolment.Status
DELETE_URL = "/sv/accounts/privacy/delete/"


def is_private(response):
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= parts


def counts_per_occasion_and_status():
    return sorted(Enrolment.objects.values_list("occasion_id", "status").annotate(n=Count("pk")))


@pytest.fixture
def logged_in(client, rich_person):
    client.force_login(rich_person)
    return client


def delete(client, django_capture_on_commit_callbacks, **data):
    """POST the confirmation, running what the deletion does after commit (the messages it causes)."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(DELETE_URL, data)


# --- The confirmation page ---------------------------------------------------------------------------------


def test_the_page_asks_for_the_password_and_lists_the_enrolments_that_will_be_cancelled(logged_in, occasion):
    response = logged_in.get(DELETE_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert is_private(response)
    assert 'type="password"' in html
    assert "Cellterapi i praktiken" in html
    assert "Radera mitt konto" in html


def test_the_page_needs_a_login(client, site):
    response = client.get(DELETE_URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_wrong_password_deletes_nothing(logged_in, rich_person, django_capture_on_commit_callbacks):
    response = delete(logged_in, django_capture_on_commit_callbacks, password="not-my-password")

    assert response.status_code == 400
    rich_person.refresh_from_db()
    assert rich_person.email == EMAIL
    assert rich_person.is_active
    assert Enrolment.objects.filter(user=rich_person).active().exists()


def test_a_get_deletes_nothing(logged_in, rich_person):
    logged_in.get(DELETE_URL, {"password": DEMO_PASSWORD})

    rich_person.refresh_from_db()
    assert rich_person.email == EMAIL


def test_a_single_sign_on_account_confirms_with_a_word_in_the_page_language(
    client, rich_person, django_capture_on_commit_callbacks
):
    rich_person.set_unusable_password()
    rich_person.save()
    client.force_login(rich_person)

    page = client.get(DELETE_URL).content.decode()
    assert 'type="password"' not in page
    assert "RADERA" in page
    wrong = delete(client, django_capture_on_commit_callbacks, confirmation="ja")
    assert wrong.status_code == 400
    response = delete(client, django_capture_on_commit_callbacks, confirmation=" radera ")

    assert response.status_code == 302
    assert privacy.is_anonymised(User.objects.get(pk=rich_person.pk))


def test_the_english_page_asks_for_the_english_word(client, rich_person):
    rich_person.set_unusable_password()
    rich_person.save()
    client.force_login(rich_person)

    page = client.get("/en/accounts/privacy/delete/").content.decode()

    assert "Type DELETE to confirm" in page
    assert "Delete my account" in page


def test_organisers_cannot_delete_their_own_account(client, organiser, django_capture_on_commit_callbacks):
    client.force_login(organiser)

    page = client.get(DELETE_URL).content.decode()
    response = delete(client, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    assert "nätverksadministratör" in page
    assert response.status_code == 409
    organiser.refresh_from_db()
    assert organiser.email == "kursansvarig@example.se"
    assert organiser.is_active


# --- What deletion does ------------------------------------------------------------------------------------


def test_deleting_logs_out_and_lands_on_a_confirmation(logged_in, django_capture_on_commit_callbacks):
    response = delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/privacy/deleted/"
    assert "_auth_user_id" not in logged_in.session
    landing = logged_in.get(response["Location"])
    assert "Ditt konto har raderats" in landing.content.decode()


def test_the_seat_goes_to_the_next_in_line_by_the_normal_rules(
    logged_in, rich_person, next_in_line, occasion, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    assert Enrolment.objects.get(user=rich_person, occasion=occasion).status == Status.CANCELLED
    assert Enrolment.objects.get(user=next_in_line, occasion=occasion).status == Status.CONFIRMED
    kinds = list(EnrolmentEvent.objects.filter(occasion=occasion).values_list("kind", flat=True))
    assert kinds[-2:] == [EnrolmentEvent.Kind.CANCELLED, EnrolmentEvent.Kind.PROMOTED]
    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients == [next_in_line.email]


def test_the_messages_about_the_deletion_itself_are_never_sent(
    logged_in, rich_person, django_capture_on_commit_callbacks
):
    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    mine = OutboxMessage.objects.filter(user=rich_person)
    assert not mine.filter(status=OutboxMessage.Status.QUEUED).exists()
    assert mine.filter(kind=OutboxMessage.Kind.CANCELLED, status=OutboxMessage.Status.FAILED).exists()


def test_enrolments_stay_for_statistics_without_what_the_person_wrote(
    logged_in, rich_person, django_capture_on_commit_callbacks
):
    before = Enrolment.objects.filter(user=rich_person).count()

    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    kept = Enrolment.objects.filter(user=rich_person)
    assert kept.count() == before
    assert kept.filter(status=Status.ATTENDED).count() == 1
    assert all(enrolment.answers == {} and enrolment.message == "" for enrolment in kept)


def test_the_account_is_anonymised_and_cannot_log_in(
    client, logged_in, rich_person, django_capture_on_commit_callbacks
):
    token = rich_person.calendar_token

    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    user = User.objects.get(pk=rich_person.pk)
    assert user.email.endswith("@anonymised.invalid")
    assert (user.first_name, user.last_name, user.workplace, user.region) == ("", "", "", "")
    assert user.profession == "" and user.privacy_accepted_at is None
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.calendar_token != token
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert not client.login(email=EMAIL, password=DEMO_PASSWORD)


def test_no_trace_of_the_person_is_left_in_any_table(logged_in, django_capture_on_commit_callbacks):
    # The search finds the person everywhere before (so it would find a leftover after).
    assert {needle for _table, _column, needle in traces_of(*TRACES)} == set(TRACES)

    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    assert traces_of(*TRACES) == []


def test_the_erasure_is_in_the_audit_log_without_personal_data(
    logged_in, rich_person, django_capture_on_commit_callbacks
):
    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    entry = ModelLogEntry.objects.get(action="account.erase")
    assert entry.object_id == str(rich_person.pk)
    assert entry.data == {"reason": "request"}
    assert entry.label.endswith("@anonymised.invalid")


def test_other_people_keep_their_data(logged_in, next_in_line, django_capture_on_commit_callbacks):
    delete(logged_in, django_capture_on_commit_callbacks, password=DEMO_PASSWORD)

    next_in_line.refresh_from_db()
    assert next_in_line.is_active
    assert EmailAddress.objects.filter(user=next_in_line, email="nasta.i.kon@example.se").exists()
    assert traces_of("nasta.i.kon@example.se")


def test_counts_per_occasion_and_status_remain(rich_person, past_occasion):
    before = [row for row in counts_per_occasion_and_status() if row[0] == past_occasion.pk]

    privacy.erase_person(rich_person)

    assert [row for row in counts_per_occasion_and_status() if row[0] == past_occasion.pk] == before


def test_erasing_again_changes_nothing(rich_person):
    privacy.erase_person(rich_person)
    first = User.objects.filter(pk=rich_person.pk).values().get()

    privacy.erase_person(User.objects.get(pk=rich_person.pk))

    assert User.objects.filter(pk=rich_person.pk).values().get() == first
    assert ModelLogEntry.objects.filter(action="account.erase").count() == 1


def test_the_second_address_is_scrubbed_from_outbox_errors(rich_person):
    privacy.erase_person(rich_person)

    failed = OutboxMessage.objects.get(key="test:failed")
    assert SECOND_EMAIL not in failed.last_error
    assert failed.email.endswith("@anonymised.invalid")
