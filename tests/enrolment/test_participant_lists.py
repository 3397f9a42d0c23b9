"""Course owners' participant lists: filters, export to CSV and XLSX, and the actions on people and occasions."""

import csv
import io
import tracemalloc

import pytest
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam
from enrolment import services
from enrolment.models import Enrolment, OutboxMessage

from .conftest import make_participant

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def skane(site):
    return CentreFactory(name="Skånes universitetssjukhus", slug="skane")


@pytest.fixture
def uppsala(site):
    return CentreFactory(name="Region Uppsala", slug="uppsala")


@pytest.fixture
def course(skane):
    return create_course(title="Genterapi vid hemofili", centres=[skane])


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, capacity=3)


@pytest.fixture
def other_occasion(uppsala):
    return OccasionFactory(course=create_course(title="GMP för nybörjare", centres=[uppsala]), capacity=5)


def staff_in(centre, role=CentreTeam.Role.COURSE_OWNER, **fields):
    user = UserFactory(is_staff=True, **fields)
    centre_team(centre, role).user_set.add(user)
    return user


@pytest.fixture
def owner_client(client, skane):
    client.force_login(staff_in(skane, email="kursansvarig@skane.example"))
    return client


def enrol(occasion, **fields):
    return services.enrol(make_participant(**fields), occasion.pk)


def csv_rows(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# --- The list ------------------------------------------------------------------------------------------


def test_an_owner_sees_their_centres_participants_and_not_another_centres(owner_client, occasion, other_occasion):
    mine = enrol(occasion, first_name="Åsa", last_name="Öberg")
    theirs = enrol(other_occasion, first_name="Bertil", last_name="Uppsalason")

    listing = owner_client.get("/admin/enrolments/").content.decode()

    assert "Åsa Öberg" in listing
    assert "Uppsalason" not in listing
    assert owner_client.get(f"/admin/enrolments/inspect/{mine.pk}/").status_code == 200
    assert owner_client.get(f"/admin/enrolments/inspect/{theirs.pk}/").status_code == 404
    assert owner_client.get(f"/admin/enrolments/?occasion={other_occasion.pk}").status_code == 200
    assert "Uppsalason" not in owner_client.get(f"/admin/enrolments/?occasion={other_occasion.pk}").content.decode()


def test_malformed_filters_get_a_message_and_no_export(owner_client, occasion):
    enrol(occasion)

    listing = owner_client.get("/admin/enrolments/?occasion=abc&starts_from=2026-13-45&status=nonsense")
    export = owner_client.get("/admin/enrolments/?occasion=abc&export=csv")

    assert listing.status_code == 200
    assert export.status_code == 302
    assert not ModelLogEntry.objects.filter(action="enrolment.export").exists()


# --- Export --------------------------------------------------------------------------------------------


def test_csv_export_keeps_swedish_characters_and_neutralises_formulas(owner_client, occasion):
    enrol(occasion, first_name="Åsa", last_name="Ödegård-Ärlig", workplace="Sjukhuset i Lund")
    enrol(occasion, first_name='=HYPERLINK("http://evil.example")', last_name="@SUM(1)", workplace="+46 ring")
    enrol(occasion, first_name="-1", last_name="\tTab", workplace="\rCR")

    response = owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert "deltagare-genterapi-vid-hemofili-" in disposition and occasion.start.date().isoformat() in disposition
    rows = csv_rows(response)
    heading, people = rows[0], rows[1:]
    assert heading[:3] == ["Förnamn", "Efternamn", "E-post"]
    assert people[0][:2] == ["Åsa", "Ödegård-Ärlig"]
    assert people[0][heading.index("Arbetsplats")] == "Sjukhuset i Lund"
    assert people[1][:2] == ['\'=HYPERLINK("http://evil.example")', "'@SUM(1)"]
    assert people[1][heading.index("Arbetsplats")] == "'+46 ring"
    assert people[2][:2] == ["'-1", "'\tTab"]
    for row in people:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_export_has_the_chosen_columns_filters_and_safe_cells(owner_client, occasion, course):
    first = enrol(occasion, first_name="Åsa", last_name="Öberg")
    enrol(occasion, first_name="@SUM(1)", last_name="Formel")
    later = OccasionFactory(course=course, capacity=2, start=occasion.start + __import__("datetime").timedelta(days=30))
    enrol(later, first_name="Annan", last_name="Dag")
    services.cancel(first.pk, first.user)

    query = f"occasion={occasion.pk}&status=confirmed&columns=last_name&columns=first_name&columns=status&export=xlsx"
    response = owner_client.get(f"/admin/enrolments/?{query}")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(response)
    assert rows[0] == ["Förnamn", "Efternamn", "Status"]  # the order of the columns list, whatever was ticked first
    assert rows[1:] == [["'@SUM(1)", "Formel", "Bekräftad"]]


def test_control_characters_pasted_into_a_profile_do_not_break_the_xlsx_export(owner_client, occasion):
    # XML 1.0 (the inside of an .xlsx) cannot hold most control characters; a CSV can. A formula behind
    # one is still a formula once the character is gone, so it is neutralised too.
    enrol(occasion, first_name="Eva\x0bLena", last_name="\x08=Berg\x1f", workplace="SUS\x01 Lund")

    query = f"occasion={occasion.pk}&columns=first_name&columns=last_name&columns=workplace"
    xlsx = owner_client.get(f"/admin/enrolments/?{query}&export=xlsx")
    csv_export = owner_client.get(f"/admin/enrolments/?{query}&export=csv")

    assert xlsx.status_code == 200
    assert xlsx_rows(xlsx)[1:] == [["EvaLena", "'=Berg", "SUS Lund"]]
    assert csv_rows(csv_export)[1:] == [["Eva\x0bLena", "\x08=Berg\x1f", "SUS\x01 Lund"]]


def test_the_waiting_list_position_and_answers_are_exported(owner_client, occasion):
    for number in range(5):
        enrol(occasion, first_name=f"Person{number}")

    rows = csv_rows(owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&export=csv"))
    heading = rows[0]
    positions = {row[0]: row[heading.index("Plats på reservlistan")] for row in rows[1:]}

    assert positions == {"Person0": "", "Person1": "", "Person2": "", "Person3": "1", "Person4": "2"}


def test_a_nul_character_in_the_search_still_exports_and_is_audited(owner_client, occasion):
    enrol(occasion, first_name="Åsa")

    response = owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&q=%C3%85sa%00&export=csv")

    assert response.status_code == 200
    assert len(csv_rows(response)) == 2  # the heading and Åsa: a search Wagtail's form refuses is not applied
    entry = ModelLogEntry.objects.get(action="enrolment.export")
    assert entry.data["filters"]["q"] == ["Åsa"]


def test_every_export_is_in_the_audit_log(owner_client, occasion):
    enrol(occasion)
    enrol(occasion)

    b"".join(owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&export=csv").streaming_content)

    entry = ModelLogEntry.objects.get(action="enrolment.export")
    assert entry.user.email == "kursansvarig@skane.example"
    assert entry.data["rows"] == 2
    assert entry.data["format"] == "csv"
    assert entry.data["filters"] == {"occasion": [str(occasion.pk)]}


def test_a_check_in_helper_cannot_list_or_export(client, skane, occasion):
    enrol(occasion)
    client.force_login(staff_in(skane, CentreTeam.Role.CHECK_IN_HELPER))

    for url in ("/admin/enrolments/", "/admin/enrolments/?export=csv", "/admin/enrolments/?export=xlsx"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"@" not in b"".join(getattr(response, "streaming_content", [response.content]))[:0]
    assert not ModelLogEntry.objects.filter(action="enrolment.export").exists()


def _peak_export_memory(client, occasion, rows):
    from accounts.models import User

    people = User.objects.bulk_create(
        User(email=f"p{occasion.pk}-{n}@example.se", first_name=f"Förnamn{n}", last_name="Åkesson", workplace="Lund")
        for n in range(rows)
    )
    Enrolment.objects.bulk_create(Enrolment(user=user, occasion=occasion, status=Status.CONFIRMED) for user in people)
    tracemalloc.start()
    try:
        response = client.get(f"/admin/enrolments/?occasion={occasion.pk}&export=csv")
        size = sum(len(chunk) for chunk in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def test_export_memory_does_not_grow_with_the_number_of_rows(owner_client, course):
    small = OccasionFactory(course=course, capacity=None)
    large = OccasionFactory(course=course, capacity=None)

    small_peak, small_size = _peak_export_memory(owner_client, small, 1000)
    large_peak, large_size = _peak_export_memory(owner_client, large, 6000)

    assert large_size > 5 * small_size
    # Six times the rows, about the same memory: rows are read and sent in chunks, never held all at once.
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)


# --- Actions -------------------------------------------------------------------------------------------


def test_an_owner_gives_a_waiting_person_a_seat_after_raising_capacity(owner_client, occasion):
    for _ in range(3):
        enrol(occasion)
    waiting = enrol(occasion)

    refused = owner_client.post(f"/admin/enrolments/{waiting.pk}/promote/", follow=True)
    assert "Ingen plats är ledig" in refused.content.decode()
    owner_client.post(f"/admin/occasions/{occasion.pk}/capacity/", {"capacity": "4"})

    waiting.refresh_from_db()
    occasion.refresh_from_db()
    assert occasion.capacity == 4
    assert waiting.status == Status.CONFIRMED  # raising the capacity promoted them


def test_capacity_cannot_drop_below_the_seats_taken(owner_client, occasion):
    for _ in range(2):
        enrol(occasion)

    response = owner_client.post(f"/admin/occasions/{occasion.pk}/capacity/", {"capacity": "1"})

    assert response.status_code == 200
    assert "2 platser är redan tagna; antalet platser kan inte vara lägre." in response.content.decode()
    occasion.refresh_from_db()
    assert occasion.capacity == 3


def test_an_owner_moves_a_person_to_another_occasion_of_the_same_course(owner_client, occasion, course):
    later = OccasionFactory(course=course, capacity=2, start=occasion.start + __import__("datetime").timedelta(days=7))
    people = [enrol(occasion) for _ in range(4)]  # three seats, one waiting
    moving, waiting = people[0], people[3]

    form = owner_client.get(f"/admin/enrolments/{moving.pk}/move/").content.decode()
    assert f'value="{later.pk}"' in form
    owner_client.post(f"/admin/enrolments/{moving.pk}/move/", {"occasion": later.pk})

    moving.refresh_from_db()
    waiting.refresh_from_db()
    assert moving.status == Status.CANCELLED
    assert Enrolment.objects.get(occasion=later, user=moving.user).status == Status.CONFIRMED
    assert waiting.status == Status.CONFIRMED  # the freed seat went to the waiting list
    kinds = set(OutboxMessage.objects.filter(user=moving.user).values_list("kind", flat=True))
    assert {"cancelled", "confirmed"} <= kinds


@pytest.mark.parametrize(
    ("message", "reason"),
    [("Hej\x00", "Null-tecken är inte tillåtna."), ("x" * 2001, "Säkerställ att detta värde har som mest 2000 tecken")],
)
def test_a_message_with_a_nul_or_too_long_is_refused_and_changes_nothing(owner_client, occasion, message, reason):
    person = enrol(occasion)

    response = owner_client.post(f"/admin/enrolments/{person.pk}/cancel/", {"message": message})

    assert response.status_code == 400
    assert reason in response.content.decode()
    person.refresh_from_db()
    assert person.status == Status.CONFIRMED


def test_people_cannot_be_moved_to_another_course_or_centre(owner_client, occasion, other_occasion):
    person = enrol(occasion)

    owner_client.post(f"/admin/enrolments/{person.pk}/move/", {"occasion": other_occasion.pk})
    owner_client.post(f"/admin/enrolments/{person.pk}/move/", {"occasion": "x"})

    person.refresh_from_db()
    assert person.status == Status.CONFIRMED
    assert not Enrolment.objects.filter(occasion=other_occasion).exists()


def test_an_owner_messages_everyone_with_a_seat_through_the_outbox(owner_client, occasion):
    seated = [enrol(occasion) for _ in range(3)]
    waiting = enrol(occasion)

    response = owner_client.post(
        f"/admin/occasions/{occasion.pk}/message/",
        {"audience": "participants", "subject": "Ändrad sal", "body": "Vi ses i sal 4.\n\nVälkomna!"},
    )

    assert response.status_code == 302
    messages = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.ORGANISER_MESSAGE)
    assert {message.user_id for message in messages} == {person.user_id for person in seated}
    assert waiting.user_id not in {message.user_id for message in messages}
    assert ModelLogEntry.objects.filter(action="occasion.message").get().data["recipients"] == 3


def test_the_organisers_message_reaches_the_person_in_their_language(owner_client, occasion):
    from django.core import mail

    from enrolment import notifications

    person = enrol(occasion, preferred_language="en")
    services.message_participants(occasion.pk, person.user, "Room change", "Room 4.\n\nWelcome!")
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.ORGANISER_MESSAGE)
    notifications.send(message.pk)

    [email] = mail.outbox[-1:]
    assert email.subject.startswith("Room change – ")
    assert "Room 4." in email.body and "Welcome!" in email.body
    assert "About " in email.body


def test_an_empty_message_is_refused_with_a_reason(owner_client, occasion):
    enrol(occasion)

    response = owner_client.post(f"/admin/occasions/{occasion.pk}/message/", {"audience": "all", "subject": ""})

    assert response.status_code == 200
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.ORGANISER_MESSAGE).exists()


def test_the_sign_in_sheet_lists_confirmed_people_by_last_name_and_is_audited(owner_client, occasion):
    enrol(occasion, first_name="Örjan", last_name="Zetterberg")
    enrol(occasion, first_name="Anna", last_name="Andersson")

    sheet = owner_client.get(f"/admin/occasions/{occasion.pk}/sign-in-sheet/").content.decode()

    assert sheet.index("Andersson, Anna") < sheet.index("Zetterberg, Örjan")
    assert ModelLogEntry.objects.get(action="enrolment.export").data["format"] == "sign_in_sheet"


def test_occasions_of_another_centre_are_not_found(owner_client, other_occasion):
    for url in (
        f"/admin/occasions/{other_occasion.pk}/sign-in-sheet/",
        f"/admin/occasions/{other_occasion.pk}/message/",
        f"/admin/occasions/{other_occasion.pk}/capacity/",
    ):
        assert owner_client.get(url).status_code == 404, url
    owner_client.post(f"/admin/occasions/{other_occasion.pk}/capacity/", {"capacity": "50"})
    other_occasion.refresh_from_db()
    assert other_occasion.capacity == 5


def test_the_occasion_list_shows_upcoming_occasions_unless_asked_for_all(owner_client, occasion, course):
    OccasionFactory(course=course, past=True, venue="Gamla salen", city="Ystad")

    default = owner_client.get("/admin/occasions/").content.decode()
    everything = owner_client.get("/admin/occasions/?when=").content.decode()

    assert occasion.city in default and "Ystad" not in default
    assert "Ystad" in everything


def test_each_occasion_row_links_to_its_tools(owner_client, occasion):
    listing = owner_client.get("/admin/occasions/").content.decode()

    for url in (
        f"/admin/enrolments/?occasion={occasion.pk}",
        f"/admin/occasions/{occasion.pk}/sign-in-sheet/",
        f"/admin/checkin/{occasion.pk}/",
        f"/admin/occasions/{occasion.pk}/message/",
        f"/admin/occasions/{occasion.pk}/capacity/",
    ):
        assert f'href="{url}' in listing, url  # the message and capacity tools carry ?next= (the way back)


# --- The list as a Swedish course owner meets it (issue 14) -------------------------------------------------


def test_the_list_starts_with_the_upcoming_occasions_people(owner_client, occasion, course):
    past = OccasionFactory(course=course, past=True, capacity=5)
    Enrolment.objects.create(occasion=past, user=make_participant(last_name="Septembersson"), status=Status.ATTENDED)
    enrol(occasion, last_name="Kommandesson")

    listing = owner_client.get("/admin/enrolments/").content.decode()

    assert listing.index("Kommandesson") < listing.index("Septembersson")


def test_the_occasion_filter_offers_the_nearest_upcoming_occasion_first_and_past_ones_apart(
    owner_client, occasion, course
):
    later = OccasionFactory(course=course, start=occasion.start + __import__("datetime").timedelta(days=60))
    past = OccasionFactory(course=course, past=True)

    page = owner_client.get("/admin/enrolments/").content.decode()
    listing = page[page.index('name="occasion"') :]
    listing = listing[: listing.index("</select>")]

    upcoming_group = listing.index('<optgroup label="Kommande">')
    past_group = listing.index('<optgroup label="Tidigare">')
    nearest, furthest = listing.index(f'value="{occasion.pk}"'), listing.index(f'value="{later.pk}"')
    assert upcoming_group < nearest < furthest < past_group < listing.index(f'value="{past.pk}"')


def test_the_filtered_list_comes_back_after_an_action(owner_client, occasion):
    person = enrol(occasion, last_name="Filtrerad")
    filtered = f"/admin/enrolments/?occasion={occasion.pk}&status=confirmed"

    listing = owner_client.get(filtered).content.decode()
    action = f"/admin/enrolments/{person.pk}/cancel/?next=%2Fadmin%2Fenrolments%2F%3Foccasion%3D{occasion.pk}"
    assert action in listing.replace("&amp;", "&")
    form = owner_client.get(f"/admin/enrolments/{person.pk}/cancel/", {"next": filtered}).content.decode()
    response = owner_client.post(f"/admin/enrolments/{person.pk}/cancel/", {"next": filtered, "message": ""})

    assert f'name="next" value="{filtered.replace("&", "&amp;")}"' in form
    assert response.status_code == 302
    assert response["Location"] == filtered
    person.refresh_from_db()
    assert person.status == Status.CANCELLED


def test_an_action_never_sends_the_owner_to_another_site(owner_client, occasion):
    person = enrol(occasion)

    response = owner_client.post(f"/admin/enrolments/{person.pk}/cancel/", {"next": "//evil.example/admin/"})

    assert response["Location"] == "/admin/enrolments/"


def test_the_export_is_a_labelled_button_and_leaves_out_cancelled_people_unless_asked(owner_client, occasion):
    staying = enrol(occasion, first_name="Stannar")
    leaving = enrol(occasion, first_name="Avbokad")
    services.cancel(leaving.pk, leaving.user)

    listing = owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}").content.decode()
    chooser = owner_client.get(f"/admin/enrolments/export/?occasion={occasion.pk}").content.decode()
    default = csv_rows(owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&export=csv"))
    everyone = csv_rows(owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&include_cancelled=on&export=csv"))
    by_status = csv_rows(owner_client.get(f"/admin/enrolments/?occasion={occasion.pk}&status=cancelled&export=csv"))

    assert ">Exportera<" in " ".join(listing.split()).replace("> ", ">").replace(" <", "<")
    assert "export=csv" not in listing and "export=xlsx" not in listing  # no unlabelled download in a "…" menu
    assert "Ta med avbokade anmälningar" in chooser
    assert [row[0] for row in default[1:]] == [staying.user.first_name]
    assert [row[0] for row in everyone[1:]] == ["Stannar", "Avbokad"]
    assert [row[0] for row in by_status[1:]] == ["Avbokad"]


def test_the_export_rows_are_built_without_a_request():
    import datetime as dt

    from enrolment.organisers import exports

    row = {
        "status": "confirmed",
        "answers": {"q1": {"question": "Kost", "answer": ["Vegetarisk", "Glutenfri"]}},
        "created_at": dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC),
        "waiting_number": None,
        "course_title": "Genterapi",
        "user__first_name": "=Formel",
        "user__last_name": "Öberg",
        "user__email": "o@example.se",
        "user__workplace": "SUS",
        "user__region": "skane",
        "user__profession__name": "Sjuksköterska",
        "occasion__start": dt.datetime(2026, 10, 1, 7, 0, tzinfo=dt.UTC),
        "occasion__end": dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.UTC),
        "occasion__city": "Lund",
    }

    headings, rows = exports.participant_table([row], ["answers", "course", "last_name", "first_name"])

    assert headings == ["Förnamn", "Efternamn", "Kurs", "Svar"]  # in the columns' own order, in Swedish
    assert list(rows) == [["'=Formel", "Öberg", "Genterapi", "Kost: Vegetarisk, Glutenfri"]]


def test_a_message_to_participants_reaches_those_already_checked_in(owner_client, occasion):
    checked_in = enrol(occasion)
    Enrolment.objects.filter(pk=checked_in.pk).update(status=Status.ATTENDED)
    confirmed = enrol(occasion)

    owner_client.post(
        f"/admin/occasions/{occasion.pk}/message/",
        {"audience": "participants", "subject": "Lunch", "body": "Lunchen serveras i foajén."},
    )

    recipients = set(OutboxMessage.objects.filter(kind="organiser_message").values_list("user_id", flat=True))
    assert recipients == {checked_in.user_id, confirmed.user_id}
