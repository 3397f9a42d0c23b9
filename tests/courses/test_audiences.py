"""An audience names the professions (accounts' list, in the singular) it is written for, ticked in the admin."""

import pytest

from accounts.factories import UserFactory
from accounts.models import Profession
from courses.factories import AudienceFactory
from courses.models import Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, site):
    client.force_login(UserFactory(email="admin@example.se", is_staff=True, is_superuser=True))
    return client


def test_the_audience_editor_offers_the_professions_in_the_singular(admin):
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses")

    html = admin.get(f"/admin/snippets/courses/audience/edit/{nurses.pk}/").content.decode()

    assert 'type="checkbox" name="professions" value="nurse"' in html
    assert "Sjuksköterska" in html or "Nurse" in html


def test_ticked_professions_are_saved_with_the_audience(admin):
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses")

    response = admin.post(
        f"/admin/snippets/courses/audience/edit/{nurses.pk}/",
        {"name": "Sjuksköterskor", "slug": "nurses", "professions": [Profession.NURSE, Profession.OTHER]},
    )

    assert response.status_code == 302
    assert Audience.objects.get(pk=nurses.pk).professions == ["nurse", "other"]


def test_an_unknown_profession_is_refused(admin):
    nurses = AudienceFactory(name="Sjuksköterskor", slug="nurses")

    response = admin.post(
        f"/admin/snippets/courses/audience/edit/{nurses.pk}/",
        {"name": "Sjuksköterskor", "slug": "nurses", "professions": ["astronaut"]},
    )

    assert response.status_code == 200
    assert Audience.objects.get(pk=nurses.pk).professions == []
