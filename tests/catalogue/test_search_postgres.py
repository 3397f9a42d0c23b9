"""Search with Swedish and English stemming, which only the PostgreSQL backend does (catalogue/search_backend.py)."""

import pytest
from django.utils import translation

from catalogue.services import find_courses
from courses.factories import OccasionFactory, create_course, translate_course

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("site")]


def titles(query, language):
    courses, _ranks = find_courses({"q": query}, language)
    return sorted(course.title for course in courses)


@pytest.fixture
def courses(site):
    therapy = create_course(title="Introduktion till avancerad terapi", summary="Grunderna i ATMP.")
    OccasionFactory(course=therapy)
    translate_course(therapy, "en", title="Introduction to advanced therapy", summary="The basics of ATMP.")
    other = create_course(title="Biobanker och spårbarhet", summary="Prover och register.")
    OccasionFactory(course=other)
    translate_course(other, "en", title="Biobanks and traceability", summary="Samples and registers.")


@pytest.mark.usefixtures("courses")
def test_swedish_search_finds_inflected_forms():
    assert titles("terapierna", "sv") == ["Introduktion till avancerad terapi"]


@pytest.mark.usefixtures("courses")
def test_english_search_finds_inflected_forms():
    assert titles("therapies", "en") == ["Introduction to advanced therapy"]


@pytest.mark.usefixtures("courses")
def test_swedish_stemming_in_the_other_direction():
    assert titles("biobank", "sv") == ["Biobanker och spårbarhet"]


@pytest.mark.usefixtures("courses")
def test_english_search_does_not_find_swedish_pages():
    assert titles("terapi", "en") == []


@pytest.mark.usefixtures("courses")
def test_search_stems_in_the_language_of_the_catalogue_not_the_active_one():
    with translation.override("en"):
        assert titles("terapierna", "sv") == ["Introduktion till avancerad terapi"]
    with translation.override("sv"):
        assert titles("therapies", "en") == ["Introduction to advanced therapy"]
