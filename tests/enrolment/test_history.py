"""The network admin's site history and each enrolment's history show every entry the system logs, without an
error: one entry of each registered action is written for our models and both views are rendered."""

import re
from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from wagtail.log_actions import LogContext, log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from courses.centres import network_admins
from courses.factories import OccasionFactory, create_course
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

from .conftest import make_participant

pytestmark = pytest.mark.django_db

SITE_HISTORY = "/admin/reports/site-history/"


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def network_admin(client, site):
    admin = UserFactory(email="natverksadmin@example.se", is_staff=True)
    network_admins().user_set.add(admin)
    client.force_login(admin)
    return admin


@pytest.fixture
def enrolment(site):
    occasion = OccasionFactory(course=create_course(title="Historik för alla"))
    return EnrolmentFactory(user=make_participant(), occasion=occasion, status=Enrolment.Status.CONFIRMED)


# Wagtail's actions for pages, revisions, workflows and comments: their messages read a page or a revision, and
# nothing logs them for an enrolment or an occasion.
PAGE_ONLY = re.compile(
    r"^wagtail\.(workflow|comments|revert|publish|unpublish|schedule|copy|move|reorder|lock|unlock|rename"
    r"|view_restriction|convert_alias|create_alias)"
)


def our_actions():
    """Every registered action that can concern our models: ours, and Wagtail's generic ones (a capacity change
    is logged as wagtail.edit)."""
    return [action for action, _label in log_registry.get_choices() if not PAGE_ONLY.match(action)]


def history_text(client, url):
    """The text of every page of a paginated admin listing; each page must answer 200."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    texts = [text_of(first.content.decode())]
    for number in range(2, first.context["paginator"].num_pages + 1):
        response = client.get(url, {"p": number})
        assert response.status_code == 200, (url, number, response.status_code)
        texts.append(text_of(response.content.decode()))
    return " ".join(texts)


def labels(action):
    with translation.override("sv"):
        return str(log_registry.get_action_label(action))


def write_one_of_each(instance, user):
    actions = our_actions()
    for action in actions:
        log(instance=instance, action=action, user=user, data={"status": "confirmed", "capacity": 3, "reason": ""})
    return actions


def test_site_history_shows_one_entry_of_every_action_without_error(client, network_admin, enrolment):
    actions = write_one_of_each(enrolment, network_admin)
    write_one_of_each(enrolment.occasion, network_admin)

    text = history_text(client, SITE_HISTORY)

    assert len(actions) > 20
    for action in actions:
        assert labels(action) in text, action
    assert text.count(str(enrolment.occasion)) >= len(actions)


def test_an_enrolments_history_shows_one_entry_of_every_action(client, network_admin, enrolment):
    actions = write_one_of_each(enrolment, network_admin)

    text = history_text(client, f"/admin/enrolments/history/{enrolment.pk}/")

    for action in actions:
        assert labels(action) in text, action
    assert text.count("natverksadmin@example.se") + text.count(network_admin.get_full_name()) >= len(actions)


def test_entries_written_together_for_several_people_stay_in_each_history(client, network_admin, enrolment):
    """One capacity change or publish logs the same action for several people under one log context."""
    other = EnrolmentFactory(user=make_participant(), occasion=enrolment.occasion, status=Enrolment.Status.WAITING)
    with LogContext(user=network_admin):
        for person in (enrolment, other):
            log(instance=person, action="enrolment.promote", user=network_admin)
            log(instance=person, action="enrolment.offer", user=network_admin)
    log(instance=enrolment, action="enrolment.approve", user=network_admin)
    log(instance=enrolment, action="enrolment.create", user=network_admin)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Enrolment), object_id=str(enrolment.pk)
    )
    assert entries.count() == 4

    text = history_text(client, f"/admin/enrolments/history/{enrolment.pk}/")

    for action in ["enrolment.promote", "enrolment.offer", "enrolment.approve", "enrolment.create"]:
        assert labels(action) in text, action


def test_the_inspect_view_links_to_the_history(client, network_admin, enrolment):
    html = client.get(f"/admin/enrolments/inspect/{enrolment.pk}/").content.decode()

    assert f'href="/admin/enrolments/history/{enrolment.pk}/"' in html


def test_the_inspect_view_gives_times_in_stockholm(client, network_admin, enrolment):
    import datetime as dt

    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=dt.datetime(2026, 12, 2, 16, 48, tzinfo=dt.UTC))

    text = text_of(client.get(f"/admin/enrolments/inspect/{enrolment.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode())

    assert "2 dec. 2026 kl. 17.48" in text  # 16.48 UTC
    assert "16:48" not in text and "16.48" not in text


def test_a_course_owner_sees_the_history_of_their_own_participants_only(client, enrolment):
    from courses.centres import centre_team
    from courses.factories import CentreFactory
    from courses.models import CentreTeam

    owner = UserFactory(email="kursansvarig@example.se", is_staff=True)
    centre_team(enrolment.occasion.course.owning_centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    elsewhere = EnrolmentFactory(
        user=make_participant(),
        occasion=OccasionFactory(course=create_course(title="Annan kurs", centres=[CentreFactory(slug="annan")])),
        status=Enrolment.Status.CONFIRMED,
    )
    log(instance=enrolment, action="enrolment.approve", user=owner)
    client.force_login(owner)

    assert labels("enrolment.approve") in history_text(client, f"/admin/enrolments/history/{enrolment.pk}/")
    assert client.get(f"/admin/enrolments/history/{elsewhere.pk}/").status_code == 404
