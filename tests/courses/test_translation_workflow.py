"""Course owners translate pages with wagtail-localize; occasions stay shared, never copied."""

import pytest
from wagtail_localize.models import StringTranslation, TranslationSource

from courses.factories import OccasionFactory, TopicFactory, create_course, create_material, translate_course
from courses.library import CourseLibraryMaterial
from courses.models import CoursePage, Occasion
from courses.panels import translation_statuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(site):
    topic = TopicFactory(name="Cellterapi", slug="cell-therapy")
    page = create_course(site.catalogue["sv"], title="Kryokonservering av cellprodukter", topics=[topic])
    OccasionFactory(course=page, capacity=12)
    return page


@pytest.fixture
def translate(locale_en, django_capture_on_commit_callbacks):
    """Translate every string of the source and create or sync the English page, as the editor's
    "Publish" in wagtail-localize does (it publishes on commit)."""

    def run(source):
        translate_all_strings(source, locale_en)
        with django_capture_on_commit_callbacks(execute=True):
            translation, _created = source.create_or_update_translation(locale_en)
        return CoursePage.objects.get(pk=translation.pk)

    return run


def translate_all_strings(source, locale, prefix="EN: "):
    for segment in source.stringsegment_set.select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": prefix + segment.string.data},
        )


def test_a_localize_translation_shares_the_occasions_and_topics_of_the_original(course, translate):
    source, _created = TranslationSource.get_or_create_from_instance(course)

    english = translate(source)

    assert english.live
    assert english.translation_key == course.translation_key
    assert english.title == "EN: Kryokonservering av cellprodukter"
    assert Occasion.objects.filter(course=english).count() == 0
    assert [occasion.pk for occasion in english.upcoming_occasions] == [
        occasion.pk for occasion in course.upcoming_occasions
    ]
    assert [topic.slug for topic in english.topics.all()] == ["cell-therapy"]


def test_syncing_a_translation_after_the_original_changed_does_not_duplicate_occasions(course, translate):
    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate(source)

    course.summary = "Ny sammanfattning."
    course.save_revision().publish()
    source.update_from_db()
    english = translate(source)

    assert Occasion.objects.filter(course__translation_key=course.translation_key).count() == 1
    assert english.summary == "EN: Ny sammanfattning."


def test_the_editor_is_told_when_a_translation_is_missing_or_older_than_the_original(course, translate):
    assert [state for _locale, _page, state in translation_statuses(course)] == ["missing"]

    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate(source)
    course.refresh_from_db()
    assert [state for _locale, _page, state in translation_statuses(course)] == ["current"]

    course.summary = "Ändrad efter översättningen."
    course.save_revision().publish()
    course.refresh_from_db()
    assert [state for _locale, _page, state in translation_statuses(course)] == ["outdated"]


def add_material(course, title="Programblad"):
    """What the owner does on the Swedish page's "Kursmaterial" panel: list a library material, publish."""
    material = create_material(title=title, link="https://example.se/program.pdf")
    course = CoursePage.objects.get(pk=course.pk)
    course.library_materials.add(CourseLibraryMaterial(material=material))
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def states(page):
    return [state for _locale, _page, state in translation_statuses(page)]


def test_adding_a_material_leaves_the_translation_current(course, translate):
    source, _created = TranslationSource.get_or_create_from_instance(course)
    english = translate(source)

    course = add_material(course)

    assert states(course) == ["current"]
    assert states(english) == ["current"]
    assert [material.title for material in english.course_materials] == ["Programblad"]  # shared, not translated


def test_adding_a_material_leaves_a_copied_translation_current(course):
    english = translate_course(course, "en", title="Cryopreservation of cell products")

    course = add_material(course)
    assert states(course) == ["current"]

    course.summary = "Ändrad efter översättningen."
    course.save_revision().publish()
    assert states(course) == ["outdated"]
    assert states(english) == ["source_newer"]


def test_a_synchronised_rule_change_makes_the_translation_outdated(course, translate):
    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate(source)

    course = CoursePage.objects.get(pk=course.pk)
    course.cpd_hours = 7
    course.save_revision().publish()

    assert states(course) == ["outdated"]
