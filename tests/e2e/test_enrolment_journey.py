"""A new clinician signs up in Swedish, verifies the e-mail, enrols, finds the course in My courses, cancels."""

import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_clinician_signs_up_verifies_enrols_and_cancels(live_server, page, small_catalogue, screenshot):
    course = small_catalogue["courses"][0]
    occasion = course.occasions.first()
    enrol_url = f"{live_server.url}{course.url}occasions/{occasion.pk}/enrol/"

    # Anonymous: the enrol button leads to the login page, which offers to create an account.
    page.goto(f"{live_server.url}{course.url}")
    page.locator(".occasion-list__actions .button").first.click()
    expect(page).to_have_url(re.compile(r"/sv/accounts/login/\?next="))
    page.locator("a[href*='/sv/accounts/signup/']").first.click()

    page.fill("#id_email", "karin.lind@example.se")
    page.fill("#id_first_name", "Karin")
    page.fill("#id_last_name", "Lind")
    page.select_option("#id_profession", label="Sjuksköterska")
    page.fill("#id_workplace", "Karolinska Universitetssjukhuset, Huddinge")
    page.select_option("#id_region", value="stockholm")
    page.check("#id_accept_privacy")
    page.fill("#id_password1", "Cellterapi-2026!")
    page.fill("#id_password2", "Cellterapi-2026!")
    screenshot("signup-sv-phone", width=390)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/sv/accounts/confirm-email/"))

    # The verification e-mail, in Swedish, carries the link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin.lind@example.se"]
    link = re.search(r"https?://\S+/sv/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()

    page.goto(enrol_url)
    expect(page.locator("h1")).to_contain_text(course.title)
    mail.outbox.clear()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".status-panel__status")).to_have_text("Bekräftad")
    screenshot("enrolment-confirmed-sv")

    # The confirmation, in Swedish, with a calendar invitation that parses.
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.subject.startswith("Anmälan bekräftad")
    invitation = next(content for name, content, _type in confirmation.attachments if name == "invite.ics")
    event = Calendar.from_ical(invitation).walk("VEVENT")[0]
    assert str(event["UID"]) == occasion.ical_uid

    page.goto(f"{live_server.url}/sv/my-courses/")
    expect(page.locator(".enrolment-list")).to_contain_text(course.title)
    screenshot("my-courses-sv")
    page.locator(".enrolment-list a", has_text=course.title).first.click()

    page.get_by_role("link", name="Avboka anmälan").click()
    expect(page.locator("h1")).to_have_text("Avboka din anmälan?")
    screenshot("cancel-confirm-sv")
    page.get_by_role("button", name="Ja, avboka min anmälan").click()
    expect(page.locator(".status-panel__status")).to_have_text("Avbokad")
    expect(page.locator(".message")).to_be_visible()
