"""Evaluation results in the Wagtail admin, as course owners and network admins read them: the response rate, a
chart and a table per question, free text, the XLSX, small occasions hidden, another centre's results refused,
and a query count that does not grow with the answers."""

import datetime as dt
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from accounts.factories import UserFactory
from courses.centres import centre_team, network_admins
from courses.factories import CentreFactory, OccasionFactory, create_course, default_evaluation, translate_course
from courses.models import CentreTeam
from enrolment import evaluations
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

from .conftest import make_participant

pytestmark = pytest.mark.django_db

SATISFIED, USEFUL, RECOMMEND, BETTER = (f"5f0b2d1e-0000-4000-8000-00000000000{n}" for n in range(1, 5))


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def staff(centre=None, role=CentreTeam.Role.COURSE_OWNER, email=None):
    user = in_english(UserFactory(is_staff=True, **({"email": email} if email else {})))
    group = centre_team(centre, role) if centre else network_admins()
    group.user_set.add(user)
    return user


def answered(occasion, *answer_sets, invited=0):
    """People who attended `occasion` and answered (one per answers dict), and `invited` more who did not."""
    enrolments = [
        EnrolmentFactory(occasion=occasion, user=make_participant(), status=Enrolment.Status.ATTENDED)
        for _ in range(len(answer_sets) + invited)
    ]
    evaluations.queue_invitations()
    for enrolment, answers in zip(enrolments, answer_sets, strict=False):
        evaluations.submit(evaluations.token_for(enrolment.pk), answers)


@pytest.fixture
def alfa(site):
    return CentreFactory(name="ATMP-centrum Alfa", short_name="Alfa")


@pytest.fixture
def course(alfa):
    default_evaluation()
    course = create_course(title="Alfakursen i cellterapi", centres=[alfa])
    translate_course(course, "en", title="The Alfa course in cell therapy")
    return course


@pytest.fixture
def ended(course):
    end = timezone.now() - dt.timedelta(hours=3)
    return OccasionFactory(course=course, start=end - dt.timedelta(hours=7), end=end)


@pytest.fixture
def owner(alfa):
    return staff(alfa)


def url(occasion):
    return f"/admin/evaluations/occasion/{occasion.pk}/"


def test_the_owner_reads_an_occasions_results(client, owner, ended):
    answered(
        ended,
        {SATISFIED: 5, RECOMMEND: 0, BETTER: "Mer tid för praktiska övningar"},
        {SATISFIED: 4, RECOMMEND: 0},
        {SATISFIED: 5, RECOMMEND: 1, BETTER: '=HYPERLINK("http://evil")'},
        invited=1,
    )
    client.force_login(owner)

    html = client.get(url(ended)).content.decode()

    assert text_of(re.search(r'id="response-rate">(.*?)<', html).group(1)) == "75%"
    assert "3 answers; asked: 4." in text_of(html)
    # The 1–5 question as a chart drawn on the server, and the same figures in a table.
    assert html.count('data-chart="scale"') == 2 and html.count('data-chart="choice"') == 1
    table = html[html.index("<caption>How satisfied are you with the course as a whole?</caption>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td><td>(.*?)</td></tr>', table)
    assert rows == [("1", "0", "0%"), ("2", "0", "0%"), ("3", "0", "0%"), ("4", "1", "33%"), ("5", "2", "67%")]
    assert "Mer tid för praktiska övningar" in html
    assert "mean 4.7" in text_of(html)


def test_an_occasion_with_two_answers_says_its_results_are_hidden(client, owner, ended):
    answered(ended, {SATISFIED: 1, BETTER: "Föreläsaren var otrevlig"}, {SATISFIED: 2})
    client.force_login(owner)

    html = client.get(url(ended)).content.decode()

    assert "Fewer than 3 people have answered, so the results are hidden" in text_of(html)
    assert "Föreläsaren var otrevlig" not in html and "data-chart" not in html


def test_the_xlsx_has_the_summary_the_answers_and_neutralised_free_text(client, owner, ended):
    answered(ended, {SATISFIED: 5, BETTER: '=HYPERLINK("http://evil")'}, {SATISFIED: 4}, {SATISFIED: 3})
    client.force_login(owner)

    response = client.get(url(ended) + "?format=xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="evaluation-the-alfa-course-in-cell-therapy-'
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Summary", "Answers", "Free text"]
    summary = list(workbook["Summary"].values)
    assert summary[1][2:5] == (3, 3, 1)
    answers = list(workbook["Answers"].values)
    assert ("How satisfied are you with the course as a whole?", "Scale 1–5", "5", 1, pytest.approx(1 / 3)) in answers
    assert list(workbook["Free text"].values)[1][1] == '\'=HYPERLINK("http://evil")'


def test_the_course_over_time_lists_each_occasion_and_hides_small_ones(client, owner, course, ended):
    earlier = OccasionFactory(
        course=course, start=ended.start - dt.timedelta(days=8), end=ended.end - dt.timedelta(days=8)
    )
    answered(earlier, {SATISFIED: 1}, {SATISFIED: 1})
    answered(ended, {SATISFIED: 5, USEFUL: 4}, {SATISFIED: 4, USEFUL: 4}, {SATISFIED: 3, USEFUL: 5})
    client.force_login(owner)

    index = text_of(client.get("/admin/evaluations/").content.decode())
    html = client.get(f"/admin/evaluations/course/{course.pk}/").content.decode()
    start = html.index('id="evaluation-occasions-table"')
    table = html[start : html.index("</table>", start)]

    assert "The Alfa course in cell therapy 2 5 5 100%" in index
    rows = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
    assert rows[0].endswith("2 2 100% Hidden: fewer than 3 answers")
    assert rows[1].endswith("3 3 100% 4.0 4.3")
    # The combined chart counts only the occasion that is shown.
    assert "3 answers" in text_of(html[html.index('id="evaluation-together') :])
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(f"/admin/evaluations/course/{course.pk}/?format=xlsx").streaming_content))
    )
    assert workbook.sheetnames == ["Occasions", "Answers", "Free text"]


def test_another_centres_owner_and_a_check_in_helper_are_refused(client, alfa, ended):
    answered(ended, {SATISFIED: 5}, {SATISFIED: 5}, {SATISFIED: 5})
    beta_owner = staff(CentreFactory(name="ATMP-centrum Beta", short_name="Beta"))
    helper = staff(alfa, CentreTeam.Role.CHECK_IN_HELPER)

    client.force_login(beta_owner)
    assert client.get(url(ended)).status_code == 404
    assert client.get(f"/admin/evaluations/course/{ended.course_id}/").status_code == 404
    assert "Alfakursen" not in client.get("/admin/evaluations/").content.decode()
    client.force_login(helper)
    assert client.get(url(ended)).status_code == 403
    assert client.get("/admin/evaluations/").status_code == 403


def test_a_network_admin_reads_every_centres_results(client, ended):
    answered(ended, {SATISFIED: 5}, {SATISFIED: 5}, {SATISFIED: 5})
    client.force_login(staff())

    assert client.get(url(ended)).status_code == 200
    assert "The Alfa course in cell therapy" in client.get("/admin/evaluations/").content.decode()


def test_the_results_take_as_many_queries_for_thirty_answers_as_for_three(client, owner, ended, course):
    client.force_login(owner)
    answered(ended, *[{SATISFIED: 4, BETTER: "Bra"}] * 3)
    client.get(url(ended))  # warm caches (site, locales)

    def count(address):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    few = (count(url(ended)), count(f"/admin/evaluations/course/{course.pk}/"), count("/admin/evaluations/"))
    answered(ended, *[{SATISFIED: 3, BETTER: "Bättre"}] * 27)
    many = (count(url(ended)), count(f"/admin/evaluations/course/{course.pk}/"), count("/admin/evaluations/"))

    assert many == few
    assert max(few) <= 45  # most of them the admin's own chrome (menu, reports' permission checks); SQLite one more


def test_an_ended_occasion_links_to_its_evaluation_from_the_occasions_list(client, owner, course, ended):
    upcoming = OccasionFactory(course=course)
    client.force_login(owner)

    html = client.get("/admin/occasions/?when=").content.decode()  # all occasions, past ones too

    assert f'href="{url(ended)}"' in html
    assert f'href="{url(upcoming)}"' not in html
