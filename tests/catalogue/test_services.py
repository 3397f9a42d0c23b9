"""Finding courses: every facet alone and combined, search, sort, pagination, what is left out."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from catalogue.forms import SortOrder
from catalogue.services import catalogue_page, find_courses
from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    translate_course,
    translate_snippet,
)
from courses.models import CourseFormat
from enrolment.factories import EnrolmentFactory

pytestmark = pytest.mark.usefixtures("site")

NEXT_YEAR = timezone.localdate().year + 1


def at(month, day, hour=9, year=NEXT_YEAR):
    """A Stockholm time next year (always in the future)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def course_on(start=None, *, occasion=None, **fields):
    """A course with one occasion starting at `start` (default a month from now)."""
    course = create_course(**fields)
    OccasionFactory(course=course, **({"start": start} if start else {}), **(occasion or {}))
    return course


def titles(filters, language="sv", page=1, per_page=100):
    """The titles a visitor sees on a results page, in order."""
    with translation.override(language):
        courses, ranks = find_courses(filters, language)
        results = catalogue_page(courses, ranks, page, filters, per_page=per_page)
    return [course.title for course in results.object_list]


# --- Course facets ----------------------------------------------------------------------------------


def test_no_filters_lists_every_course_with_an_upcoming_occasion():
    course_on(title="Cellterapi")
    course_on(title="Genterapi")

    assert sorted(titles({})) == ["Cellterapi", "Genterapi"]


def test_topic_facet():
    cell, gene = TopicFactory(name="Cellterapi"), TopicFactory(name="Genterapi")
    course_on(title="CAR-T i praktiken", topics=[cell])
    course_on(title="AAV-vektorer", topics=[gene])

    assert titles({"topic": [cell.slug]}) == ["CAR-T i praktiken"]


def test_several_values_of_one_facet_match_either():
    cell, gene, gmp = TopicFactory(), TopicFactory(), TopicFactory()
    course_on(title="A", topics=[cell])
    course_on(title="B", topics=[gene])
    course_on(title="C", topics=[gmp])

    assert sorted(titles({"topic": [cell.slug, gene.slug]})) == ["A", "B"]


def test_course_with_two_matching_topics_is_listed_once():
    cell, gene = TopicFactory(), TopicFactory()
    course_on(title="Both", topics=[cell, gene])

    assert titles({"topic": [cell.slug, gene.slug]}) == ["Both"]


def test_centre_facet():
    lund, umea = CentreFactory(name="ATMP-centrum Lund"), CentreFactory(name="ATMP-centrum Umeå")
    course_on(title="Lundakursen", centres=[lund])
    course_on(title="Umeåkursen", centres=[umea])

    assert titles({"centre": [umea.slug]}) == ["Umeåkursen"]


def test_audience_facet():
    nurses, doctors = AudienceFactory(name="Sjuksköterskor"), AudienceFactory(name="Läkare")
    course_on(title="För sjuksköterskor", audiences=[nurses])
    course_on(title="För läkare", audiences=[doctors])

    assert titles({"audience": [nurses.slug]}) == ["För sjuksköterskor"]


def test_format_facet():
    course_on(title="På plats", format=CourseFormat.IN_PERSON)
    course_on(title="Webbinarium", format=CourseFormat.ONLINE)

    assert titles({"format": [CourseFormat.ONLINE]}) == ["Webbinarium"]


def test_facets_use_the_same_slugs_in_english():
    topic = TopicFactory(name="Genterapi")
    translate_snippet(topic, "en", name="Gene therapy")
    course = course_on(title="AAV-vektorer", topics=[topic])
    translate_course(course, "en", title="AAV vectors")
    other = course_on(title="Annat")
    translate_course(other, "en", title="Other")

    assert titles({"topic": [topic.slug]}, language="en") == ["AAV vectors"]


# --- Occasion facets --------------------------------------------------------------------------------


def test_language_facet_matches_the_occasions_language():
    course_on(title="På svenska", occasion={"language": "sv"})
    course_on(title="In English", occasion={"language": "en"})

    assert titles({"language": ["en"]}) == ["In English"]


def test_course_matches_when_one_of_its_occasions_matches():
    course = course_on(at(3, 10), title="Två tillfällen", occasion={"language": "sv"})
    OccasionFactory(course=course, start=at(5, 10), language="en")

    assert titles({"language": ["en"]}) == ["Två tillfällen"]


def test_results_show_only_the_occasions_that_match():
    course = course_on(at(3, 10), title="Två tillfällen", occasion={"language": "sv"})
    english = OccasionFactory(course=course, start=at(5, 10), language="en")
    filters = {"language": ["en"]}

    courses, ranks = find_courses(filters, "sv")
    [result] = catalogue_page(courses, ranks, 1, filters).object_list

    assert result.matching_occasions == [english]


def test_month_facet():
    course_on(at(3, 10), title="Mars")
    course_on(at(4, 10), title="April")

    assert titles({"month": dt.date(NEXT_YEAR, 4, 1)}) == ["April"]


def test_month_facet_uses_stockholm_time_at_the_month_boundary():
    # 00.30 on 1 April in Stockholm is still 31 March in UTC.
    course_on(at(4, 1, hour=0) + dt.timedelta(minutes=30), title="Första april")

    assert titles({"month": dt.date(NEXT_YEAR, 3, 1)}) == []
    assert titles({"month": dt.date(NEXT_YEAR, 4, 1)}) == ["Första april"]


def test_month_facet_includes_an_occasion_running_into_the_month():
    course_on(at(3, 30), title="Över månadsskiftet", occasion={"end": at(4, 2, hour=16)})

    assert titles({"month": dt.date(NEXT_YEAR, 4, 1)}) == ["Över månadsskiftet"]


def test_date_from():
    course_on(at(3, 10), title="Mars")
    course_on(at(4, 10), title="April")

    assert titles({"date_from": dt.date(NEXT_YEAR, 4, 1)}) == ["April"]


def test_date_to_includes_that_whole_day():
    course_on(at(3, 10, hour=15), title="Mars")
    course_on(at(4, 10), title="April")

    assert titles({"date_to": dt.date(NEXT_YEAR, 3, 10)}) == ["Mars"]


def test_date_range():
    course_on(at(3, 10), title="Mars")
    course_on(at(4, 10), title="April")
    course_on(at(5, 10), title="Maj")

    assert titles({"date_from": dt.date(NEXT_YEAR, 4, 1), "date_to": dt.date(NEXT_YEAR, 4, 30)}) == ["April"]


def test_has_seats_leaves_out_full_occasions():
    course_on(title="Plats kvar", occasion={"capacity": 2})
    full = course_on(title="Fullbokad", occasion={"capacity": 1})
    EnrolmentFactory(occasion=full.occasions.get())

    assert titles({"has_seats": True}) == ["Plats kvar"]


def test_has_seats_keeps_occasions_without_a_limit():
    course_on(title="Obegränsat", occasion={"capacity": None})

    assert titles({"has_seats": True}) == ["Obegränsat"]


def test_has_seats_leaves_out_occasions_not_yet_open_or_closed():
    now = timezone.now()
    course_on(title="Öppen")
    course_on(title="Öppnar snart", occasion={"enrolment_opens": now + dt.timedelta(days=2)})
    course_on(title="Stängd", occasion={"enrolment_closes": now - dt.timedelta(hours=1)})

    assert titles({"has_seats": True}) == ["Öppen"]


def test_without_has_seats_full_courses_are_listed_for_the_waiting_list():
    full = course_on(title="Fullbokad", occasion={"capacity": 1})
    EnrolmentFactory(occasion=full.occasions.get())

    assert titles({}) == ["Fullbokad"]


def test_facets_combine_with_and():
    cell = TopicFactory()
    lund = CentreFactory()
    wanted = {"topics": [cell], "centres": [lund], "format": CourseFormat.ONLINE}
    course_on(at(4, 10), title="Allt stämmer", occasion={"language": "en"}, **wanted)
    course_on(at(4, 10), title="Fel ämne", occasion={"language": "en"}, **{**wanted, "topics": []})
    course_on(at(4, 10), title="Fel centrum", occasion={"language": "en"}, **{**wanted, "centres": [CentreFactory()]})
    course_on(at(4, 10), title="Fel format", occasion={"language": "en"}, **{**wanted, "format": CourseFormat.HYBRID})
    course_on(at(4, 10), title="Fel språk", occasion={"language": "sv"}, **wanted)
    course_on(at(5, 10), title="Fel månad", occasion={"language": "en"}, **wanted)
    filters = {
        "topic": [cell.slug],
        "centre": [lund.slug],
        "format": [CourseFormat.ONLINE],
        "language": ["en"],
        "month": dt.date(NEXT_YEAR, 4, 1),
        "has_seats": True,
    }

    assert titles(filters) == ["Allt stämmer"]


def test_occasion_facets_must_match_the_same_occasion():
    # An English occasion in March and a Swedish one in April: no English occasion in April.
    course = course_on(at(3, 10), title="Blandat", occasion={"language": "en"})
    OccasionFactory(course=course, start=at(4, 10), language="sv")

    assert titles({"language": ["en"], "month": dt.date(NEXT_YEAR, 4, 1)}) == []


# --- Search -----------------------------------------------------------------------------------------


def test_search_in_swedish():
    course_on(title="Cellterapi vid leukemi", summary="Om CAR-T-behandling.")
    course_on(title="Genterapi", summary="Om AAV-vektorer.")

    assert titles({"q": "leukemi"}) == ["Cellterapi vid leukemi"]


def test_search_finds_words_in_the_summary():
    course_on(title="Cellterapi", summary="Tillverkning enligt GMP i renrum.")
    course_on(title="Genterapi", summary="Om AAV-vektorer.")

    assert titles({"q": "renrum"}) == ["Cellterapi"]


def test_search_needs_every_word():
    course_on(title="Cellterapi vid leukemi")
    course_on(title="Cellterapi vid lymfom")

    assert titles({"q": "cellterapi lymfom"}) == ["Cellterapi vid lymfom"]


def test_search_in_english_finds_the_english_page():
    course = course_on(title="Cellterapi vid leukemi")
    translate_course(course, "en", title="Cell therapy for leukaemia", summary="About CAR-T treatment.")

    assert titles({"q": "leukaemia"}, language="en") == ["Cell therapy for leukaemia"]


def test_search_in_english_does_not_find_swedish_words():
    course = course_on(title="Cellterapi vid leukemi")
    translate_course(course, "en", title="Cell therapy for leukaemia", summary="About CAR-T treatment.")

    assert titles({"q": "leukemi"}, language="en") == []


def test_search_ignores_double_quotes():
    course_on(title="Cellterapi vid leukemi")

    assert titles({"q": '"leukemi'}) == ["Cellterapi vid leukemi"]
    assert titles({"q": '"'}) == ["Cellterapi vid leukemi"]


def test_search_finds_the_topic_name():
    course_on(title="AAV-vektorer", topics=[TopicFactory(name="Genterapi")])
    course_on(title="Annat")

    assert titles({"q": "genterapi"}) == ["AAV-vektorer"]


def test_search_without_matches_finds_nothing():
    course_on(title="Cellterapi")

    assert titles({"q": "kvantfysik"}) == []


def test_search_puts_title_matches_first_by_default():
    course_on(at(3, 1), title="Renrum", learning_objectives="<p>Att arbeta enligt GMP.</p>")
    course_on(at(5, 1), title="GMP för ATMP")

    assert titles({"q": "GMP"}) == ["GMP för ATMP", "Renrum"]


# --- Sort and pagination ----------------------------------------------------------------------------


def test_sorted_by_next_date_by_default():
    course_on(at(5, 1), title="A maj")
    course_on(at(3, 1), title="B mars")
    course_on(at(4, 1), title="C april")

    assert titles({}) == ["B mars", "C april", "A maj"]


def test_sort_by_date_uses_the_next_matching_occasion():
    late = course_on(at(6, 1), title="Juni och mars")
    OccasionFactory(course=late, start=at(3, 1))
    course_on(at(4, 1), title="April")

    assert titles({"sort": SortOrder.DATE}) == ["Juni och mars", "April"]
    assert titles({"sort": SortOrder.DATE, "date_from": dt.date(NEXT_YEAR, 4, 1)}) == ["April", "Juni och mars"]


def test_sort_by_title():
    course_on(at(3, 1), title="Cellterapi")
    course_on(at(4, 1), title="Avancerade terapier")
    course_on(at(5, 1), title="Biobanker")

    assert titles({"sort": SortOrder.TITLE}) == ["Avancerade terapier", "Biobanker", "Cellterapi"]


def test_search_sorted_by_date_when_asked():
    course_on(at(5, 1), title="GMP för ATMP")
    course_on(at(3, 1), title="Renrum", learning_objectives="<p>Att arbeta enligt GMP.</p>")
    course_on(at(4, 1), title="Kvalitet")

    assert titles({"q": "GMP", "sort": SortOrder.DATE}) == ["Renrum", "GMP för ATMP"]


@pytest.fixture
def five_courses(site):
    for month in range(1, 6):
        course_on(at(month, 1), title=f"Kurs {month}", revision=False)


@pytest.mark.usefixtures("five_courses")
def test_pagination_second_page():
    assert titles({}, page=2, per_page=2) == ["Kurs 3", "Kurs 4"]


@pytest.mark.usefixtures("five_courses")
def test_page_past_the_end_shows_the_last_page():
    assert titles({}, page=999, per_page=2) == ["Kurs 5"]


@pytest.mark.usefixtures("five_courses")
@pytest.mark.parametrize("number", ["abc", "", None, "1.5", "1e3"])
def test_page_number_that_is_not_a_number_shows_the_first_page(number):
    assert titles({}, page=number, per_page=2) == ["Kurs 1", "Kurs 2"]


@pytest.mark.usefixtures("five_courses")
@pytest.mark.parametrize("number", ["0", "-1"])
def test_page_number_below_one_shows_the_last_page(number):
    # Django's Paginator.get_page: any out-of-range number gives the last page.
    assert titles({}, page=number, per_page=2) == ["Kurs 5"]


@pytest.mark.usefixtures("five_courses")
def test_page_knows_the_total():
    courses, ranks = find_courses({}, "sv")
    results = catalogue_page(courses, ranks, 1, {}, per_page=2)

    assert (results.paginator.count, results.paginator.num_pages) == (5, 3)


# --- What is left out -------------------------------------------------------------------------------


def test_course_with_only_past_occasions_is_not_listed():
    course_on(title="Kommande")
    course_on(title="Förra året", occasion={"past": True})

    assert titles({}) == ["Kommande"]


def test_course_with_only_cancelled_occasions_is_not_listed():
    course_on(title="Kommande")
    course_on(title="Inställd", occasion={"cancelled": True})

    assert titles({}) == ["Kommande"]


def test_cancelled_occasion_is_not_among_the_matching_ones():
    course = course_on(at(3, 1), title="Kommande", occasion={"cancelled": True})
    scheduled = OccasionFactory(course=course, start=at(4, 1))

    courses, ranks = find_courses({}, "sv")
    [result] = catalogue_page(courses, ranks, 1, {}).object_list

    assert result.matching_occasions == [scheduled]


def test_course_without_occasions_is_not_listed():
    create_course(title="Utan datum")

    assert titles({}) == []


def test_unpublished_course_is_not_listed():
    course = course_on(title="Utkast")
    course.unpublish()

    assert titles({}) == []


def test_occasion_that_started_but_has_not_ended_is_listed():
    now = timezone.now()
    course_on(title="Pågår", occasion={"start": now - dt.timedelta(hours=1), "end": now + dt.timedelta(hours=2)})

    assert titles({}) == ["Pågår"]


# --- Languages --------------------------------------------------------------------------------------


def test_english_catalogue_shows_the_occasions_of_the_swedish_page():
    course = course_on(at(3, 1), title="Cellterapi")
    OccasionFactory(course=course, start=at(4, 1))
    translate_course(course, "en", title="Cell therapy")

    courses, ranks = find_courses({}, "en")
    [result] = catalogue_page(courses, ranks, 1, {}).object_list

    assert result.title == "Cell therapy"
    assert [o.start for o in result.matching_occasions] == [at(3, 1), at(4, 1)]


def test_untranslated_course_is_not_in_the_english_catalogue():
    course_on(title="Bara på svenska")

    assert titles({}, language="en") == []


def test_english_catalogue_names_topics_in_english():
    topic = TopicFactory(name="Genterapi")
    translate_snippet(topic, "en", name="Gene therapy")
    course = course_on(title="AAV", topics=[topic])
    translate_course(course, "en", title="AAV vectors")

    with translation.override("en"):
        courses, ranks = find_courses({}, "en")
        [result] = catalogue_page(courses, ranks, 1, {}).object_list

    assert [t.name for t in result.localized_topics] == ["Gene therapy"]
