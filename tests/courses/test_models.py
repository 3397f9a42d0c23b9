"""The content model: an occasion's availability and seats, translated taxonomies, translation status."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
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
from courses.models import Availability, Centre, Occasion, Topic, localized
from courses.panels import translation_statuses
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment

pytestmark = pytest.mark.django_db


def fresh(occasion):
    """The occasion as a listing loads it, with seats counted in the query."""
    return Occasion.objects.with_seats().get(pk=occasion.pk)


def availability_label(occasion):
    with translation.override("en"):
        return str(fresh(occasion).availability.label)


# --- Availability -----------------------------------------------------------------------------------


def test_occasion_with_free_seats_is_open():
    occasion = OccasionFactory(capacity=20)

    assert availability_label(occasion) == "Open"


def test_occasion_shows_few_seats_left_at_the_threshold():
    occasion = OccasionFactory(capacity=settings.FEW_SEATS_LEFT + 1)
    EnrolmentFactory(occasion=occasion)

    assert fresh(occasion).seats_left == settings.FEW_SEATS_LEFT
    assert availability_label(occasion) == "Few seats left"


def test_occasion_one_seat_above_the_threshold_is_open():
    occasion = OccasionFactory(capacity=settings.FEW_SEATS_LEFT + 2)
    EnrolmentFactory(occasion=occasion)

    assert availability_label(occasion) == "Open"


def test_full_occasion_offers_the_waiting_list():
    occasion = OccasionFactory(capacity=2)
    EnrolmentFactory.create_batch(2, occasion=occasion)

    assert fresh(occasion).is_full
    assert availability_label(occasion) == "Full: waiting list"


def test_occasion_before_enrolment_opens():
    occasion = OccasionFactory(enrolment_opens=timezone.now() + dt.timedelta(days=3))

    assert availability_label(occasion) == "Enrolment not yet open"


def test_occasion_after_enrolment_closed():
    occasion = OccasionFactory(enrolment_closes=timezone.now() - dt.timedelta(hours=1))

    assert availability_label(occasion) == "Enrolment closed"


def test_enrolment_closes_when_the_occasion_starts_by_default():
    occasion = OccasionFactory()

    assert fresh(occasion).availability_at(occasion.start) == Availability.CLOSED


def test_cancelled_occasion_says_cancelled_even_with_free_seats():
    occasion = OccasionFactory(cancelled=True)

    assert availability_label(occasion) == "Cancelled"


def test_enrolments_holding_a_seat_take_one():
    occasion = OccasionFactory(capacity=10)
    for status in Enrolment.SEAT_STATUSES:
        EnrolmentFactory(occasion=occasion, status=status)

    assert fresh(occasion).seats_left == 10 - len(Enrolment.SEAT_STATUSES)


def test_confirmed_and_offered_enrolments_take_seats():
    assert {Enrolment.Status.CONFIRMED, Enrolment.Status.OFFERED} <= set(Enrolment.SEAT_STATUSES)


def test_waiting_cancelled_rejected_and_expired_enrolments_take_no_seat():
    occasion = OccasionFactory(capacity=10)
    free = [status for status in Enrolment.Status if status not in Enrolment.SEAT_STATUSES]
    for status in free:
        EnrolmentFactory(occasion=occasion, status=status)

    assert {Enrolment.Status.WAITING, Enrolment.Status.CANCELLED} <= set(free)
    assert fresh(occasion).seats_left == 10


def test_seats_are_counted_without_the_annotation_too():
    occasion = OccasionFactory(capacity=10)
    EnrolmentFactory(occasion=occasion)

    assert Occasion.objects.get(pk=occasion.pk).seats_left == 9


def test_occasion_without_capacity_has_unlimited_seats():
    occasion = OccasionFactory(capacity=None)
    EnrolmentFactory.create_batch(3, occasion=occasion)

    loaded = fresh(occasion)
    assert loaded.seats_left is None
    assert not loaded.is_full
    assert availability_label(occasion) == "Open"


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
