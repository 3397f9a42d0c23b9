"""Course cards come from the card cache, and never show what has changed since they were rendered."""

import pytest
from django.core.cache import cache

from courses.factories import OccasionFactory, create_course, translate_course
from enrolment.factories import EnrolmentFactory

pytestmark = pytest.mark.usefixtures("site")


def card_of(html, title):
    start = html.index(title)
    return html[html.rindex('<article class="course-card"', 0, start) : html.index("</article>", start)]


def catalogue(client, url="/sv/kurser/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_change_shows_on_the_card_at_once(client):
    course = create_course(title="Cellterapi vid leukemi", summary="Om CAR-T.")
    OccasionFactory(course=course)
    assert "Om CAR-T." in card_of(catalogue(client), "Cellterapi vid leukemi")

    course.summary = "Om CAR-T och TIL."
    course.save_revision().publish()

    assert "Om CAR-T och TIL." in card_of(catalogue(client), "Cellterapi vid leukemi")


def test_the_seat_badge_follows_the_enrolments(client, settings):
    settings.FEW_SEATS_LEFT = 3
    course = create_course(title="GMP i praktiken")
    occasion = OccasionFactory(course=course, capacity=5)
    assert "badge--open" in card_of(catalogue(client), "GMP i praktiken")

    EnrolmentFactory(occasion=occasion)
    EnrolmentFactory(occasion=occasion)

    card = card_of(catalogue(client), "GMP i praktiken")
    assert "badge--few_seats" in card
    assert "3 platser" in card

    for _ in range(3):
        EnrolmentFactory(occasion=occasion)

    assert "badge--waiting_list" in card_of(catalogue(client), "GMP i praktiken")


def test_each_language_has_its_own_card(client):
    course = create_course(title="Genterapi för sjuksköterskor")
    OccasionFactory(course=course)
    translate_course(course, "en", title="Gene therapy for nurses")

    assert "Genterapi för sjuksköterskor" in catalogue(client)
    english = catalogue(client, "/en/courses/")
    assert "Gene therapy for nurses" in card_of(english, "Gene therapy for nurses")
    assert "Genterapi för sjuksköterskor" not in english


def test_unchanged_cards_come_from_the_cache_in_one_round_trip(client, monkeypatch):
    from catalogue import fragments as cards

    for number in range(3):
        OccasionFactory(course=create_course(title=f"Kurs {number}"))
    first = catalogue(client)

    rendered, reads = [], []
    get_template, get_many = cards.get_template, cache.get_many
    monkeypatch.setattr(cards, "get_template", lambda name: rendered.append(name) or get_template(name))
    monkeypatch.setattr(cache, "get_many", lambda keys, *a, **k: reads.append(len(keys)) or get_many(keys, *a, **k))
    second = catalogue(client)

    assert second.count('class="course-card"') == first.count('class="course-card"') == 3
    assert reads == [3]  # the three cards in one round trip
    assert rendered == []  # none rendered again
    assert [card_of(second, f"Kurs {n}") for n in range(3)] == [card_of(first, f"Kurs {n}") for n in range(3)]
