"""Reports for course owners and network admins: the dashboard panel and the report per centre, as they
see them in the Wagtail admin (numbers, scoping to their centres, bad query strings, query counts)."""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from accounts.models import Profession
from courses.centres import centre_team, network_admins
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import Centre, CentreTeam, CoursePage
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment
from tests.conftest import built_once_for_the_module

from .conftest import make_participant

pytestmark = pytest.mark.django_db

Status = Enrolment.Status
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=STOCKHOLM)
REPORT = "/admin/centre-reports/"


# --- Helpers ------------------------------------------------------------------------------------------


def text_of(html):
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def page(client, url=REPORT):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def panel(html, panel_id):
    """The HTML of one admin panel (Wagtail renders `{% panel id=... %}` as <section id="...-section">)."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def occasion_row(html, occasion):
    """The cells of an occasion's row in an upcoming-occasions table, as text ([] if not listed)."""
    match = re.search(rf'<tr data-occasion="{occasion.pk}">(.*?)</tr>', html, re.S)
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)] if match else []


def table_rows(html):
    """{row header: [cells]} for the tables in an HTML fragment."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            rows[text_of(header.group(1))] = [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def person(profession=Profession.NURSE, region="uppsala"):
    """A clinician with a complete profile, working in `region`."""
    user = make_participant(profession=profession)
    user.region = region
    user.save(update_fields=["region"])
    return user


def enrol(occasion, status=Status.CONFIRMED, created_at=None, user=None, **profile):
    enrolment = EnrolmentFactory(occasion=occasion, user=user or person(**profile))
    # Straight to the state and date wanted: the services would refuse a past date or marked attendance.
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status, created_at=created_at or enrolment.created_at)
    return enrolment


def at(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def in_english(user):
    """The admin speaks to `user` in English (Wagtail's own language preference)."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


# --- Fixtures -----------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def centre_with_course(django_db_blocker, name, short_name, title):
    """A centre and its course, built once for the module at the report's date (tests/conftest.py)."""
    with built_once_for_the_module(django_db_blocker), time_machine.travel(NOW, tick=False):
        centre = CentreFactory(name=name, short_name=short_name)
        yield {"centre": centre.pk, "course": create_course(title=title, centres=[centre]).pk}


@pytest.fixture(scope="module")
def alfa(django_db_setup, django_db_blocker):
    yield from centre_with_course(django_db_blocker, "ATMP-centrum Alfa", "Alfa", "Alfakursen i cellterapi")


@pytest.fixture(scope="module")
def beta(django_db_setup, django_db_blocker):
    yield from centre_with_course(django_db_blocker, "ATMP-centrum Beta", "Beta", "Betakursen i genterapi")


@pytest.fixture
def centre_a(alfa, site):
    return Centre.objects.get(pk=alfa["centre"])


@pytest.fixture
def centre_b(beta, site):
    return Centre.objects.get(pk=beta["centre"])


@pytest.fixture
def course_a(alfa, centre_a):
    return CoursePage.objects.get(pk=alfa["course"])


@pytest.fixture
def course_b(beta, centre_b):
    return CoursePage.objects.get(pk=beta["course"])


@pytest.fixture
def nurses(site):
    return Profession.NURSE


@pytest.fixture
def owner_a(centre_a):
    owner = in_english(UserFactory(email="owner-a@example.se", is_staff=True))
    centre_team(centre_a, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    return owner


@pytest.fixture
def network_admin(site):
    admin = in_english(UserFactory(email="network-admin@example.se", is_staff=True))
    network_admins().user_set.add(admin)
    return admin


@pytest.fixture
def as_owner_a(client, owner_a):
    client.force_login(owner_a)
    return client


@pytest.fixture
def as_network_admin(client, network_admin):
    client.force_login(network_admin)
    return client


@pytest.fixture
def both_centres(course_a, course_b):
    """An upcoming occasion at each centre, with one enrolment made this month (B's by a pharmacist)."""
    occasion_a = OccasionFactory(course=course_a, start=at(2026, 3, 25, 9), capacity=10)
    occasion_b = OccasionFactory(course=course_b, start=at(2026, 3, 26, 9), capacity=10)
    enrol(occasion_a)
    enrol(occasion_b, profession=Profession.PHARMACIST, region="skane")
    return occasion_a, occasion_b


# --- Occasions in the next 30 days --------------------------------------------------------------------


def test_the_report_shows_seats_taken_fill_rate_and_waiting_list_of_the_next_30_days(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 3, 20, 9), capacity=4)
    for status in [Status.CONFIRMED, Status.CONFIRMED, Status.OFFERED, Status.WAITING, Status.WAITING]:
        enrol(occasion, status)
    enrol(occasion, Status.CANCELLED)
    unlimited = OccasionFactory(course=course_a, start=at(2026, 4, 2, 9), capacity=None)
    enrol(unlimited)
    later = OccasionFactory(course=course_a, start=at(2026, 4, 20, 9))
    called_off = OccasionFactory(course=course_a, start=at(2026, 3, 22, 9), cancelled=True)
    ended = OccasionFactory(course=course_a, start=at(2026, 3, 10, 9))

    html = panel(page(as_owner_a), "report-upcoming")

    assert occasion_row(html, occasion) == ["Alfakursen i cellterapi", "20 Mar 2026, 09:00–16:00", "3 of 4", "75%", "2"]
    assert occasion_row(html, unlimited)[2:] == ["1 (no limit)", "No seat limit", "0"]
    for occasion in (later, called_off, ended):
        assert occasion_row(html, occasion) == []


def test_a_full_occasion_shows_a_full_bar(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 3, 20, 9), capacity=2)
    enrol(occasion)
    enrol(occasion, Status.PENDING)

    html = panel(page(as_owner_a), "report-upcoming")

    assert occasion_row(html, occasion)[2:4] == ["2 of 2", "100%"]
    assert 'class="atmp-bar__fill" width="100"' in html


def test_the_dashboard_lists_the_coming_occasions_with_a_link_to_the_report(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 3, 20, 9), capacity=4)
    enrol(occasion)
    enrol(occasion, Status.WAITING)

    html = panel(page(as_owner_a, "/admin/"), "upcoming-occasions")

    assert occasion_row(html, occasion) == ["Alfakursen i cellterapi", "20 Mar 2026, 09:00–16:00", "1 of 4", "25%", "1"]
    assert f'href="{REPORT}"' in html


# --- Enrolments per month -----------------------------------------------------------------------------


def test_enrolments_per_month_count_standing_enrolments_in_stockholm_months_and_show_empty_months(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 5, 4, 9))
    enrol(occasion, created_at=at(2026, 3, 2))
    enrol(occasion, Status.WAITING, created_at=at(2026, 3, 14))
    enrol(occasion, Status.CANCELLED, created_at=at(2026, 3, 3))  # left out
    enrol(occasion, Status.REJECTED, created_at=at(2026, 3, 3))  # left out
    enrol(occasion, created_at=at(2026, 3, 1, 0, 30))  # 28 Feb in UTC, March in Stockholm
    enrol(occasion, created_at=at(2026, 1, 31, 23, 30))  # 31 Jan in Stockholm, February in UTC
    enrol(occasion, created_at=at(2025, 4, 1, 0, 5))  # the first month of the last 12
    enrol(occasion, created_at=at(2025, 3, 31, 23, 55))  # before the period

    html = panel(page(as_owner_a), "report-monthly")
    rows = table_rows(html)

    months_2025 = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert list(rows) == [f"{month} 2025" for month in months_2025] + ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert rows["Mar 2026"] == ["3"]
    assert rows["Feb 2026"] == ["0"]
    assert rows["Jan 2026"] == ["1"]
    assert rows["Apr 2025"] == ["1"]
    assert rows["Sep 2025"] == ["0"]
    assert "5 enrolments in the period." in text_of(html)
    assert html.count('class="atmp-report__column"') == 12


def test_the_period_filter_shortens_the_months(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 5, 4, 9))
    enrol(occasion, created_at=at(2026, 1, 10))
    enrol(occasion, created_at=at(2025, 12, 10))

    rows = table_rows(panel(page(as_owner_a, f"{REPORT}?period=3"), "report-monthly"))

    assert rows == {"Jan 2026": ["1"], "Feb 2026": ["0"], "Mar 2026": ["0"]}


def test_a_person_who_cancelled_and_enrolled_again_counts_once_for_the_occasion(as_owner_a, course_a):
    occasion = OccasionFactory(course=course_a, start=at(2026, 5, 4, 9))
    anna = person()
    enrol(occasion, Status.CANCELLED, user=anna, created_at=at(2026, 3, 1))
    enrol(occasion, user=anna, created_at=at(2026, 3, 2))
    enrol(OccasionFactory(course=course_a, start=at(2026, 6, 4, 9)), user=anna, created_at=at(2026, 3, 3))

    rows = table_rows(panel(page(as_owner_a), "report-monthly"))

    assert rows["Mar 2026"] == ["2"]  # once per occasion, two occasions


# --- No-show rate -------------------------------------------------------------------------------------


def test_the_no_show_rate_covers_marked_attendance_of_occasions_ended_in_the_period(as_owner_a, centre_a, course_a):
    other_course = create_course(title="Bkurs om vektorer", centres=[centre_a])
    first = OccasionFactory(course=course_a, start=at(2026, 2, 10, 9))
    for status in [Status.ATTENDED, Status.ATTENDED, Status.ATTENDED, Status.NO_SHOW]:
        enrol(first, status)
    second = OccasionFactory(course=other_course, start=at(2025, 11, 10, 9))
    for status in [Status.ATTENDED, Status.NO_SHOW, Status.CONFIRMED]:  # the confirmed one was never marked
        enrol(second, status)
    too_early = OccasionFactory(course=course_a, start=at(2025, 2, 10, 9))
    enrol(too_early, Status.NO_SHOW)
    called_off = OccasionFactory(course=course_a, start=at(2026, 1, 10, 9), cancelled=True)
    enrol(called_off, Status.NO_SHOW)

    html = panel(page(as_owner_a), "report-no-shows")

    assert text_of(re.search(r'id="no-show-rate">(.*?)<', html).group(1)) == "33%"
    assert "2 no-shows of 6 people with marked attendance." in text_of(html)
    assert table_rows(html) == {
        "Alfakursen i cellterapi": ["3", "1", "25%"],
        "Bkurs om vektorer": ["1", "1", "50%"],
    }

    short = panel(page(as_owner_a, f"{REPORT}?period=3"), "report-no-shows")
    assert table_rows(short) == {"Alfakursen i cellterapi": ["3", "1", "25%"]}


def test_without_marked_attendance_there_is_no_rate(as_owner_a, course_a):
    enrol(OccasionFactory(course=course_a, start=at(2026, 2, 10, 9)))

    html = panel(page(as_owner_a), "report-no-shows")

    assert "No attendance has been marked for occasions in this period." in text_of(html)
    assert 'id="no-show-rate"' not in html


# --- Professions and regions --------------------------------------------------------------------------


def test_participants_by_profession_in_the_viewers_language_and_by_region(as_owner_a, course_a, nurses):
    doctors = Profession.PHYSICIAN
    first = OccasionFactory(course=course_a, start=at(2026, 4, 10, 9))
    second = OccasionFactory(course=course_a, start=at(2026, 5, 10, 9))
    nurse = person(profession=nurses, region="uppsala")
    enrol(first, user=nurse)
    enrol(second, user=nurse)  # another occasion: counted again
    enrol(first, profession=nurses, region="skane")
    enrol(first, Status.CANCELLED, profession=nurses, region="skane")  # left out
    enrol(first, profession=doctors, region="skane")
    no_profile = UserFactory()
    enrol(first, user=no_profile)

    html = page(as_owner_a)

    assert table_rows(panel(html, "report-professions")) == {
        "Nurse": ["3", "60%"],
        "Physician": ["1", "20%"],
        "Not given": ["1", "20%"],
    }
    assert table_rows(panel(html, "report-regions")) == {
        "Region Skåne": ["2", "40%"],
        "Region Uppsala": ["2", "40%"],
        "Not given": ["1", "20%"],
    }


def test_a_swedish_speaking_viewer_reads_swedish_profession_names(client, owner_a, course_a, nurses):
    UserProfile.objects.filter(user=owner_a).update(preferred_language="sv")
    enrol(OccasionFactory(course=course_a, start=at(2026, 4, 10, 9)), profession=nurses)
    client.force_login(owner_a)

    rows = table_rows(panel(page(client), "report-professions"))

    assert list(rows) == ["Sjuksköterska"]


# --- Who sees what ------------------------------------------------------------------------------------


def test_a_course_owner_sees_only_their_centres_occasions_on_the_dashboard(as_owner_a, both_centres):
    occasion_a, occasion_b = both_centres

    html = page(as_owner_a, "/admin/")

    assert occasion_row(html, occasion_a)
    assert occasion_row(html, occasion_b) == []
    assert "Betakursen" not in html


@pytest.mark.parametrize("query", ["", "?centre={b}", "?centre={b}&period=6", "?centre={b}&centre={b}"])
def test_a_course_owner_never_sees_another_centres_figures(as_owner_a, both_centres, centre_b, query):
    occasion_a, occasion_b = both_centres

    html = page(as_owner_a, REPORT + query.format(b=centre_b.pk))

    assert occasion_row(html, occasion_a)
    assert occasion_row(html, occasion_b) == []
    assert "Betakursen" not in html
    assert "Farmaceuter" not in html
    assert "Region Skåne" not in html
    assert "1 enrolment in the period." in text_of(html)
    assert f'<option value="{centre_b.pk}"' not in html
    if "centre" in query:
        assert "That centre is not available to you, so the report shows the default." in text_of(html)


def test_a_course_owner_of_two_centres_chooses_between_them(as_owner_a, owner_a, both_centres, centre_b):
    centre_team(centre_b, CentreTeam.Role.COURSE_OWNER).user_set.add(owner_a)
    occasion_a, occasion_b = both_centres

    html = page(as_owner_a, f"{REPORT}?centre={centre_b.pk}")

    assert occasion_row(html, occasion_b)
    assert occasion_row(html, occasion_a) == []
    assert "All centres" not in html


def test_a_network_admin_sees_all_centres_and_can_pick_one(as_network_admin, both_centres, centre_b):
    occasion_a, occasion_b = both_centres

    dashboard = page(as_network_admin, "/admin/")
    everything = page(as_network_admin)
    only_b = page(as_network_admin, f"{REPORT}?centre={centre_b.pk}")

    assert occasion_row(dashboard, occasion_a) and occasion_row(dashboard, occasion_b)
    assert occasion_row(everything, occasion_a) and occasion_row(everything, occasion_b)
    assert "2 enrolments in the period." in text_of(everything)
    assert occasion_row(only_b, occasion_b) and occasion_row(only_b, occasion_a) == []
    assert "Pharmacist" in only_b


def test_a_superuser_is_a_network_admin(client, both_centres):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    occasion_a, occasion_b = both_centres

    html = page(client)

    assert occasion_row(html, occasion_a) and occasion_row(html, occasion_b)


def test_a_clinician_cannot_open_the_report(client, both_centres):
    client.force_login(make_participant())

    response = client.get(REPORT)

    assert response.status_code in (302, 403)
    assert "Alfakursen" not in response.content.decode()


def test_staff_without_a_centre_role_are_refused_and_see_no_panel_or_menu_item(client, both_centres, centre_a):
    helper = in_english(UserFactory(is_staff=True))
    centre_team(centre_a, CentreTeam.Role.CHECK_IN_HELPER).user_set.add(helper)  # admin access, no reports
    client.force_login(helper)

    assert client.get(REPORT).status_code == 403
    dashboard = page(client, "/admin/")
    assert panel(dashboard, "upcoming-occasions") == ""
    assert REPORT not in dashboard


def test_course_owners_find_the_report_in_the_reports_menu(as_owner_a):
    assert REPORT in page(as_owner_a, "/admin/")


# --- Bad query strings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?centre=abc", "That centre is not available to you"),
        ("?centre=99999999999999999999999", "That centre is not available to you"),
        ("?centre=-1", "That centre is not available to you"),
        ("?period=7", "The period must be 3, 6 or 12 months"),
        ("?period=twelve", "The period must be 3, 6 or 12 months"),
        ("?period=%00", "The period must be 3, 6 or 12 months"),
    ],
)
def test_malformed_filters_show_the_default_report_with_a_message(as_network_admin, both_centres, query, message):
    occasion_a, occasion_b = both_centres

    html = page(as_network_admin, REPORT + query)

    assert message in text_of(html)
    assert occasion_row(html, occasion_a) and occasion_row(html, occasion_b)
    assert len(table_rows(panel(html, "report-monthly"))) == 12


# --- Queries ------------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _busy_centre(course, courses, nurses):
    """Many occasions, past and coming, with enrolments in every state from people of several professions."""
    statuses = [Status.CONFIRMED, Status.WAITING, Status.ATTENDED, Status.NO_SHOW, Status.CANCELLED]
    for index, target in enumerate([course, *courses] * 3):
        occasion = OccasionFactory(course=target, start=at(2026, 3, 1, 9) + dt.timedelta(days=7 * index - 30))
        for number, status in enumerate(statuses):
            profession = nurses if number % 2 else list(Profession)[number]
            made = at(2025, 5, 5) + dt.timedelta(days=31 * (index % 10))
            enrol(occasion, status, created_at=made, profession=profession)


@pytest.mark.parametrize("url", [REPORT, "/admin/"])
def test_the_number_of_queries_does_not_grow_with_the_occasions(
    as_owner_a, centre_a, course_a, nurses, url, django_assert_max_num_queries
):
    enrol(OccasionFactory(course=course_a, start=at(2026, 3, 20, 9)), profession=nurses)
    enrol(OccasionFactory(course=course_a, start=at(2026, 2, 20, 9)), Status.ATTENDED, profession=nurses)
    _queries(as_owner_a, url)  # warm caches (content types, site root)
    baseline = _queries(as_owner_a, url)
    _busy_centre(course_a, [create_course(title=f"Kurs {n}", centres=[centre_a]) for n in range(3)], nurses)

    with django_assert_max_num_queries(baseline):
        html = page(as_owner_a, url)

    assert html.count("<tr data-occasion=") > 1
