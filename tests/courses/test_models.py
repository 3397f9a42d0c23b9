"""The content model: validation, translated taxonomies, translation status.

An occasion's seats and availability are enrolment's answers: tests/enrolment/test_seats.py.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    translate_course,
    translate_snippet,
)
from courses.models import Centre, Topic, localized
from courses.panels import translation_statuses

pytestmark = pytest.mark.django_db


# --- Validation -------------------------------------------------------------------------------------


def test_occasion_must_end_after_it_starts():
    occasion = OccasionFactory.build(course=create_course())
    occasion.end = occasion.start - dt.timedelta(hours=1)

    with pytest.raises(ValidationError) as error:
        occasion.clean()

    assert "end" in error.value.message_dict


def test_enrolment_must_close_after_it_opens():
    occasion = OccasionFactory.build(
        course=create_course(),
        enrolment_opens=timezone.now() + dt.timedelta(days=2),
        enrolment_closes=timezone.now() + dt.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as error:
        occasion.clean()

    assert "enrolment_closes" in error.value.message_dict


def test_two_topics_in_one_language_cannot_share_a_slug():
    TopicFactory(name="Genterapi", slug="genterapi")
    clash = Topic(name="Genterapi 2", slug="genterapi", locale=Topic.objects.get().locale)

    with pytest.raises(ValidationError) as error:
        clash.clean()

    assert "slug" in error.value.message_dict


# --- Translated taxonomies --------------------------------------------------------------------------


def test_centre_translation_keeps_slug_city_and_translation_key(site):
    centre = CentreFactory(name="ATMP-centrum Skåne", city="Lund")

    english = translate_snippet(centre, "en", name="ATMP Centre Skåne")

    assert english.translation_key == centre.translation_key
    assert (english.slug, english.city) == (centre.slug, "Lund")


def test_in_language_lists_the_entries_of_one_language(site):
    topic = TopicFactory(name="Cellterapi")
    translate_snippet(topic, "en", name="Cell therapy")

    assert [t.name for t in Topic.objects.in_language("en")] == ["Cell therapy"]
    assert [t.name for t in Topic.objects.in_language("sv")] == ["Cellterapi"]


def test_localized_shows_names_in_the_active_language(site):
    centre = CentreFactory(name="ATMP-centrum Väst")
    translate_snippet(centre, "en", name="ATMP Centre West")

    with translation.override("en"):
        assert [c.name for c in localized([centre])] == ["ATMP Centre West"]
    with translation.override("sv"):
        assert [c.name for c in localized([centre])] == ["ATMP-centrum Väst"]


def test_localized_keeps_entries_without_translation(site):
    translated, untranslated = CentreFactory(name="ATMP-centrum Väst"), CentreFactory(name="ATMP-centrum Norr")
    translate_snippet(translated, "en", name="ATMP Centre West")

    with translation.override("en"):
        names = [c.name for c in localized(Centre.objects.filter(pk__in=[translated.pk, untranslated.pk]))]

    assert names == ["ATMP-centrum Norr", "ATMP Centre West"]


def test_localized_translates_with_one_query(site, django_assert_num_queries):
    centres = [CentreFactory() for _ in range(3)]
    for centre in centres:
        translate_snippet(centre, "en", name=f"English {centre.name}")
    centres = list(Centre.objects.filter(pk__in=[c.pk for c in centres]).select_related("locale"))

    with translation.override("en"), django_assert_num_queries(1):
        localized(centres)


def test_english_course_page_names_its_taxonomies_in_english(site):
    centre, topic, audience = CentreFactory(), TopicFactory(), AudienceFactory()
    translate_snippet(centre, "en", name="ATMP Centre North")
    translate_snippet(topic, "en", name="Gene therapy")
    translate_snippet(audience, "en", name="Nurses")
    course = create_course(centres=[centre], topics=[topic], audiences=[audience])
    english = translate_course(course, "en", title="Gene therapy basics")

    with translation.override("en"):
        assert [c.name for c in english.localized_centres] == ["ATMP Centre North"]
        assert [t.name for t in english.localized_topics] == ["Gene therapy"]
        assert [a.name for a in english.localized_audiences] == ["Nurses"]


# --- Translation status panel -----------------------------------------------------------------------


def statuses(page):
    return {locale.language_code: state for locale, _other, state in translation_statuses(page)}


def test_translation_status_missing(site):
    course = create_course()

    assert statuses(course) == {"en": "missing"}


def test_translation_status_current(site):
    course = create_course()
    translate_course(course, "en", title="Cell therapy")

    assert statuses(course) == {"en": "current"}


def test_translation_status_outdated_after_the_original_is_republished(site):
    course = create_course()
    translate_course(course, "en", title="Cell therapy")

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        course.summary = "A new summary."
        course.save_revision().publish()
    course.refresh_from_db()

    assert statuses(course) == {"en": "outdated"}


def test_translation_status_draft_for_an_unpublished_translation(locale_en):
    course = create_course()
    course.copy_for_translation(locale_en)

    assert statuses(course) == {"en": "draft"}


def test_translation_page_sees_its_source_is_newer(site):
    course = create_course()
    english = translate_course(course, "en", title="Cell therapy")

    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        course.save_revision().publish()
    assert statuses(english) == {"sv": "current"}  # published again, nothing the translation holds changed

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        course.summary = "En ny sammanfattning."
        course.save_revision().publish()
    assert statuses(english) == {"sv": "source_newer"}
