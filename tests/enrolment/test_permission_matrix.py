"""Who may open which organiser page: every role × centre × admin view, action and export.

The participant at Skåne must be visible (their e-mail on the page or in the file) to exactly the roles allowed
for that page, and every other role gets a refusal (login, permission denied or not found) without the data.
Actions are posted too: a refused action changes nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.factories import UserFactory
from courses.centres import centre_team, network_admins
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam
from enrolment import services
from enrolment.models import Enrolment, ManagerApproval, OutboxMessage
from tests.conftest import built_once_for_the_module

from .conftest import make_participant

pytestmark = pytest.mark.django_db

OWNER, HELPER = CentreTeam.Role.COURSE_OWNER, CentreTeam.Role.CHECK_IN_HELPER
PERSON, EMAIL = "Skånedeltagarsson", "deltagare.skane@example.se"  # the participant at Skåne
ROLES = [
    "anonymous",
    "clinician",
    "staff without a role",
    "course owner, Skåne",
    "check-in helper, Skåne",
    "course owner, Uppsala",
    "check-in helper, Uppsala",
    "network admin",
    "superuser",
]
MANAGERS = {"course owner, Skåne", "network admin", "superuser"}
CHECKERS = MANAGERS | {"check-in helper, Skåne"}

# Course owners elsewhere open the lists of their own centre: the page opens, without Skåne's people in it.
ANY_OWNER = MANAGERS | {"course owner, Uppsala"}
# (url template, who sees the Skåne participant there, who may open it at all).
# {enrolment} and {occasion} are the Skåne participant's ids.
PAGES = [
    ("/admin/enrolments/", MANAGERS, ANY_OWNER),
    ("/admin/enrolments/?q=deltagare", MANAGERS, ANY_OWNER),
    ("/admin/enrolments/?export=csv", MANAGERS, ANY_OWNER),
    ("/admin/enrolments/?export=xlsx", MANAGERS, ANY_OWNER),
    # Another centre's occasion is not among a course owner's filter choices: refused, back to the list.
    ("/admin/enrolments/?occasion={occasion}&export=csv", MANAGERS, MANAGERS),
    ("/admin/enrolments/inspect/{enrolment}/", MANAGERS, MANAGERS),
    ("/admin/enrolments/{enrolment}/cancel/", MANAGERS, MANAGERS),
    ("/admin/enrolments/{enrolment}/move/", MANAGERS, MANAGERS),
    # The line manager's approval: resend and approve on the manager's behalf, for the one awaiting the manager.
    ("/admin/enrolments/{awaiting}/manager_resend/", MANAGERS, MANAGERS),
    ("/admin/enrolments/{awaiting}/manager_approve/", MANAGERS, MANAGERS),
    ("/admin/enrolments/{awaiting}/manager_decline/", MANAGERS, MANAGERS),
    ("/admin/occasions/{occasion}/sign-in-sheet/", MANAGERS, MANAGERS),
    # The invoice basis: one occasion's, and a period's (other centres' owners get their own, without Skåne's).
    ("/admin/occasions/{occasion}/invoice-basis/?export=csv", MANAGERS, MANAGERS),
    ("/admin/occasions/{occasion}/invoice-basis/?export=xlsx", MANAGERS, MANAGERS),
    ("/admin/invoice-basis/?start={day}&end={day}&export=csv", MANAGERS, ANY_OWNER),
    ("/admin/invoice-basis/?start={day}&end={day}&export=xlsx", MANAGERS, ANY_OWNER),
    # Check-in for today's occasion: helpers see names (not e-mail addresses).
    ("/admin/checkin/{today}/", CHECKERS, CHECKERS),
]
ANY_CHECKER = CHECKERS | {"course owner, Uppsala", "check-in helper, Uppsala"}
# Pages that do not show the participant's e-mail but must still be refused to the wrong people.
FORMS = [
    ("/admin/enrolments/export/", ANY_OWNER),
    ("/admin/occasions/", ANY_OWNER),
    ("/admin/occasions/{occasion}/message/", MANAGERS),
    ("/admin/occasions/{occasion}/capacity/", MANAGERS),
    ("/admin/checkin/", ANY_CHECKER),
    ("/admin/checkin/{today}/all-present/", CHECKERS),
    ("/admin/centre-reports/", ANY_OWNER),
    ("/admin/invoice-basis/", ANY_OWNER),
]
ACTIONS = [
    # (url, data, who may, how to tell it happened)
    (
        "/admin/checkin/{today}/mark/{today_enrolment}/",
        {"attended": "1"},
        CHECKERS,
        lambda e, o: Enrolment.objects.filter(occasion__start__lte=timezone.now(), status="attended").exists(),
    ),
    (
        "/admin/checkin/{today}/all-present/",
        {"confirm": "1"},
        CHECKERS,
        lambda e, o: Enrolment.objects.filter(occasion__start__lte=timezone.now(), status="attended").exists(),
    ),
    ("/admin/enrolments/{enrolment}/cancel/", {}, MANAGERS, lambda e, o: e.status == Enrolment.Status.CANCELLED),
    (
        "/admin/enrolments/{awaiting}/manager_approve/",
        {},
        MANAGERS,
        lambda e, o: Enrolment.objects.filter(
            status=Enrolment.Status.CONFIRMED, manager_approval__isnull=False
        ).exists(),
    ),
    (
        "/admin/enrolments/{awaiting}/manager_resend/",
        {},
        MANAGERS,
        lambda e, o: OutboxMessage.objects.filter(kind="manager_request").count() > 1,
    ),
    ("/admin/occasions/{occasion}/capacity/", {"capacity": "9"}, MANAGERS, lambda e, o: o.capacity == 9),
    (
        "/admin/occasions/{occasion}/message/",
        {"audience": "participants", "subject": "Hej", "body": "Text"},
        MANAGERS,
        lambda e, o: o.outbox_messages.filter(kind="organiser_message").exists(),
    ),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The same people and occasions for every role's test: built once for the module (tests/conftest.py)."""
    with built_once_for_the_module(django_db_blocker):
        yield build_world()


def build_world():
    skane = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    uppsala = CentreFactory(name="Region Uppsala", slug="uppsala")
    # A course with a fee, so the person is in the invoice basis too.
    occasion = OccasionFactory(
        course=create_course(title="Genterapi", centres=[skane], fee=Decimal("4500")), capacity=5
    )
    person = make_participant(email=EMAIL, last_name=PERSON)
    invoice = {"invoice_organisation": "Region Skåne", "cost_centre": "51200", "invoice_reference": "Ref"}
    enrolment = services.enrol(person, occasion.pk, invoice=invoice)
    # An occasion going on now, for check-in.
    now = timezone.now()
    today = OccasionFactory(
        course=occasion.course, capacity=5, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=5)
    )
    today_enrolment = Enrolment.objects.create(user=person, occasion=today, status=Enrolment.Status.CONFIRMED)
    # The same person in a course that needs the line manager's approval, awaiting the manager.
    manager_course = create_course(title="Genterapi med chefens godkännande", centres=[skane])
    manager_course.requires_manager_approval = True
    manager_course.save()
    awaiting = services.enrol(
        person, OccasionFactory(course=manager_course, capacity=5).pk, manager={"name": "Chef", "email": "c@ex.se"}
    )

    def in_team(centre, role):
        user = UserFactory(is_staff=True)
        centre_team(centre, role).user_set.add(user)
        return user

    admin = UserFactory(is_staff=True)
    network_admins().user_set.add(admin)
    users = {
        "anonymous": AnonymousUser(),
        "clinician": make_participant(),
        "staff without a role": UserFactory(is_staff=True),
        "course owner, Skåne": in_team(skane, OWNER),
        "check-in helper, Skåne": in_team(skane, HELPER),
        "course owner, Uppsala": in_team(uppsala, OWNER),
        "check-in helper, Uppsala": in_team(uppsala, HELPER),
        "network admin": admin,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    return {
        "users": users,
        "occasion": occasion,
        "enrolment": enrolment,
        "ids": {
            "occasion": occasion.pk,
            "enrolment": enrolment.pk,
            "today": today.pk,
            "today_enrolment": today_enrolment.pk,
            "day": timezone.localdate(occasion.start).isoformat(),
            "awaiting": awaiting.pk,
        },
    }


def login(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def xlsx_text(data):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_the_participant_only_to_the_right_roles(client, world, role):
    login(client, world["users"][role])
    ids = world["ids"]
    for template, sees, opens in PAGES:
        url = template.format(**ids)
        response = client.get(url)
        content = body(response)
        text = (
            xlsx_text(content) if "xlsx" in url and response.status_code == 200 else content.decode("utf-8", "replace")
        )
        if role in sees:
            assert response.status_code == 200, (role, url)
            assert PERSON in text, (role, url)
        elif role in opens:
            assert response.status_code == 200, (role, url)
            assert PERSON not in text and EMAIL not in text, (role, url)
        else:
            assert response.status_code in (302, 403, 404), (role, url, response.status_code)
            assert PERSON not in text and EMAIL not in text, (role, url)
    for template, allowed in FORMS:
        url = template.format(**ids)
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, (role, url)
        else:
            assert status in (302, 403, 404), (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_actions_are_carried_out_only_for_the_right_roles(client, world, role):
    login(client, world["users"][role])
    for template, data, allowed, happened in ACTIONS:
        enrolment = Enrolment.objects.get(pk=world["enrolment"].pk)
        occasion = enrolment.occasion
        # Each action starts from the same state.
        Enrolment.objects.filter(pk__in=[enrolment.pk, world["ids"]["today_enrolment"]]).update(
            status=Enrolment.Status.CONFIRMED
        )
        occasion.__class__.objects.filter(pk=occasion.pk).update(capacity=5)
        occasion.outbox_messages.filter(kind="organiser_message").delete()
        Enrolment.objects.filter(pk=world["ids"]["awaiting"]).update(status=Enrolment.Status.AWAITING_MANAGER)
        ManagerApproval.objects.update(decision="", by_organiser=False)
        OutboxMessage.objects.filter(kind="manager_request").exclude(key__endswith=":1").delete()

        url = template.format(**world["ids"])
        response = client.post(url, data)

        enrolment.refresh_from_db()
        occasion.refresh_from_db()
        if role in allowed:
            assert response.status_code == 302, (role, url)
            assert happened(enrolment, occasion), (role, url)
        else:
            assert response.status_code in (302, 403, 404), (role, url)
            assert not happened(enrolment, occasion), (role, url)
