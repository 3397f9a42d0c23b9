"""The admin has no login form of its own: everyone logs in through the site's (allauth) login, with its rate limits,
and staff can be required to use a second factor (TOTP) or the region's identity provider (issue 11)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from accounts.factories import DEMO_PASSWORD, UserFactory
from tests.accounts.totp import fresh_totp, totp

pytestmark = pytest.mark.django_db

LOGIN = "/sv/accounts/login/"
SWEDISH = {"HTTP_ACCEPT_LANGUAGE": "sv"}


def verified(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def course_owner(site):
    user = verified(UserFactory(email="kursansvarig@example.se", is_staff=True))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def clinician(site):
    return verified(UserFactory(email="sjukskoterska@example.se"))


def log_in(client, user, password=DEMO_PASSWORD, next_url="/admin/"):
    return client.post(LOGIN, {"login": user.email, "password": password, "next": next_url}, **SWEDISH)


def is_logged_in(client):
    return "_auth_user_id" in client.session


# The one login form


def test_the_admin_sends_visitors_to_the_sites_login_and_back(client, site):
    response = client.get("/admin/pages/", follow=True, **SWEDISH)

    assert response.redirect_chain[-1][0] == "/sv/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert "Logga in" in response.content.decode()


def test_the_admin_login_page_redirects_to_the_sites_login_keeping_next(client, site):
    response = client.get("/admin/login/?next=/admin/reports/", **SWEDISH)

    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/login/?next=%2Fadmin%2Freports%2F"


def test_the_admin_login_page_ignores_a_next_address_on_another_site(client, site):
    response = client.get("/admin/login/?next=https://evil.example.com/", **SWEDISH)

    assert response["Location"] == "/sv/accounts/login/?next=%2Fadmin%2F"


def test_posting_a_password_to_the_admin_login_logs_nobody_in(client, course_owner):
    response = client.post("/admin/login/", {"username": course_owner.email, "password": DEMO_PASSWORD}, **SWEDISH)

    assert response.status_code == 302
    assert response["Location"].startswith("/sv/accounts/login/")
    assert not is_logged_in(client)
    assert client.get("/admin/", **SWEDISH).status_code == 302


def test_the_admin_has_no_password_reset_of_its_own(client, site):
    # allauth's (rate-limited) reset is the only one.
    assert client.get("/admin/password_reset/", **SWEDISH).status_code == 404


def test_a_course_owner_logs_in_through_the_sites_login_and_reaches_the_admin(client, course_owner):
    response = log_in(client, course_owner)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/", **SWEDISH).status_code == 200


def test_after_repeated_wrong_passwords_even_the_right_one_is_refused(client, course_owner):
    # Issue 11: seven wrong passwords on the admin's own form, then the right one logged in.
    for _ in range(7):
        assert log_in(client, course_owner, password="wrong-password").status_code == 200

    response = log_in(client, course_owner)

    assert response.status_code == 200
    assert "För många misslyckade inloggningsförsök. Försök igen senare." in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/admin/", **SWEDISH).status_code == 302


def test_the_admin_requires_a_verified_email_address(client, site):
    owner = UserFactory(email="ny.kursansvarig@example.se", is_staff=True)
    owner.user_permissions.add(Permission.objects.get(codename="access_admin"))

    response = log_in(client, owner)

    assert not is_logged_in(client)
    assert response["Location"] == "/sv/accounts/confirm-email/"


# Clinicians


def test_a_clinician_opening_the_admin_is_told_it_is_not_for_them(client, clinician):
    log_in(client, clinician)

    response = client.get("/admin/", **SWEDISH)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Ingen åtkomst till administrationen" in page
    assert "sjukskoterska@example.se" in page
    assert 'href="/sv/my-courses/"' in page


def test_a_clinician_on_the_admin_login_page_gets_the_same_answer_not_a_loop(client, clinician):
    log_in(client, clinician)

    response = client.get("/admin/login/?next=/admin/", **SWEDISH)

    assert response.status_code == 403
    assert "Ingen åtkomst till administrationen" in response.content.decode()


def test_the_refusal_is_in_english_for_an_english_browser(client, clinician):
    log_in(client, clinician)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "No access to the administration" in response.content.decode()


# A second factor for staff (STAFF_REQUIRE_MFA)


# allauth announces a new authenticator after commit, as in production: a real transaction, not the test's.
@pytest.mark.django_db(transaction=True)
def test_with_mfa_required_staff_set_up_an_authenticator_app_then_use_the_admin(client, course_owner, settings):
    settings.STAFF_REQUIRE_MFA = True
    log_in(client, course_owner)

    response = client.get("/admin/", follow=True, **SWEDISH)

    # allauth asks for the password once more before a security setting changes.
    assert response.redirect_chain[0][0] == "/sv/accounts/2fa/totp/activate/"
    assert "Administrationen kräver tvåfaktorsautentisering" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": DEMO_PASSWORD}, follow=True, **SWEDISH)
    assert response.redirect_chain[-1][0] == "/sv/accounts/2fa/totp/activate/"
    assert "Aktivera autentiseringsapp" in response.content.decode()
    secret = response.context["form"].secret

    response = client.post("/sv/accounts/2fa/totp/activate/", {"code": fresh_totp(secret)}, follow=True, **SWEDISH)

    assert response.redirect_chain[-1][0] == "/sv/accounts/2fa/recovery-codes/"
    page = response.content.decode()
    assert "Autentiseringsapp aktiverad." in page
    assert "Återställningskoder" in page
    assert 'href="/admin/"' in page
    assert client.get("/admin/", **SWEDISH).status_code == 200


def activation_secret(client):
    """Open the activation page (confirming the password first) and read the secret its QR code holds."""
    response = client.get("/sv/accounts/2fa/totp/activate/", follow=True, **SWEDISH)
    if "form" not in response.context or not hasattr(response.context["form"], "secret"):
        response = client.post(response.redirect_chain[-1][0], {"password": DEMO_PASSWORD}, follow=True, **SWEDISH)
    return response.context["form"].secret


def test_a_wrong_code_does_not_set_up_the_app_nor_open_the_admin(client, course_owner, settings):
    settings.STAFF_REQUIRE_MFA = True
    log_in(client, course_owner)
    secret = activation_secret(client)
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"

    response = client.post("/sv/accounts/2fa/totp/activate/", {"code": wrong}, **SWEDISH)

    assert response.status_code == 200
    assert "Felaktig kod." in response.content.decode()
    assert client.get("/admin/", **SWEDISH)["Location"] == "/sv/accounts/2fa/totp/activate/"


def test_staff_with_an_authenticator_app_are_asked_for_its_code_at_login(client, course_owner, settings):
    settings.STAFF_REQUIRE_MFA = True
    log_in(client, course_owner)
    secret = activation_secret(client)
    client.post("/sv/accounts/2fa/totp/activate/", {"code": fresh_totp(secret)}, **SWEDISH)
    client.post("/sv/accounts/logout/", **SWEDISH)

    # A minute later (a code is accepted once only): the password alone does not log in.
    with time_machine.travel(time.time() + 60, tick=False):
        response = log_in(client, course_owner)
        assert response["Location"] == "/sv/accounts/2fa/authenticate/"
        assert not is_logged_in(client)
        page = client.get("/sv/accounts/2fa/authenticate/", **SWEDISH).content.decode()
        assert "Tvåfaktorsautentisering" in page

        response = client.post("/sv/accounts/2fa/authenticate/", {"code": totp(secret)}, **SWEDISH)

        assert response["Location"] == "/admin/"
        assert client.get("/admin/", **SWEDISH).status_code == 200


def test_staff_logged_in_without_the_code_are_asked_for_it_before_the_admin(client, course_owner, settings):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(course_owner, secret)
    client.force_login(course_owner)  # e.g. a session from before STAFF_REQUIRE_MFA was turned on
    settings.STAFF_REQUIRE_MFA = True

    response = client.get("/admin/pages/", **SWEDISH)

    assert response["Location"] == "/sv/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fpages%2F"
    response = client.post(response["Location"], {"code": fresh_totp(secret)}, **SWEDISH)
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/", **SWEDISH).status_code == 200


def test_without_the_setting_a_password_is_enough(client, course_owner, settings):
    settings.STAFF_REQUIRE_MFA = False
    log_in(client, course_owner)

    assert client.get("/admin/", **SWEDISH).status_code == 200


def test_clinicians_are_not_asked_to_set_up_an_authenticator_app(client, clinician, settings):
    settings.STAFF_REQUIRE_MFA = True
    log_in(client, clinician)

    assert client.get("/admin/", **SWEDISH).status_code == 403
    assert client.get("/sv/my-courses/", **SWEDISH).status_code == 200


# The region's identity provider for staff (STAFF_REQUIRE_OIDC). Only the IdP is stood in for: a small OpenID
# Connect server on the loopback interface that answers allauth's discovery, token and user-info requests.


class FakeIdentityProvider(BaseHTTPRequestHandler):
    email = ""

    def log_message(self, *args):
        pass

    def _json(self, data):
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @property
    def base(self):
        return f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"

    def do_GET(self):
        if self.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": self.base,
                    "authorization_endpoint": f"{self.base}/authorize",
                    "token_endpoint": f"{self.base}/token",
                    "userinfo_endpoint": f"{self.base}/userinfo",
                    "jwks_uri": f"{self.base}/jwks",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        elif self.path == "/userinfo":
            self._json({"sub": "staff-42", "email": self.server.email, "email_verified": True})
        else:
            self.send_error(404)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/token":
            self.send_error(404)
            return
        now = int(time.time())
        claims = {"iss": self.base, "aud": "atmp-courses", "sub": "staff-42", "iat": now, "exp": now + 300}
        claims |= {"email": self.server.email, "email_verified": True}
        id_token = jwt.encode(claims, "the-idp-signing-key-not-checked-here", algorithm="HS256")
        self._json({"access_token": "access-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})


@pytest.fixture
def identity_provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeIdentityProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "region",
                    "name": "Regionens inloggning",
                    "client_id": "atmp-courses",
                    "secret": "not-a-real-secret",
                    "settings": {"server_url": f"http://{host}:{port}"},
                }
            ]
        }
    }
    settings.STAFF_OIDC_PROVIDER_ID = "region"
    yield server
    server.shutdown()
    server.server_close()


def log_in_through_identity_provider(client, server, user, next_url="/admin/"):
    server.email = user.email
    response = client.post(f"/sv/accounts/oidc/region/login/?next={next_url}", **SWEDISH)
    assert response.status_code == 302, response.content.decode()
    state = parse_qs(urlparse(response["Location"]).query)["state"][0]
    return client.get("/sv/accounts/oidc/region/login/callback/", {"code": "code-1", "state": state}, **SWEDISH)


def test_with_oidc_required_staff_logged_in_with_a_password_are_sent_to_the_identity_provider(
    client, course_owner, identity_provider, settings
):
    settings.STAFF_REQUIRE_OIDC = True
    log_in(client, course_owner)

    response = client.get("/admin/", **SWEDISH)

    assert response.status_code == 403
    page = response.content.decode()
    assert "Logga in via regionens inloggningstjänst" in page
    assert "Administrationen får bara användas efter inloggning via regionens inloggningstjänst." in page
    assert ">Regionens inloggning</button>" in page
    assert 'action="/sv/accounts/oidc/region/login/?process=login&amp;next=%2Fadmin%2F"' in page


def test_with_oidc_required_staff_logged_in_through_the_identity_provider_use_the_admin(
    client, course_owner, identity_provider, settings
):
    settings.STAFF_REQUIRE_OIDC = True

    response = log_in_through_identity_provider(client, identity_provider, course_owner)

    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(course_owner.pk)
    assert client.get("/admin/", **SWEDISH).status_code == 200


def test_a_clinician_logged_in_through_the_identity_provider_still_has_no_admin(
    client, clinician, identity_provider, settings
):
    settings.STAFF_REQUIRE_OIDC = True
    log_in_through_identity_provider(client, identity_provider, clinician)

    response = client.get("/admin/", **SWEDISH)

    assert response.status_code == 403
    assert "Ingen åtkomst till administrationen" in response.content.decode()


def test_requiring_oidc_without_an_identity_provider_is_refused_at_start_up(settings):
    settings.STAFF_REQUIRE_OIDC = True
    settings.SOCIALACCOUNT_PROVIDERS = {}

    with pytest.raises(SystemCheckError, match="STAFF_REQUIRE_OIDC is on but no OpenID Connect provider"):
        call_command("check")


def test_staff_find_their_two_factor_settings_from_the_admins_account_page(client, course_owner):
    log_in(client, course_owner)

    page = client.get("/admin/account/", **SWEDISH).content.decode()

    assert 'href="/sv/accounts/2fa/"' in page
    assert "Tvåfaktorsautentisering" in page
