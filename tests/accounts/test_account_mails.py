"""allauth's mails (verification, password reset, account exists, unknown account, security notices) in the
site's HTML + text layout, in the recipient's language, from the network's name in that language."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.core import mail
from django.test import RequestFactory, override_settings

from tests.accounts.test_signup import EMAIL, nurses, nurses_en, sign_up  # noqa: F401 (fixtures)
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db

SENDER = {"sv": "ATMP-kurser <kurser@atmp-centrum.se>", "en": "ATMP Courses <kurser@atmp-centrum.se>"}


def html_of(message):
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def button(html):
    return re.search(r'<a href="([^"]+)" style="display:inline-block', html).group(1)


def assert_site_layout(message, language):
    html = html_of(message)
    assert message.from_email == SENDER[language]
    assert f'<html lang="{language}">' in html
    assert f"<title>{message.subject}</title>" in html
    # allauth's stock "Hello from testserver!" and "Thank you for using testserver!" are gone.
    for text in (message.body, html):
        assert "testserver!" not in text
        assert "Hello from" not in text and "Hej från" not in text
    network = "ATMP-kurser – ATMP-centrum vid Sveriges sjukhus" if language == "sv" else "ATMP Courses – Sweden"
    assert network in message.body and network in html
    return html


def test_the_swedish_verification_mail(client, nurses):  # noqa: F811
    sign_up(client, nurses, language="sv")

    (message,) = mail.outbox
    assert message.subject == "Bekräfta din e-postadress till ATMP-kurser"
    assert message.body.startswith("Hej Anna!")
    assert f"Någon, förhoppningsvis du, angav {EMAIL} när ett konto skapades på ATMP-kurser." in message.body
    html = assert_site_layout(message, "sv")
    link = re.search(r"http://testserver/sv/accounts/confirm-email/\S+/", message.body).group(0)
    assert button(html) == link
    assert "Bekräfta min e-postadress" in html


def test_the_english_verification_mail(client, nurses, nurses_en):  # noqa: F811
    sign_up(client, nurses_en, language="en")

    (message,) = mail.outbox
    assert message.subject == "Confirm your e-mail address for ATMP Courses"
    assert message.body.startswith("Hello Anna,")
    html = assert_site_layout(message, "en")
    assert "/en/accounts/confirm-email/" in button(html)


def test_signing_up_again_with_a_known_address_says_so(client, nurses):  # noqa: F811
    make_participant(email=EMAIL, first_name="Anna", preferred_language="sv")

    sign_up(client, nurses, language="sv")

    (message,) = mail.outbox
    assert message.subject == "Du har redan ett konto på ATMP-kurser"
    html = assert_site_layout(message, "sv")
    assert "/sv/accounts/password/reset/" in button(html)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_password_reset_mail_is_in_the_persons_language(client, site, language):
    make_participant(email=EMAIL, first_name="Anna", preferred_language=language)

    # Asked for from the Swedish page: the mail still follows the person's own language.
    client.post("/sv/accounts/password/reset/", {"email": EMAIL})

    (message,) = mail.outbox
    assert (
        message.subject
        == {"sv": "Välj ett nytt lösenord till ATMP-kurser", "en": "Choose a new password for ATMP Courses"}[language]
    )
    html = assert_site_layout(message, language)
    assert "/accounts/password/reset/key/" in button(html)
    assert button(html) in message.body


def test_a_password_reset_for_an_unknown_address(client, site):
    client.post("/en/accounts/password/reset/", {"email": "nobody@example.se"})

    (message,) = mail.outbox
    assert message.subject == "No account at ATMP Courses with this address"
    assert message.body.startswith("Hello,")
    html = assert_site_layout(message, "en")
    assert button(html).endswith("/en/accounts/signup/")


@override_settings(ACCOUNT_EMAIL_NOTIFICATIONS=True)
@pytest.mark.parametrize("template", ["mfa/email/totp_activated", "account/email/password_changed"])
def test_security_notices_get_the_layout_too(site, template):
    person = make_participant(email=EMAIL, first_name="Anna", preferred_language="sv")
    request = RequestFactory().get("/sv/", HTTP_USER_AGENT="Firefox")

    with request_context(request):
        get_adapter(request).send_notification_mail(template, person)

    (message,) = mail.outbox
    html = assert_site_layout(message, "sv")
    assert message.body.startswith("Hej Anna!")
    assert "Firefox" in message.body and "Firefox" in html
