"""The line manager's approval: the seat held while the manager decides, the signed single-use link, the
answer page (GET changes nothing, POST answers), expiry and the reminder halfway, the organisers' resend and
override, and the e-mails each step sends, in the clinician's language."""

import datetime as dt
import random
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from courses.factories import OccasionFactory, translate_course
from courses.models import CoursePage
from enrolment import manager, notifications, services
from enrolment.models import Enrolment, EnrolmentEvent, ManagerApproval, OutboxMessage
from enrolment.services import EnrolmentError

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
Kind = EnrolmentEvent.Kind
MANAGER = {"name": "Maria Chef", "email": "maria.chef@region.se"}


@pytest.fixture
def course(course):
    course.requires_manager_approval = True
    course.manager_days = 4
    course.save()
    return course


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, capacity=2, start=timezone.now() + dt.timedelta(days=30))


def enrol(user, occasion, manager_details=MANAGER, **kwargs):
    return services.enrol(user, occasion.pk, manager=manager_details, **kwargs)


def refreshed(enrolment):
    enrolment.refresh_from_db()
    return enrolment


def manager_mails(approval):
    return OutboxMessage.objects.filter(enrolment=approval.enrolment, email=approval.manager_email).order_by("pk")


def token_of(enrolment):
    approval = ManagerApproval.objects.get(enrolment=enrolment)
    return manager.make_token(approval.pk, approval.nonce)


def swedish(name, *args):
    """A URL in Swedish, whatever language an earlier request left active."""
    with translation.override("sv"):
        return reverse(name, args=args)


def actions(enrolment):
    return list(ModelLogEntry.objects.for_instance(enrolment).order_by("pk").values_list("action", flat=True))


# --- Enrolling ----------------------------------------------------------------------------------------------


def test_enrolling_holds_the_seat_for_the_manager_and_asks_them(participant, occasion):
    enrolment = enrol(participant, occasion)

    assert enrolment.status == Status.AWAITING_MANAGER
    assert occasion.__class__.objects.with_seats().get(pk=occasion.pk).seats_taken == 1
    approval = enrolment.manager_approval
    assert (approval.manager_name, approval.manager_email) == ("Maria Chef", "maria.chef@region.se")
    assert approval.deadline - approval.requested_at == dt.timedelta(days=4)
    request = manager_mails(approval).get()
    assert request.kind == Kind.MANAGER_REQUEST and request.user is None
    # The person hears that the seat is held, and why.
    assert OutboxMessage.objects.filter(enrolment=enrolment, user=participant, kind=Kind.AWAITING_MANAGER).exists()


def test_the_manager_is_remembered_on_the_profile(participant, occasion):
    enrol(participant, occasion)
    participant.refresh_from_db()
    assert (participant.manager_name, participant.manager_email) == ("Maria Chef", "maria.chef@region.se")


@pytest.mark.parametrize(
    "details",
    [None, {}, {"name": "Maria Chef", "email": ""}, {"name": "", "email": "a@b.se"}, {"name": "X", "email": "nej"}],
)
def test_a_course_that_needs_the_manager_refuses_an_enrolment_without_one(participant, occasion, details):
    with pytest.raises(EnrolmentError) as refused:
        enrol(participant, occasion, details)
    assert refused.value.code == "manager"
    assert not Enrolment.objects.exists()


def test_nobody_approves_their_own_enrolment(participant, occasion):
    with pytest.raises(EnrolmentError):
        enrol(participant, occasion, {"name": "Jag själv", "email": participant.email.upper()})
    assert not Enrolment.objects.exists()


def test_the_deadline_never_passes_the_start(participant, course):
    soon = OccasionFactory(course=course, capacity=5, start=timezone.now() + dt.timedelta(days=2))
    approval = enrol(participant, soon).manager_approval
    assert approval.deadline == soon.start


def test_a_full_occasion_puts_the_person_on_the_waiting_list_and_asks_the_manager_when_a_seat_frees(
    participant_factory, occasion
):
    first, second, third = (enrol(participant_factory(), occasion) for _ in range(3))
    assert third.status == Status.WAITING
    assert not manager_mails(third.manager_approval).exists()

    services.cancel(first.pk, first.user)

    third = refreshed(third)
    assert third.status == Status.AWAITING_MANAGER
    assert manager_mails(third.manager_approval).count() == 1
    assert third.manager_approval.deadline is not None


# --- The manager's answer -----------------------------------------------------------------------------------


def test_approving_confirms_the_enrolment(participant, occasion):
    enrolment = enrol(participant, occasion)
    manager.answer(token_of(enrolment), "approve")

    assert refreshed(enrolment).status == Status.CONFIRMED
    approval = ManagerApproval.objects.get(enrolment=enrolment)
    assert approval.decision == ManagerApproval.Decision.APPROVED and not approval.by_organiser
    assert actions(enrolment) == ["enrolment.create", "enrolment.manager_approve"]
    assert enrolment.events.filter(kind=Kind.CONFIRMED).exists()


def test_approving_leads_to_organiser_approval_when_the_course_has_it_too(participant, course, occasion):
    course.requires_approval = True
    course.save()
    enrolment = enrol(participant, occasion)
    manager.answer(token_of(enrolment), "approve")
    assert refreshed(enrolment).status == Status.PENDING


def test_declining_gives_the_seat_to_the_waiting_list_and_tells_the_person_why(participant_factory, occasion):
    enrolments = [enrol(participant_factory(), occasion) for _ in range(3)]
    first, waiting = enrolments[0], enrolments[2]

    manager.answer(token_of(first), "decline", "Vi har inte bemanning den veckan.")

    first = refreshed(first)
    assert first.status == Status.MANAGER_DECLINED
    assert first.manager_approval.message == "Vi har inte bemanning den veckan."
    assert refreshed(waiting).status == Status.AWAITING_MANAGER  # the next in line; their manager is asked
    told = OutboxMessage.objects.get(enrolment=first, kind=Kind.MANAGER_DECLINED)
    email = notifications.build_email(told)
    assert "Vi har inte bemanning den veckan." in email.body
    assert email.subject.startswith("Inte godkänd av din chef")


def test_a_link_is_single_use(participant, occasion):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    manager.answer(token, "approve")

    with pytest.raises(manager.LinkError) as reused:
        manager.answer(token, "decline")
    assert reused.value.code == "used"
    assert refreshed(enrolment).status == Status.CONFIRMED


def test_an_expired_link_changes_nothing(participant, occasion):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=4, minutes=1)),
        pytest.raises(manager.LinkError) as late,
    ):
        manager.answer(token, "approve")
    assert late.value.code == "expired"
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER
    assert actions(enrolment) == ["enrolment.create"]


def test_a_new_nonce_ends_the_old_links(participant, occasion):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    ManagerApproval.objects.filter(enrolment=enrolment).update(nonce="ny")
    with pytest.raises(manager.LinkError) as replaced:
        manager.answer(token, "approve")
    assert replaced.value.code == "replaced"
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER


def test_a_cancelled_enrolment_cannot_be_answered(participant, occasion):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    services.cancel(enrolment.pk, participant)
    with pytest.raises(manager.LinkError) as closed:
        manager.answer(token, "approve")
    assert closed.value.code == "closed"
    assert refreshed(enrolment).status == Status.CANCELLED


def flipped(token, rng):
    """The token with one character changed (a bit flipped in its text), still a plausible string."""
    position = rng.randrange(len(token))
    character = chr(ord(token[position]) ^ (1 << rng.randrange(6)))
    if not character.isprintable() or character in "/?#%":
        character = "A" if token[position] != "A" else "B"
    return token[:position] + character + token[position + 1 :]


def test_a_thousand_forged_tokens_are_all_refused(participant, occasion):
    enrolment = enrol(participant, occasion)
    approval = enrolment.manager_approval
    genuine = token_of(enrolment)
    rng = random.Random(16)  # noqa: S311 - reproducible forgeries, not secrets
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:"
    forgeries = set()
    while len(forgeries) < 500:
        forgeries.add("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, len(genuine) + 20))))
    while len(forgeries) < 1000:
        forgeries.add(flipped(genuine, rng))
    # ... and tokens signed with another key or salt, or for another approval with this nonce.
    forgeries |= {
        signing.dumps({"a": approval.pk, "n": approval.nonce}, salt="another.salt"),
        signing.dumps({"a": approval.pk, "n": approval.nonce}, salt=manager.SALT, key="not-the-secret-key"),
        manager.make_token(approval.pk + 1, approval.nonce),
    }
    forgeries.discard(genuine)

    accepted = []
    for forgery in forgeries:
        try:
            manager.answer(forgery, "approve")
        except manager.LinkError:
            continue
        accepted.append(forgery)

    assert accepted == []
    assert len(forgeries) >= 1000
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER
    manager.answer(genuine, "approve")  # the genuine one still works: the forgeries changed nothing
    assert refreshed(enrolment).status == Status.CONFIRMED


# --- The answer page ----------------------------------------------------------------------------------------


def page_url(token, language="sv"):
    return f"/{language}/line-manager/{token}/"


def test_opening_the_link_shows_the_request_and_changes_nothing(participant, occasion, course):
    enrolment = enrol(participant, occasion)
    client = Client()
    response = client.get(page_url(token_of(enrolment)) + "?answer=approve")

    assert response.status_code == 200
    text = response.content.decode()
    assert course.title in text and participant.get_full_name() in text
    assert "Bekräfta nedan" in text and "ingen avgift" in text
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER
    assert actions(enrolment) == ["enrolment.create"]


def test_the_manager_approves_by_post_without_an_account(participant, occasion):
    enrolment = enrol(participant, occasion)
    client = Client(enforce_csrf_checks=True)
    url = page_url(token_of(enrolment), "en")
    client.get(url)  # sets the CSRF cookie, as a browser would
    response = client.post(url, {"answer": "approve", "csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    assert response.status_code == 200
    assert "You have approved" in response.content.decode()
    assert refreshed(enrolment).status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "Förfrågan är redan besvarad."), ("en", "This request has already been answered.")],
)
def test_a_reused_link_says_so_in_the_language_of_the_link(participant, occasion, language, expected):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    manager.answer(token, "decline")

    for response in (
        Client().get(page_url(token, language)),
        Client().post(page_url(token, language), {"answer": "approve"}),
    ):
        assert response.status_code == 409
        assert expected in response.content.decode()
    assert refreshed(enrolment).status == Status.MANAGER_DECLINED


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", "Länken är inte giltig."), ("en", "This link is not valid.")],
)
def test_a_tampered_link_says_so_in_the_language_of_the_link(participant, occasion, language, expected):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    tampered = token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    for response in (
        Client().get(page_url(tampered, language)),
        Client().post(page_url(tampered, language), {"answer": "approve"}),
        Client().get(page_url("x" * 400, language)),
        Client().get(page_url("%00%ff", language)),
    ):
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert expected in response.content.decode()
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER


def test_an_expired_link_says_so(participant, occasion):
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)):
        response = Client().post(page_url(token, "en"), {"answer": "approve"})
    assert response.status_code == 410
    assert "The time to answer has passed." in response.content.decode()
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER


def test_an_answer_other_than_approve_or_decline_changes_nothing(participant, occasion):
    enrolment = enrol(participant, occasion)
    response = Client().post(page_url(token_of(enrolment)), {"answer": "confirm"})
    assert response.status_code == 400
    assert refreshed(enrolment).status == Status.AWAITING_MANAGER


def test_the_manager_weighs_the_fee_the_person_enrolled_for(participant_factory, course):
    """The occasion's own fee (0 = free) wins over the course's, written as the person's pages write it."""
    course.fee = Decimal("4500")
    course.save()
    evening = OccasionFactory(course=course, fee=Decimal("1200"), start=timezone.now() + dt.timedelta(days=30))
    free = OccasionFactory(course=course, fee=Decimal("0"), start=timezone.now() + dt.timedelta(days=30))
    invoice = {"invoice_organisation": "Region Skåne", "cost_centre": "51200", "invoice_reference": "ATMP"}
    paid = enrol(participant_factory(preferred_language="en"), evening, invoice=invoice)
    unpaid = enrol(participant_factory(preferred_language="en"), free)

    paid_mail = notifications.build_email(manager_mails(paid.manager_approval).get())
    unpaid_mail = notifications.build_email(manager_mails(unpaid.manager_approval).get())

    assert "Cost: SEK 1,200 excl. VAT." in paid_mail.body.replace("\u00a0", " ")
    assert "Cost: free of charge." in unpaid_mail.body
    page = Client().get(page_url(token_of(paid), "sv")).content.decode().replace("\u00a0", " ")
    assert "1 200 kr exkl. moms" in page


# --- The mail to the manager --------------------------------------------------------------------------------


def test_the_manager_gets_the_request_in_the_persons_language_with_two_working_buttons(participant_factory, occasion):
    person = participant_factory(preferred_language="en", first_name="Sara", last_name="Svensson")
    enrolment = enrol(person, occasion)
    email = notifications.build_email(manager_mails(enrolment.manager_approval).get())

    assert email.to == ["maria.chef@region.se"]
    assert email.subject.startswith("Approval requested: Sara Svensson")
    assert "Hello Maria Chef," in email.body
    assert "Cost: free of charge." in email.body
    assert "named you as their line manager" in email.body
    assert not email.attachments  # no calendar invitation: the manager is not coming
    links = re.findall(r"http://testserver(/en/line-manager/[^/\s]+/)\?answer=(approve|decline)", email.body)
    assert [answer for _url, answer in links] == ["approve", "decline"]
    url = links[1][0]
    assert Client().get(url).status_code == 200
    Client().post(url, {"answer": "decline"})
    assert refreshed(enrolment).status == Status.MANAGER_DECLINED


# --- Expiry and the reminder (beat jobs) -------------------------------------------------------------------


def test_no_answer_by_the_deadline_releases_the_seat_once(participant_factory, occasion):
    first, _second, waiting = (enrol(participant_factory(), occasion) for _ in range(3))
    later = timezone.now() + dt.timedelta(days=4, minutes=1)

    assert manager.expire_requests(now=later) == 2
    assert manager.expire_requests(now=later) == 0  # idempotent

    first = refreshed(first)
    assert first.status == Status.MANAGER_EXPIRED
    assert first.manager_approval.decision == ManagerApproval.Decision.EXPIRED
    assert refreshed(waiting).status == Status.AWAITING_MANAGER
    told = notifications.build_email(OutboxMessage.objects.get(enrolment=first, kind=Kind.MANAGER_EXPIRED))
    assert told.subject.startswith("Inget svar från din chef")
    assert "enrolment.manager_expire" in actions(first)


def test_the_manager_is_reminded_once_halfway(participant, occasion):
    enrolment = enrol(participant, occasion)
    approval = enrolment.manager_approval
    start = approval.requested_at

    assert manager.queue_reminders(now=start + dt.timedelta(days=1)) == 0
    assert manager.queue_reminders(now=start + dt.timedelta(days=2, minutes=1)) == 1
    assert manager.queue_reminders(now=start + dt.timedelta(days=3)) == 0
    reminder = manager_mails(approval).get(kind=Kind.MANAGER_REMINDER)
    assert notifications.build_email(reminder).subject.startswith("Påminnelse, godkännande begärs")


def test_no_reminder_once_the_manager_has_answered(participant, occasion):
    enrolment = enrol(participant, occasion)
    manager.answer(token_of(enrolment), "approve")
    assert manager.queue_reminders(now=timezone.now() + dt.timedelta(days=3)) == 0


def test_the_beat_job_is_scheduled():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["manager-approvals"]["task"] == "enrolment.tasks.process_manager_approvals"


# --- Organisers: resend and override, audited ---------------------------------------------------------------


def test_an_organiser_resends_the_request_with_a_link_that_still_works(participant, occasion):
    organiser = UserFactory(is_superuser=True, is_staff=True)
    enrolment = enrol(participant, occasion)
    manager.resend_request(enrolment.pk, organiser)

    approval = ManagerApproval.objects.get(enrolment=enrolment)
    assert manager_mails(approval).filter(kind=Kind.MANAGER_REQUEST).count() == 2
    entry = ModelLogEntry.objects.for_instance(enrolment).get(action="enrolment.manager_resend")
    assert entry.user == organiser
    manager.answer(token_of(enrolment), "approve")
    assert refreshed(enrolment).status == Status.CONFIRMED


def test_an_organiser_approves_on_the_managers_behalf(participant, occasion):
    organiser = UserFactory(is_superuser=True, is_staff=True)
    enrolment = enrol(participant, occasion)
    token = token_of(enrolment)
    manager.approve_for_manager(enrolment.pk, organiser)

    assert refreshed(enrolment).status == Status.CONFIRMED
    assert ManagerApproval.objects.get(enrolment=enrolment).by_organiser
    entry = ModelLogEntry.objects.for_instance(enrolment).get(action="enrolment.manager_override")
    assert entry.user == organiser
    with pytest.raises(manager.LinkError):
        manager.answer(token, "decline")  # the manager's link is used up


def test_an_organiser_declines_on_the_managers_behalf_and_the_seat_goes_on(participant_factory, occasion):
    organiser = UserFactory(is_superuser=True, is_staff=True)
    first, second, third = (enrol(participant_factory(preferred_language="sv"), occasion) for _ in range(3))
    token = token_of(first)

    manager.decline_for_manager(first.pk, organiser, "Chefen ringde: ingen vikarie den veckan.")

    assert refreshed(first).status == Status.MANAGER_DECLINED
    assert refreshed(third).status == Status.AWAITING_MANAGER  # the seat went on, to the manager of the next
    assert ManagerApproval.objects.get(enrolment=first).by_organiser
    entry = ModelLogEntry.objects.for_instance(first).get(action="enrolment.manager_override_decline")
    assert entry.user == organiser
    told = notifications.build_email(OutboxMessage.objects.get(enrolment=first, kind=Kind.MANAGER_DECLINED))
    assert "Meddelande från kursansvarig: Chefen ringde: ingen vikarie den veckan." in told.body
    with pytest.raises(manager.LinkError):
        manager.answer(token, "approve")  # the manager's link is used up


def test_resend_and_override_only_for_enrolments_awaiting_the_manager(participant, occasion):
    organiser = UserFactory(is_superuser=True, is_staff=True)
    enrolment = enrol(participant, occasion)
    manager.answer(token_of(enrolment), "approve")
    for action in (manager.resend_request, manager.approve_for_manager, manager.decline_for_manager):
        with pytest.raises(EnrolmentError):
            action(enrolment.pk, organiser)


# --- The enrolment form --------------------------------------------------------------------------------------


def test_the_form_asks_for_the_manager_prefilled_from_the_profile_and_enrols(client, participant_factory, occasion):
    person = participant_factory(manager_name="Maria Chef", manager_email="maria.chef@region.se")
    client.force_login(person)
    url = swedish("enrol", occasion.pk)

    form = client.get(url).content.decode()
    assert 'value="maria.chef@region.se"' in form and 'value="Maria Chef"' in form

    response = client.post(url, {"manager_name": "Per Chef", "manager_email": "per.chef@region.se"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == Status.AWAITING_MANAGER
    assert enrolment.manager_approval.manager_email == "per.chef@region.se"
    person.refresh_from_db()
    assert person.manager_email == "per.chef@region.se"  # remembered for the next course
    detail = client.get(swedish("enrolment_detail", enrolment.pk)).content.decode()
    assert "Väntar på närmaste chef" in detail and "per.chef@region.se" in detail


def test_the_form_refuses_ones_own_address_as_the_managers(client, participant, occasion):
    client.force_login(participant)
    response = client.post(swedish("enrol", occasion.pk), {"manager_name": "X", "manager_email": participant.email})
    assert response.status_code == 400
    assert "inte din egen" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_profile_page_changes_the_manager(client, participant):
    client.force_login(participant)
    data = {
        "first_name": participant.first_name,
        "last_name": participant.last_name,
        "profession": participant.profession,
        "workplace": participant.workplace,
        "region": participant.region,
        "preferred_language": "sv",
        "accept_privacy": "on",
        "manager_name": "Ny Chef",
        "manager_email": "ny.chef@region.se",
    }
    assert client.post(swedish("profile"), data).status_code == 302
    participant.refresh_from_db()
    assert (participant.manager_name, participant.manager_email) == ("Ny Chef", "ny.chef@region.se")


def test_an_english_page_not_yet_synced_still_asks_for_the_manager(client, participant, course, occasion):
    english = translate_course(course, "en", title="CAR-T cell therapy for nurses")
    CoursePage.objects.filter(pk=english.pk).update(requires_manager_approval=False)  # the rule came later
    client.force_login(participant)
    with translation.override("en"):
        url = reverse("enrol", args=[occasion.pk])

    assert "Your line manager&#x27;s e-mail" in client.get(url).content.decode()
    response = client.post(url, {"manager_name": "Maria Chef", "manager_email": "maria.chef@region.se"})
    assert response.status_code == 302
    assert Enrolment.objects.get(user=participant).status == Status.AWAITING_MANAGER


def test_turning_the_rule_on_or_off_says_what_it_does_to_people_already_enrolled(participant_factory, course, occasion):
    enrol(participant_factory(), occasion)
    with_rule = services.enrolment_rules(course)
    without_rule = {**with_rule, "requires_manager_approval": False}

    with translation.override("en"):
        turned_on = services.rule_change_effects(course, without_rule, with_rule)
        turned_off = services.rule_change_effects(course, with_rule, without_rule)

    assert turned_on == [
        "New enrolments now need the line manager's approval; the 1 person already enrolled is not asked for it."
    ]
    assert turned_off == [
        "New enrolments no longer need the line manager's approval; 1 enrolment still awaits its manager's answer."
    ]


# --- The person names another manager ------------------------------------------------------------------------

NEW_MANAGER = {"manager_name": "Per Chef", "manager_email": "per.chef@region.se"}


def test_the_person_corrects_the_managers_address_and_only_the_new_link_works(participant, occasion, client):
    enrolment = enrol(participant, occasion, {"name": "Maria Chef", "email": "maria.chef@regoin.se"})  # mistyped
    old_token, deadline = token_of(enrolment), refreshed(enrolment).manager_approval.deadline
    client.force_login(participant)
    url = swedish("change_manager", enrolment.pk)

    form = client.get(url).content.decode()
    assert "maria.chef@regoin.se" in form  # the form starts from the manager asked
    response = client.post(url, {"manager_name": "Maria Chef", "manager_email": "maria.chef@region.se"}, follow=True)

    assert "Vi har skickat förfrågan till maria.chef@region.se." in response.content.decode()
    approval = ManagerApproval.objects.get(enrolment=enrolment)
    assert approval.manager_email == "maria.chef@region.se"
    assert approval.deadline == deadline  # the seat is held for the course's days once
    [request] = manager_mails(approval)
    assert request.kind == Kind.MANAGER_REQUEST
    with pytest.raises(manager.LinkError) as replaced:
        manager.answer(old_token, "approve")
    assert replaced.value.code == "replaced"
    manager.answer(token_of(enrolment), "approve")
    assert refreshed(enrolment).status == Status.CONFIRMED
    participant.refresh_from_db()
    assert participant.manager_email == "maria.chef@region.se"
    assert "enrolment.manager_change" in actions(enrolment)


def test_on_the_waiting_list_the_new_manager_is_asked_when_a_seat_frees(participant_factory, occasion, client):
    first, _second, third = (enrol(participant_factory(), occasion) for _ in range(3))
    client.force_login(third.user)
    detail = client.get(swedish("enrolment_detail", third.pk)).content.decode()
    assert "ber vi din närmaste chef, Maria Chef (maria.chef@region.se)" in detail

    response = client.post(swedish("change_manager", third.pk), NEW_MANAGER, follow=True)
    assert "Vi frågar per.chef@region.se när en plats blir ledig för dig." in response.content.decode()
    assert not OutboxMessage.objects.filter(enrolment=third, kind=Kind.MANAGER_REQUEST).exists()

    services.cancel(first.pk, first.user)

    [request] = OutboxMessage.objects.filter(enrolment=third, kind=Kind.MANAGER_REQUEST)
    assert request.email == "per.chef@region.se"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"manager_name": "Maria Chef", "manager_email": "maria.chef@region.se"}, "Den chefen har redan fått"),
        ({"manager_name": "Per Chef", "manager_email": "inte en adress"}, "Ange en giltig mejladress."),
        ({"manager_name": "", "manager_email": "per.chef@region.se"}, "chefs namn: Det här fältet är obligatoriskt"),
        ({"manager_name": "Jag", "manager_email": "{own}"}, "Ange din chefs adress, inte din egen."),
    ],
)
def test_a_change_that_cannot_be_made_says_why_and_changes_nothing(participant, occasion, client, data, message):
    enrolment = enrol(participant, occasion)
    client.force_login(participant)
    data = {name: value.replace("{own}", participant.email) for name, value in data.items()}

    response = client.post(swedish("change_manager", enrolment.pk), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    approval = ManagerApproval.objects.get(enrolment=enrolment)
    assert approval.manager_email == "maria.chef@region.se"
    assert manager_mails(approval).count() == 1


def test_nobody_changes_another_persons_manager_or_one_who_has_answered(participant_factory, occasion, client):
    owner, stranger = participant_factory(), participant_factory()
    enrolment = enrol(owner, occasion)
    client.force_login(stranger)
    assert client.post(swedish("change_manager", enrolment.pk), NEW_MANAGER).status_code == 404
    with pytest.raises(EnrolmentError):
        manager.change_manager(enrolment.pk, {"name": "X", "email": "x@region.se"}, stranger)

    manager.answer(token_of(enrolment), "approve")
    client.force_login(owner)
    response = client.post(swedish("change_manager", enrolment.pk), NEW_MANAGER, follow=True)
    assert "kan bara bytas medan anmälan väntar på chefens svar" in response.content.decode()
    assert ManagerApproval.objects.get(enrolment=enrolment).manager_email == "maria.chef@region.se"
