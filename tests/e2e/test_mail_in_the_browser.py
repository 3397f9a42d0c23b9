"""The site's mails as people see them: an English clinician signs up, opens the verification mail (allauth's,
in the site's layout) and follows its button, enrols, and opens the confirmation. The Site points where the
server answers, as `make run` does, so every button in the mails leads back to it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def html_of(message):
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def open_mail(page, message, name):
    """Show the HTML part in the browser as a mail client would, from a file, and keep a screenshot."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.html"
    path.write_text(html_of(message), encoding="utf-8")
    page.goto(path.as_uri())
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_an_english_clinician_reads_the_mails_in_english_and_follows_their_buttons(
    live_server, page, site, small_catalogue
):
    host, port = live_server.url.removeprefix("http://").split(":")
    site.site.hostname, site.site.port = host, int(port)
    site.site.save()
    course = small_catalogue["courses"][0].get_translation(Locale.objects.get(language_code="en"))

    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/en/accounts/signup/")
    page.fill("#id_email", "sam.taylor@example.se")
    page.fill("#id_first_name", "Sam")
    page.fill("#id_last_name", "Taylor")
    page.select_option("#id_profession", label="Nurse")
    page.fill("#id_workplace", "Karolinska University Hospital")
    page.select_option("#id_region", value="stockholm")
    page.check("#id_accept_privacy")
    page.fill("#id_password1", "Cellterapi-2026!")
    page.fill("#id_password2", "Cellterapi-2026!")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/en/accounts/confirm-email/"))

    (verification,) = mail.outbox
    assert verification.from_email == "ATMP Courses <kurser@atmp-centrum.se>"
    open_mail(page, verification, "mail-verification-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Confirm your e-mail address for ATMP Courses")
    expect(page.locator("body")).to_contain_text("Hello Sam,")
    page.get_by_role("link", name="Confirm my e-mail address").click()
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/en/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()

    mail.outbox.clear()
    occasion = small_catalogue["courses"][0].occasions.first()  # occasions live on the Swedish page
    page.goto(f"{live_server.url}{course.url}occasions/{occasion.pk}/enrol/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".status-panel__status")).to_have_text("Confirmed")

    (confirmation,) = mail.outbox
    assert confirmation.from_email == "ATMP Courses <kurser@atmp-centrum.se>"
    open_mail(page, confirmation, "mail-enrolment-confirmed-en")
    expect(page.locator("h1")).to_have_text("Enrolment confirmed: CAR-T cell therapy for nurses")
    page.get_by_role("link", name="See your enrolment").click()
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/en/my-courses/\d+/$"))
    expect(page.locator(".status-panel__status")).to_have_text("Confirmed")


def test_a_swedish_clinician_resets_the_password_from_the_mail(live_server, page, site, small_catalogue):
    from tests.enrolment.conftest import make_participant

    host, port = live_server.url.removeprefix("http://").split(":")
    site.site.hostname, site.site.port = host, int(port)
    site.site.save()
    make_participant(email="karin.lind@example.se", first_name="Karin", preferred_language="sv")

    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"{live_server.url}/sv/accounts/password/reset/")
    page.fill("#id_email", "karin.lind@example.se")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/sv/accounts/password/reset/done/"))

    (message,) = mail.outbox
    assert message.from_email == "ATMP-kurser <kurser@atmp-centrum.se>"
    open_mail(page, message, "mail-password-reset-sv")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Välj ett nytt lösenord till ATMP-kurser")
    expect(page.locator("body")).to_contain_text("Hej Karin!")
    page.get_by_role("link", name="Välj ett nytt lösenord").click()
    expect(page).to_have_url(re.compile(rf"^{live_server.url}/sv/accounts/password/reset/key/"))
    expect(page.locator("#id_password1")).to_be_visible()
