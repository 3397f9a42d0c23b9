"""The factories the tests and the demo command share build what they promise."""

import pytest

from accounts.factories import DEMO_PASSWORD, UserFactory
from courses.factories import (
    CentreFactory,
    CoursePageFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    create_material,
    list_material,
    translate_course,
    translate_snippet,
)
from courses.library import CourseLibraryMaterial
from courses.models import CoursePage, Occasion
from enrolment.factories import EnrolmentFactory


def test_user_can_log_in_with_the_demo_password(db):
    user = UserFactory()

    assert user.check_password(DEMO_PASSWORD)


def test_users_get_different_email_addresses(db):
    assert UserFactory().email != UserFactory().email


def test_course_is_published_under_its_centres_page_in_the_swedish_catalogue(catalogue_sv):
    centre = CentreFactory(slug="skane")
    course = CoursePageFactory(centres=[centre])

    assert course.live
    parent = course.get_parent().specific
    assert (parent.centre, parent.get_parent().specific) == (centre, catalogue_sv)
    assert course.owning_centre == centre
    assert course.locale.language_code == "sv"
    assert course.url == f"/sv/kurser/skane/{course.slug}/"


def test_a_course_without_centres_is_network_wide_under_the_catalogue(catalogue_sv):
    course = CoursePageFactory(centres=[])

    assert course.get_parent().specific == catalogue_sv
    assert course.owning_centre is None


def test_create_course_puts_the_page_under_the_given_catalogue(catalogue_sv):
    course = create_course(catalogue_sv, title="Genterapi för sjuksköterskor")

    assert course.url == "/sv/kurser/genterapi-for-sjukskoterskor/"


def test_translated_course_shares_translation_key_and_taxonomies(catalogue_en):
    centre, topic = CentreFactory(), TopicFactory()
    course = create_course(centres=[centre], topics=[topic])

    english = translate_course(course, "en", title="Gene therapy", summary="About gene therapy.")

    assert english.translation_key == course.translation_key
    assert english.get_parent().get_parent().specific == catalogue_en
    assert english.owning_centre == centre
    assert english.live
    assert english.url == f"/en/courses/{centre.slug}/gene-therapy/"
    assert list(english.centres.all()) == [centre]
    assert list(english.topics.all()) == [topic]


def test_translating_a_course_does_not_copy_its_occasions_or_materials(site):
    course = create_course()
    OccasionFactory.create_batch(2, course=course)
    list_material(course, create_material(title="Program", link="https://example.se/program.pdf"))

    english = translate_course(course, "en", title="Gene therapy")

    assert Occasion.objects.count() == 2
    assert CourseLibraryMaterial.objects.count() == 1
    assert [material.title for material in CoursePage.objects.get(pk=english.pk).course_materials] == ["Program"]
    assert len(CoursePage.objects.get(pk=english.pk).upcoming_occasions) == 2


def test_translate_snippet_keeps_the_slug(site):
    centre = CentreFactory(name="ATMP-centrum Väst")

    english = translate_snippet(centre, "en", name="ATMP Centre West")

    assert (english.name, english.slug, english.locale.language_code) == ("ATMP Centre West", centre.slug, "en")
    assert english.translation_key == centre.translation_key


def test_enrolment_takes_a_seat(db):
    occasion = OccasionFactory(capacity=5)
    EnrolmentFactory(occasion=occasion)

    assert Occasion.objects.with_seats().get(pk=occasion.pk).seats_left == 4


@pytest.mark.django_db(transaction=True)
def test_site_fixture_rebuilds_the_skeleton_after_a_flush(site, client):
    # Transactional tests flush every table (root page, Site, locales) after each test; the `site`
    # fixture must build everything again for the next one.
    course = create_course(title="Efter tömning")

    assert client.get("/en/courses/").status_code == 200
    assert client.get(course.url).status_code == 200
