"""An owner's "Translate" (Översätt) makes the English page a draft, absent from everything English until the owner
publishes the translation; publishing it with every text translated says so, and the English address follows the
English title."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail_localize.models import StringTranslation, Translation

from accounts.factories import UserFactory
from courses.centres import centre_team
from courses.factories import CentreFactory, OccasionFactory, create_course
from courses.models import CentreTeam, CoursePage

pytestmark = pytest.mark.django_db

SWEDISH = {"HTTP_ACCEPT_LANGUAGE": "sv"}
TITLE_EN = "Safe handling of ATMP"


@pytest.fixture
def skane(site, locale_en):
    centre = CentreFactory(name="Skånes universitetssjukhus", slug="skane")
    owner = UserFactory(email="kursansvarig.skane@example.se", is_staff=True)
    centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(owner)
    course = create_course(title="Säker hantering av ATMP", summary="Om säker hantering.", centres=[centre])
    course.enrolment_questions = [
        ("question", {"label": "Kost", "help_text": "", "kind": "choice", "choices": ["Vegetarisk", "Vegansk"]}),
    ]
    course.save_revision().publish()
    OccasionFactory(course=course)
    return {"owner": owner, "course": course, "locale_en": locale_en}


@pytest.fixture
def owner(client, skane):
    client.force_login(skane["owner"])
    return client


def submit_url(course):
    return reverse("wagtail_localize:submit_page_translation", args=[course.pk])


def translate(owner, skane, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(submit_url(skane["course"]), {"locales": [skane["locale_en"].pk]}, **SWEDISH)
    return CoursePage.objects.get(translation_key=skane["course"].translation_key, locale=skane["locale_en"])


def english_everywhere(client):
    """What the English catalogue, search, sitemap and API list."""
    texts = [
        client.get("/en/courses/").content.decode(),
        client.get("/en/courses/", {"q": "ATMP"}).content.decode(),
        client.get("/sitemap.xml").content.decode(),
    ]
    api = client.get("/api/v2/pages/", {"type": "courses.CoursePage", "locale": "en", "fields": "title"})
    texts.append(json.dumps(api.json()))
    return " ".join(texts)


def test_english_the_only_language_left_is_ticked_in_the_translate_form(owner, skane):
    html = owner.get(submit_url(skane["course"]), **SWEDISH).content.decode()

    (checkbox,) = re.findall(r'<input[^>]*name="locales"[^>]*>', html)
    assert "checked" in checkbox


def test_translate_makes_an_english_draft_absent_from_the_english_site(
    owner, skane, client, django_capture_on_commit_callbacks
):
    english = translate(owner, skane, django_capture_on_commit_callbacks)

    assert not english.live
    owner.logout()
    assert english.url_path not in english_everywhere(client)
    assert "Säker hantering av ATMP" not in english_everywhere(client)
    assert client.get("/en/courses/skane/saker-hantering-av-atmp/").status_code == 404


def translate_every_string(translation, prefix="EN "):
    for segment in translation.source.stringsegment_set.select_related("string", "context"):
        data = TITLE_EN if segment.context.path == "title" else prefix + segment.string.data
        StringTranslation.objects.create(
            translation_of=segment.string, locale=translation.target_locale, context=segment.context, data=data
        )


def test_publishing_a_complete_translation_says_so_and_puts_it_on_the_english_site(
    owner, skane, client, django_capture_on_commit_callbacks
):
    english = translate(owner, skane, django_capture_on_commit_callbacks)
    translation = Translation.objects.get(target_locale=skane["locale_en"])
    translate_every_string(translation)  # what the owner types in the translation editor

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"/admin/pages/{english.pk}/edit/", {"action": "publish"}, follow=True, **SWEDISH)

    shown = [unescape(str(message)) for message in response.context["messages"]]
    assert any(f"Publicerade '{TITLE_EN}' på English" in message for message in shown), shown
    assert not any("saknade" in message for message in shown), shown
    assert translation.get_progress()[0] == translation.get_progress()[1]
    english.refresh_from_db()
    assert english.live
    assert english.slug == "safe-handling-of-atmp"  # from the English title, not the Swedish address
    owner.logout()
    assert TITLE_EN in english_everywhere(client)
    assert "/en/courses/skane/safe-handling-of-atmp/" in english_everywhere(client)


def test_the_translation_report_stops_waiting_once_published(owner, skane, django_capture_on_commit_callbacks):
    english = translate(owner, skane, django_capture_on_commit_callbacks)
    translation = Translation.objects.get(target_locale=skane["locale_en"])
    assert str(translation.get_status_display()) == "Väntar på översättningar"

    translate_every_string(translation)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(f"/admin/pages/{english.pk}/edit/", {"action": "publish"}, **SWEDISH)

    assert str(translation.get_status_display()) == "Aktuell"
