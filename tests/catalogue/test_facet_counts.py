"""Each facet value says how many courses choosing it would give, counting with every other filter in use."""

import re

import pytest

from catalogue.services import facet_counts
from courses.factories import CentreFactory, OccasionFactory, TopicFactory, create_course
from courses.models import CourseFormat
from tests.catalogue.test_services import course_on

pytestmark = pytest.mark.usefixtures("site")


@pytest.fixture
def courses():
    """Three courses: two on cell therapy (one in Uppsala, one online in English), one on gene therapy."""
    cell, gene = TopicFactory(name="Cellterapi", slug="cell"), TopicFactory(name="Genterapi", slug="gene")
    uppsala, lund = CentreFactory(name="Uppsala", slug="uppsala"), CentreFactory(name="Lund", slug="lund")
    course_on(title="CAR-T", topics=[cell], centres=[uppsala], format=CourseFormat.ONLINE)
    online = course_on(title="GMP", topics=[cell], centres=[lund], occasion={"language": "en"})
    OccasionFactory(course=online, language="sv")  # the same course also in Swedish: counted once per language
    course_on(title="AAV", topics=[gene], centres=[uppsala])
    # A course with nothing upcoming counts nowhere.
    create_course(title="Gammal", topics=[gene], centres=[lund])


def test_counts_without_filters(courses):
    counts = facet_counts({}, "sv")

    assert counts["topic"] == {"cell": 2, "gene": 1}
    assert counts["centre"] == {"uppsala": 2, "lund": 1}
    assert counts["language"] == {"sv": 3, "en": 1}
    assert counts["format"] == {"online": 1, "in_person": 2}
    assert counts["has_seats"] == 3


def test_a_value_counts_with_the_other_facets_but_not_its_own(courses):
    counts = facet_counts({"topic": ["cell"], "centre": ["uppsala"]}, "sv")

    # Topic counts keep the centre filter; centre counts keep the topic filter.
    assert counts["topic"] == {"cell": 1, "gene": 1}
    assert counts["centre"] == {"uppsala": 1, "lund": 1}
    assert counts["language"] == {"sv": 1}


def test_language_counts_keep_the_course_facets(courses):
    counts = facet_counts({"language": ["en"]}, "sv")

    assert counts["topic"] == {"cell": 1}
    assert counts["language"] == {"sv": 3, "en": 1}


def test_the_catalogue_shows_the_counts_inside_each_label(client, courses):
    text = client.get("/sv/kurser/?centre=uppsala").content.decode()

    label = re.search(r'<label for="id_topic_\d">Cellterapi (.*?)</label>', text, re.S).group(1)
    assert '<span aria-hidden="true">(1)</span>' in label
    assert '<span class="visually-hidden">1 kurs</span>' in label
    gene = re.search(r'<label for="id_topic_\d">Genterapi (.*?)</label>', text, re.S).group(1)
    assert "1 kurs" in gene
    lund = re.search(r'<label for="id_centre_\d">Lund (.*?)</label>', text, re.S).group(1)
    assert "1 kurs" in lund
    seats = re.search(r'<label for="id_has_seats">(.*?)</label>', text, re.S).group(1)
    assert "2 kurser" in seats


def test_the_counts_follow_a_search(client, courses):
    text = client.get("/sv/kurser/?q=CAR-T").content.decode()

    cell = re.search(r'<label for="id_topic_\d">Cellterapi (.*?)</label>', text, re.S).group(1)
    assert "1 kurs" in cell
    gene = re.search(r'<label for="id_topic_\d">Genterapi (.*?)</label>', text, re.S).group(1)
    assert "0 kurser" in gene
