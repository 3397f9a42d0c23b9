"""Page addresses from Swedish titles are ASCII (å, ä → a, ö → o): for new courses and for translations, whose address
follows their translated title until first published."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield
from wagtail.test.utils.form_data import querydict_from_html as form_from_html
from wagtail_localize.models import StringTranslation, TranslationSource

from courses.centres import centre_page
from courses.factories import create_course
from courses.models import CoursePage

from .test_enrolment_tab import SWEDISH, editor, owner, skane  # noqa: F401  (fixtures)
from .test_translation_workflow import translate_all_strings

pytestmark = pytest.mark.django_db


def add_course(client, parent, title, slug=""):
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", parent.pk])
    data = form_from_html(client.get(url, **SWEDISH).content.decode(), form_id="page-edit-form")
    for key in list(data):
        if key.startswith(("body-", "enrolment_questions-", "evaluation_questions-")):
            del data[key]
    streams = {"body": streamfield([]), "enrolment_questions": streamfield([]), "evaluation_questions": streamfield([])}
    data.update(nested_form_data(streams))
    data.update({"title": title, "slug": slug, "summary": "En kurs.", "action-publish": "action-publish"})
    response = client.post(url, data, follow=True, **SWEDISH)
    assert response.context.get("form") is None or response.context["form"].errors == {}
    return CoursePage.objects.get(title=title)


def test_a_new_course_gets_an_ascii_address_from_its_swedish_title(editor, skane):  # noqa: F811
    page = add_course(editor, centre_page(skane), "Säker hantering av ATMP – övningar på avdelningen")

    assert page.slug == "saker-hantering-av-atmp-ovningar-pa-avdelningen"
    assert page.url.endswith("/saker-hantering-av-atmp-ovningar-pa-avdelningen/")


def test_a_typed_swedish_slug_is_made_ascii(editor, skane):  # noqa: F811
    page = add_course(editor, centre_page(skane), "Kylkedjan", slug="kylkedja-för-läkemedel-på-väg")

    assert page.slug == "kylkedja-for-lakemedel-pa-vag"


def test_a_translation_gets_an_ascii_address_from_its_translated_title(
    site, locale_en, django_capture_on_commit_callbacks
):
    course = create_course(site.catalogue["sv"], title="Säker hantering")
    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate_all_strings(source, locale_en, prefix="")
    title_segment = source.stringsegment_set.get(context__path="title")
    StringTranslation.objects.filter(translation_of=title_segment.string, locale=locale_en).update(
        data="Säker hantering på röntgen"
    )

    with django_capture_on_commit_callbacks(execute=True):
        english, _created = source.create_or_update_translation(locale_en)

    assert CoursePage.objects.get(pk=english.pk).slug == "saker-hantering-pa-rontgen"


def test_a_published_translations_address_stays_when_its_title_changes(
    site, locale_en, django_capture_on_commit_callbacks
):
    course = create_course(site.catalogue["sv"], title="Säker hantering")
    source, _created = TranslationSource.get_or_create_from_instance(course)
    translate_all_strings(source, locale_en)
    with django_capture_on_commit_callbacks(execute=True):
        english, _created = source.create_or_update_translation(locale_en)
    assert CoursePage.objects.get(pk=english.pk).slug == "en-saker-hantering"

    translate_all_strings(source, locale_en, prefix="EN, new: ")
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(locale_en)

    english = CoursePage.objects.get(pk=english.pk)
    assert english.title == "EN, new: Säker hantering"
    assert english.slug == "en-saker-hantering"  # links to it keep working
