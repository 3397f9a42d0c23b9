"""A nurse enrols in a course that needs her line manager's approval (the manager's address comes from her
profile, where it is out of date: she corrects it on her enrolment page, and the first link stops working); the
owner sees the enrolment awaiting the manager; the manager opens the mailed link without an account, sees the
request, approves; the nurse's seat is confirmed and the owner sees it so. A colleague's manager says no by
phone: the owner declines for him from the participant list."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course, future_morning
from courses.models import CentreTeam
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from tests.e2e.conftest import log_in_to_admin
from tests.e2e.test_accessibility import AccessibilityAudit
from tests.enrolment.conftest import make_participant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser_context_args(locale="sv-SE")]

MANAGER_EMAIL = "vardenhetschef@region.example"
FORMER_MANAGER_EMAIL = "tidigare.chef@region.example"  # on her profile from the unit she worked at before


def test_the_line_manager_approves_from_the_mail_and_the_owner_sees_the_seat_confirmed(
    site, live_server, page, browser, screenshot
):
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane", city="Lund")
    owner = UserFactory(email="kursansvarig.skane@example.se", first_name="Sara", is_staff=True)
    centre_team(skane, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    course = create_course(
        title="CRS och ICANS: bedömning och behandling",
        centres=[skane],
        requires_manager_approval=True,
        manager_days=5,
    )
    occasion = OccasionFactory(course=course, start=future_morning(days=40), capacity=10)
    nurse = make_participant(
        first_name="Nora",
        last_name="Nilsson",
        email="nora@example.se",
        manager_name="Tove Tidigare",
        manager_email=FORMER_MANAGER_EMAIL,
    )

    # The nurse enrols: the manager's name and address are filled in from her profile.
    clinician = browser.new_context(locale="sv-SE").new_page()
    clinician.goto(f"{live_server.url}/sv/accounts/login/")
    clinician.fill("#id_login", nurse.email)
    clinician.fill("#id_password", DEMO_PASSWORD)
    clinician.locator("main form button[type=submit]").click()
    clinician.goto(f"{live_server.url}/sv/enrol/{occasion.pk}/")
    expect(clinician.get_by_label("Din närmaste chefs e-postadress")).to_have_value(FORMER_MANAGER_EMAIL)
    expect(clinician.get_by_label("Din närmaste chefs namn")).to_have_value("Tove Tidigare")
    screenshot("clinician-enrol-manager", of=clinician)
    mail.outbox.clear()
    clinician.locator("main form button[type=submit]").click()
    expect(clinician.locator(".status-panel__status")).to_have_text("Väntar på närmaste chef")
    expect(clinician.locator(".status-panel")).to_contain_text("Tove Tidigare")
    [to_former] = [message for message in mail.outbox if message.to == [FORMER_MANAGER_EMAIL]]
    former_link = re.search(r"https?://[^/\s]+(/\S+?/)\?answer=approve", to_former.body).group(1)

    # She has changed units since: she names her manager now, on her enrolment page.
    clinician.get_by_role("link", name="Byt närmaste chef").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text("Byt närmaste chef")
    clinician.get_by_label("Din närmaste chefs namn").fill("Vera Vårdenhetschef")
    clinician.get_by_label("Din närmaste chefs e-postadress").fill(MANAGER_EMAIL)
    screenshot("clinician-change-manager", of=clinician)
    clinician.get_by_role("button", name="Skicka förfrågan till den här chefen").click()
    expect(clinician.get_by_role("status").first).to_contain_text(f"Vi har skickat förfrågan till {MANAGER_EMAIL}")
    expect(clinician.locator(".status-panel")).to_contain_text("Vera Vårdenhetschef")
    screenshot("clinician-awaiting-manager", of=clinician)

    # The owner sees whom the enrolment awaits.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_to_admin(page, live_server, owner)
    page.goto(f"{live_server.url}{reverse('enrolments:index')}")
    row = page.get_by_role("row").filter(has_text=nurse.email)
    expect(row).to_contain_text("Väntar på närmaste chef")
    expect(row).to_contain_text(MANAGER_EMAIL)
    screenshot("owner-participants-awaiting-manager")

    # The manager's mail, in the nurse's language, with two buttons.
    to_manager = [message for message in mail.outbox if message.to == [MANAGER_EMAIL]]
    assert len(to_manager) == 1
    request = to_manager[0]
    assert request.subject.startswith("Godkännande begärs: Nora Nilsson")
    # The links name the site's address; the browser opens their path on the test server.
    links = {answer: path for path, answer in re.findall(r"https?://[^/\s]+(/\S+?/)\?answer=(\w+)", request.body)}
    assert set(links) == {"approve", "decline"}
    approve = f"{live_server.url}{links['approve']}?answer=approve"

    # The manager opens the link with no account: the request, and nothing changed until confirmed.
    manager = browser.new_context(locale="sv-SE").new_page()
    manager.goto(approve)
    main = manager.get_by_role("main")
    expect(main).to_contain_text("Nora Nilsson")
    expect(main).to_contain_text("CRS och ICANS")
    expect(main).to_contain_text("ingen avgift")
    screenshot("manager-answer-page", of=manager)
    audit = AccessibilityAudit(manager, lambda name, width: screenshot(name, width=width, of=manager))
    audit.check("manager-answer")
    assert Enrolment.objects.get(user=nurse).status == Enrolment.Status.AWAITING_MANAGER
    manager.get_by_role("button", name="Godkänn anmälan").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text("Tack för ditt svar")
    expect(manager.get_by_role("status")).to_contain_text("Du har godkänt anmälan från Nora Nilsson")
    screenshot("manager-answered", of=manager)

    # The link mailed to her former manager was replaced by the new one.
    manager.goto(f"{live_server.url}{former_link}?answer=approve")
    expect(manager.get_by_role("alert")).to_contain_text("har ersatts av en nyare")

    # The link is used up: opening it again says so, and changes nothing.
    manager.goto(approve)
    expect(manager.get_by_role("alert")).to_have_text("Förfrågan är redan besvarad.")
    audit.check("manager-refused")
    audit.assert_clean()

    # The owner sees the seat confirmed; the nurse got the confirmation.
    page.goto(f"{live_server.url}{reverse('enrolments:index')}")
    expect(page.get_by_role("row").filter(has_text=nurse.email)).to_contain_text("Bekräftad")
    assert Enrolment.objects.get(user=nurse).status == Enrolment.Status.CONFIRMED
    confirmations = [message for message in mail.outbox if message.to == [nurse.email]]
    assert any(message.subject.startswith("Anmälan bekräftad") for message in confirmations)
    clinician.reload()
    expect(clinician.locator(".status-panel__status")).to_have_text("Bekräftad")

    # Another nurse's manager says no by phone: the owner declines for him from the list, with a message.
    colleague = make_participant(first_name="Olle", last_name="Ek", email="olle@example.se")
    enrolment_services.enrol(colleague, occasion.pk, manager={"name": "Ulf Chef", "email": "ulf.chef@region.example"})
    page.goto(f"{live_server.url}{reverse('enrolments:index')}")
    row = page.get_by_role("row").filter(has_text=colleague.email)
    row.get_by_role("button", name=re.compile("alternativ", re.IGNORECASE)).click()
    row.get_by_role("link", name="Avslå i chefens ställe").click()
    page.get_by_label("Meddelande till deltagaren (valfritt)").fill("Din chef ringde: ingen vikarie den veckan.")
    page.get_by_role("button", name="Avslå i chefens ställe").click()
    expect(page.get_by_role("row").filter(has_text=colleague.email)).to_contain_text("Avslagen av närmaste chef")
    told = [message for message in mail.outbox if message.to == [colleague.email]][-1]
    assert "Meddelande från kursansvarig: Din chef ringde: ingen vikarie den veckan." in told.body
