"""The way into the admin is the site's own login page (issue 11): a course owner opens /admin/, logs in on the
Swedish login page and lands in the admin; with STAFF_REQUIRE_MFA they first set up an authenticator app; a
clinician who tries is told the admin is not for them."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory
from courses.models import CentreTeam
from tests.accounts.totp import fresh_totp
from tests.e2e.conftest import log_in_to_admin
from tests.enrolment.conftest import make_participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]


@pytest.fixture
def course_owner(site):
    centre = CentreFactory(name="ATMP-centrum Region Stockholm", slug="stockholm")
    owner = UserFactory(email="kursansvarig@example.se", first_name="Karin", is_staff=True)
    centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    assert owner.has_perm("wagtailadmin.access_admin")
    return owner


def test_a_course_owner_opens_the_admin_and_logs_in_on_the_sites_swedish_login_page(
    live_server, page, course_owner, screenshot
):
    page.goto(f"{live_server.url}/admin/")

    expect(page).to_have_url(f"{live_server.url}/sv/accounts/login/?next=%2Fadmin%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(page.locator(".site-header")).to_be_visible()  # the site's layout, not Wagtail's login
    screenshot("admin-login-sv", width=1280)

    log_in_to_admin(page, live_server, course_owner)

    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("button", name="Sidor")).to_be_visible()
    screenshot("admin-after-login-sv", width=1280)


def test_with_mfa_required_a_course_owner_sets_up_an_authenticator_app_on_the_way_in(
    live_server, page, course_owner, settings, screenshot
):
    settings.STAFF_REQUIRE_MFA = True
    EmailAddress.objects.create(user=course_owner, email=course_owner.email, verified=True, primary=True)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_login", course_owner.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    # allauth confirms the password before a security setting changes, then shows the QR code.
    expect(page.locator(".messages")).to_contain_text("Administrationen kräver tvåfaktorsautentisering")
    screenshot("admin-mfa-confirm-password-sv", width=1280)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera autentiseringsapp")
    expect(page.locator("main img")).to_be_visible()
    screenshot("admin-mfa-activate-sv", width=1280)

    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", fresh_totp(secret))
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Återställningskoder")
    screenshot("admin-mfa-recovery-codes-sv", width=1280)
    page.get_by_role("link", name="Fortsätt till administrationen").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_role("button", name="Sidor")).to_be_visible()


def test_a_clinician_who_opens_the_admin_is_told_it_is_not_for_them(live_server, page, site, screenshot):
    clinician = make_participant(email="sjukskoterska@example.se")
    assert not clinician.has_perm("wagtailadmin.access_admin")
    assert not Permission.objects.filter(user=clinician).exists()

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_login", clinician.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingen åtkomst till administrationen")
    screenshot("admin-refused-sv", width=1280)
    page.get_by_role("link", name="Mina kurser").last.click()
    expect(page).to_have_url(f"{live_server.url}/sv/my-courses/")
