"""The development mailbox (/dev/mailbox/) shows every outgoing mail, so it answers only to staff or this machine."""

import pytest
from django.core.mail import get_connection, send_mail

from accounts.factories import UserFactory

REMOTE = {"REMOTE_ADDR": "192.0.2.10"}
SUBJECT = "Återställ ditt lösenord"


@pytest.fixture
def mailbox(settings, tmp_path):
    """DEBUG on, as under `make run`, and one password-reset mail in the file backend's folder."""
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = tmp_path
    connection = get_connection("django.core.mail.backends.filebased.EmailBackend", file_path=str(tmp_path))
    send_mail(
        SUBJECT,
        "https://example.se/reset/secret-token/",
        "kurser@example.se",
        ["klinisk@example.se"],
        connection=connection,
    )
    return tmp_path


def test_staff_read_the_mailbox_from_anywhere(client, db, mailbox):
    client.force_login(UserFactory(is_staff=True))

    listing = client.get("/dev/mailbox/", **REMOTE)
    message = client.get("/dev/mailbox/0/", **REMOTE)

    assert SUBJECT in listing.text
    assert "secret-token" in message.text


def test_an_anonymous_visitor_on_the_network_is_sent_to_log_in(client, db, mailbox):
    response = client.get("/dev/mailbox/0/", **REMOTE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_clinician_on_the_network_is_refused(client, db, mailbox):
    client.force_login(UserFactory())

    response = client.get("/dev/mailbox/", **REMOTE, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "for staff" in response.text
    assert SUBJECT not in response.text


def test_a_browser_on_this_computer_reads_it_without_logging_in(client, db, mailbox):
    response = client.get("/dev/mailbox/", REMOTE_ADDR="127.0.0.1")

    assert SUBJECT in response.text


def test_a_visitor_through_a_local_proxy_is_not_local(client, db, mailbox):
    response = client.get("/dev/mailbox/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.10")

    assert response.status_code == 302
    assert SUBJECT not in response.text


def test_without_debug_there_is_no_mailbox(client, db, mailbox, settings):
    settings.DEBUG = False
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/dev/mailbox/", REMOTE_ADDR="127.0.0.1").status_code == 404
