"""A full occasion puts the next person on the waiting list; a cancellation promotes them, with an e-mail."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD
from courses.factories import OccasionFactory
from enrolment import services
from tests.enrolment.conftest import make_participant

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/sv/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_the_next_in_line_gets_the_freed_seat_and_an_email(live_server, page, small_catalogue, screenshot):
    course = small_catalogue["courses"][1]
    occasion = OccasionFactory(course=course, capacity=1)
    first = make_participant(email="forst@example.se")
    seat = services.enrol(first, occasion.pk)
    second = make_participant(email="sedan@example.se", first_name="Sara")

    log_in(page, live_server, second)
    page.goto(f"{live_server.url}{course.url}occasions/{occasion.pk}/")
    expect(page.locator(".badge--waiting_list")).to_be_visible()
    page.locator("main a.button", has_text="reservlistan").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".status-panel")).to_contain_text("nummer 1 på reservlistan")
    screenshot("waiting-list-sv")

    mail.outbox.clear()
    services.cancel(seat.pk, first)

    page.reload()
    expect(page.locator(".status-panel__status")).to_have_text("Bekräftad")
    promoted = [message for message in mail.outbox if message.to == ["sedan@example.se"]]
    assert len(promoted) == 1
    assert "Du har fått en plats" in promoted[0].subject
    assert any(name == "invite.ics" for name, _content, _type in promoted[0].attachments)
