"""Links to the site's own pages come from the pages themselves: renaming a page moves every link to it."""

import pytest

from courses.factories import OccasionFactory, create_course

pytestmark = pytest.mark.usefixtures("site")


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_menu_and_the_not_found_page_link_to_the_catalogue_in_the_visitors_language(client, site):
    catalogue = site.catalogue["sv"]
    catalogue.slug = "utbildningar"
    catalogue.save_revision().publish()

    assert '<li><a href="/sv/utbildningar/">Kurser</a></li>' in html(client.get("/sv/"))
    assert '<li><a href="/en/courses/">Courses</a></li>' in html(client.get("/en/"))
    missing = client.get("/sv/finns-inte/")
    assert missing.status_code == 404
    assert 'href="/sv/utbildningar/"' in missing.content.decode()


def test_course_page_links_to_each_occasion_and_its_calendar_file(client):
    course = create_course(title="Cellterapi vid leukemi")
    occasion = OccasionFactory(course=course)

    text = html(client.get(course.url))

    assert f'href="{course.url}occasions/{occasion.pk}/"' in text
    assert f'href="{course.url}occasions/{occasion.pk}.ics"' in text
    calendar = client.get(f"{course.url}occasions/{occasion.pk}.ics")
    assert calendar.status_code == 200
    assert calendar["Content-Type"].startswith("text/calendar")
