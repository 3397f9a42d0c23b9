"""Signing up through allauth with the clinician's profile, verifying the e-mail address, logging in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.core.cache import cache

from accounts.models import Profession, User

PASSWORD = "kz8-Trumpet-Lamp"
EMAIL = "anna.svensson@example.se"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups and logins per address in the cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def nurses(site):
    return Profession.NURSE


@pytest.fixture
def nurses_en(nurses):
    return Profession.NURSE  # one code in every language: "Sjuksköterska", "Nurse"


def signup_data(profession, language="sv", **overrides):
    return {
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Anna",
        "last_name": "Svensson",
        "profession": profession,
        "workplace": "Akademiska sjukhuset, hematologen",
        "region": "uppsala",
        "preferred_language": language,
        "accept_privacy": "on",
        **overrides,
    }


def sign_up(client, profession, language="sv", **overrides):
    return client.post(f"/{language}/accounts/signup/", signup_data(profession, language, **overrides))


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def confirmation_link(message):
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


# --- Sign-up ------------------------------------------------------------------------------------------


def test_signup_creates_a_user_with_a_complete_profile(client, nurses):
    response = sign_up(client, nurses)

    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name) == ("Anna", "Svensson")
    assert user.profession == nurses
    assert user.workplace == "Akademiska sjukhuset, hematologen"
    assert user.region == "uppsala"
    assert user.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert user.privacy_accepted_at is not None
    assert user.profile_is_complete


def test_signup_in_english_stores_the_same_profession(client, nurses, nurses_en):
    sign_up(client, nurses_en, language="en")

    user = User.objects.get(email=EMAIL)
    assert user.profession == nurses
    assert user.preferred_language == "en"


def test_signup_sends_a_verification_email_in_swedish(client, nurses):
    sign_up(client, nurses, language="sv")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "bekräfta" in message.subject.lower()
    assert "/sv/accounts/confirm-email/" in message.body


def test_signup_sends_a_verification_email_in_english(client, nurses, nurses_en):
    sign_up(client, nurses_en, language="en")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "confirm" in message.subject.lower()
    assert "/en/accounts/confirm-email/" in message.body


def test_signup_does_not_log_in_before_verification(client, nurses):
    sign_up(client, nurses)

    assert logged_in_user_id(client) is None
    assert not EmailAddress.objects.get(email=EMAIL).verified


def test_signup_without_accepting_the_privacy_notice_shows_an_error(client, nurses):
    data = signup_data(nurses)
    del data["accept_privacy"]

    response = client.post("/sv/accounts/signup/", data)

    assert response.status_code == 200
    assert "accept_privacy" in response.context["form"].errors
    assert "Det här fältet är obligatoriskt" in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists()
    assert mail.outbox == []


def test_signup_form_offers_professions_in_the_page_language(client, nurses, nurses_en):
    swedish = client.get("/sv/accounts/signup/").content.decode()
    english = client.get("/en/accounts/signup/").content.decode()

    assert "Sjuksköterska" in swedish
    assert "Nurse" in english
    assert "Sjuksköterska" not in english


# --- Verification and login ---------------------------------------------------------------------------


def test_login_is_refused_until_the_email_is_verified(client, nurses):
    sign_up(client, nurses)
    client.logout()

    response = client.post("/sv/accounts/login/", {"login": EMAIL, "password": PASSWORD})

    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert logged_in_user_id(client) is None


def test_verification_link_confirms_and_logs_in(client, nurses):
    sign_up(client, nurses)
    link = confirmation_link(mail.outbox[0])

    assert client.get(link).status_code == 200  # a confirmation page, no change yet
    assert not EmailAddress.objects.get(email=EMAIL).verified
    response = client.post(link)

    user = User.objects.get(email=EMAIL)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert logged_in_user_id(client) == str(user.pk)


def test_verified_user_can_log_in(client, nurses):
    sign_up(client, nurses)
    client.post(confirmation_link(mail.outbox[0]))
    client.logout()

    client.post("/sv/accounts/login/", {"login": EMAIL, "password": PASSWORD})

    assert logged_in_user_id(client) == str(User.objects.get(email=EMAIL).pk)


def test_verified_signup_may_enrol(client, nurses, site):
    from courses.factories import OccasionFactory, create_course
    from enrolment.models import Enrolment

    course = create_course(site.catalogue["sv"], title="Introduktion till ATMP")
    occasion = OccasionFactory(course=course)
    sign_up(client, nurses)
    client.post(confirmation_link(mail.outbox[0]))

    response = client.post(f"/sv/enrol/{occasion.pk}/")

    assert response.status_code == 302
    assert Enrolment.objects.get(occasion=occasion).status == Enrolment.Status.CONFIRMED
