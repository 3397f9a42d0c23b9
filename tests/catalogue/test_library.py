"""The materials library: both languages, facets and search, every material listed with whether the visitor may
open it (and if not, why and how), and a file's address only for those who may."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    create_material,
    translate_material,
    translate_snippet,
)
from courses.library import MaterialAccess, MaterialKind
from enrolment.factories import EnrolmentFactory
from tests.enrolment.conftest import make_participant

Document = get_document_model()
LIBRARY = "/sv/utbildningsmaterial/"


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


def document(name="guide"):
    return Document.objects.create(title=name, file=ContentFile(b"%PDF-1.4 " + name.encode(), name=f"{name}.pdf"))


def html_of(client, url=LIBRARY):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_library_answers_in_both_languages(client, site):
    create_material(title="Checklista för mottagning av CAR-T")

    assert "Checklista för mottagning av CAR-T" in html_of(client, "/sv/utbildningsmaterial/")
    assert client.get("/en/materials/").status_code == 200


def test_a_restricted_file_address_is_shown_only_to_those_who_may_open_it(client, site):
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=["nurse"])
    guide = document("guide")
    create_material(title="Omvårdnad efter CAR-T", document=guide, access=MaterialAccess.AUDIENCES, audiences=[nurses])

    html = html_of(client)
    assert "Omvårdnad efter CAR-T" in html
    assert guide.url not in html
    assert "Det här materialet är för dessa yrkesroller: Sjuksköterskor." in html

    client.force_login(make_participant(profession="nurse"))
    assert guide.url in html_of(client)


def test_someone_of_another_profession_is_told_why_in_english(client, site):
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=["nurse"])
    translate_snippet(nurses, "en", name="Nurses")
    guide = document("guide")
    material = create_material(
        title="Omvårdnad efter CAR-T", document=guide, access=MaterialAccess.AUDIENCES, audiences=[nurses]
    )
    translate_material(material, "en", title="Nursing after CAR-T")
    client.force_login(make_participant(profession="physician"))

    html = html_of(client, "/en/materials/")

    assert "Nursing after CAR-T" in html
    assert guide.url not in html
    assert "This material is for these professions: Nurses." in html
    assert client.get(guide.url).status_code == 403


def test_participants_only_material_opens_for_the_participants_of_the_named_course(client, site):
    course = create_course(title="Aferes inför CAR-T")
    occasion = OccasionFactory(course=course)
    recording = document("recording")
    material = create_material(
        title="Inspelad föreläsning", document=recording, access=MaterialAccess.PARTICIPANTS, courses=[course]
    )
    outsider, participant = make_participant(email="ute@example.se"), make_participant(email="inne@example.se")
    EnrolmentFactory(occasion=occasion, user=participant)

    client.force_login(outsider)
    page = html_of(client, material.url)
    assert recording.url not in page
    assert "Det här materialet är för deltagarna i Aferes inför CAR-T." in page
    assert client.get(recording.url).status_code == 403

    client.force_login(participant)
    assert recording.url in html_of(client, material.url)
    assert client.get(recording.url).status_code == 200


def test_facets_narrow_the_list_and_count_what_each_value_would_give(client, site):
    skane, uppsala = CentreFactory(name="Skåne", slug="skane"), CentreFactory(name="Uppsala", slug="uppsala")
    gmp = TopicFactory(name="GMP", slug="gmp")
    create_material(title="GMP-checklista", kind=MaterialKind.CHECKLIST, topics=[gmp], centre=skane)
    create_material(title="Film om aferes", kind=MaterialKind.VIDEO, centre=uppsala, languages=["sv", "en"])
    create_material(title="Guide på engelska", kind=MaterialKind.GUIDE, centre=uppsala, languages=["en"])

    html = html_of(client, f"{LIBRARY}?kind=checklist")
    assert "GMP-checklista" in html and "Film om aferes" not in html

    html = html_of(client, f"{LIBRARY}?language=en")
    assert "Film om aferes" in html and "Guide på engelska" in html and "GMP-checklista" not in html

    html = html_of(client, f"{LIBRARY}?centre=uppsala&topic=gmp")
    assert "0 material" in html

    counts = client.get(f"{LIBRARY}?centre=uppsala").context["facet_counts"]
    assert counts["kind"] == {"video": 1, "guide": 1}
    assert counts["centre"] == {"skane": 1, "uppsala": 2}  # a facet's own values keep counting the others
    assert counts["language"] == {"sv": 1, "en": 2}


def test_search_finds_a_material_by_its_summary(client, site):
    create_material(title="Hantering av flytande kväve", summary="Säker hantering vid kryoförvaring.")
    create_material(title="Något annat", summary="Om något annat.")

    html = html_of(client, f"{LIBRARY}?q=kryoförvaring")

    assert "Hantering av flytande kväve" in html
    assert "Något annat" not in html


def test_unknown_facet_values_and_bad_input_never_give_an_error(client, site):
    response = client.get(f"{LIBRARY}?kind=nonsense&centre=%00&page=x&q={'a' * 500}")

    assert response.status_code == 200
    assert "Ett okänt värde hoppades över." in response.content.decode()


def _materials(numbers, course, nurses, topic):
    accesses = [MaterialAccess.EVERYONE, MaterialAccess.AUDIENCES, MaterialAccess.PARTICIPANTS]
    for n in numbers:
        access = accesses[n % 3]
        create_material(
            title=f"Material {n:03}",
            access=access,
            audiences=[nurses],
            topics=[topic],
            courses=[course] if access == MaterialAccess.PARTICIPANTS else [],
            revision=False,
        )


@pytest.mark.parametrize("who", ["participant", "outsider", "anonymous"])
def test_the_listing_costs_the_same_queries_for_5_and_25_materials(client, site, django_assert_num_queries, who):
    nurses, topic = (
        AudienceFactory(name="Sjuksköterskor", slug="nurses", professions=["nurse"]),
        TopicFactory(name="CAR-T", slug="car-t"),
    )
    translate_snippet(topic, "en", name="CAR-T")
    course = create_course(title="Kurs")
    participant = make_participant(profession="nurse")
    EnrolmentFactory(occasion=OccasionFactory(course=course), user=participant)
    outsider = make_participant(email="ute@example.se", profession="physician")
    if who != "anonymous":
        # The participant may open everything; the outsider is refused most, with reasons and course links.
        client.force_login(participant if who == "participant" else outsider)

    _materials(range(5), course, nurses, topic)
    html_of(client)  # warm the caches of the site's root paths and the like
    with CaptureQueriesContext(connection) as five:
        assert html_of(client).count('class="course-card material-card"') == 5
    queries_for_five = len(five.captured_queries)
    assert queries_for_five > 0

    _materials(range(5, 25), course, nurses, topic)
    html_of(client)
    with django_assert_num_queries(queries_for_five):
        html = html_of(client)
    assert html.count('class="course-card material-card"') == 12  # one page of results
    assert ("data-material-refused" in html) == (who != "participant")


def test_the_api_and_the_sitemap_name_the_material_never_a_restricted_file(client, site):
    course = create_course(title="Kurs")
    recording = document("recording")
    material = create_material(
        title="Inspelning", document=recording, access=MaterialAccess.PARTICIPANTS, courses=[course]
    )

    api = client.get("/api/v2/pages/?type=courses.MaterialPage&fields=*").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "Inspelning" in api and '"access": "participants"' in api.replace('":"', '": "')
    assert material.full_url in sitemap
    assert f"/documents/{recording.pk}/" not in api + sitemap
