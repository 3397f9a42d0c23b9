"""Factories for courses, shared by the tests and the demo-content command.

The taxonomies (centres, topics, audiences) are made in the default language (Swedish) and translated
with `translate_snippet`; course pages go under a catalogue page and are translated with
`translate_course`, which keeps one set of occasions for all language versions.

    site = ensure_site()                            # catalogue.setup (above courses): locales, home, catalogue
    centre = CentreFactory(name="ATMP-centrum Karolinska", city="Stockholm")
    translate_snippet(centre, "en", name="ATMP Centre Karolinska")
    course = create_course(site.catalogue["sv"], title="Introduktion till ATMP", centres=[centre])
    OccasionFactory(course=course, capacity=30)
    translate_course(course, "en", title="Introduction to ATMP", summary="...")

Factories whose objects have a natural key (taxonomy slug and locale, user e-mail) get an existing
object instead of a duplicate, so the demo command can run any number of times.
"""

import datetime as dt

import factory
import wagtail_factories
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Locale

from courses import registry
from courses.centres import centre_material_page, centre_page
from courses.library import CourseLibraryMaterial, MaterialAccess, MaterialKind, MaterialPage
from courses.models import Audience, Centre, CourseFormat, CoursePage, Occasion, Topic


def get_locale(locale=None):
    """A Locale from a Locale, a language code or None (the default language); created if missing."""
    if isinstance(locale, Locale):
        return locale
    return Locale.objects.get_or_create(language_code=locale or settings.LANGUAGE_CODE)[0]


def default_catalogue(locale=None):
    """The catalogue page in `locale` (default language if None), building the site skeleton if needed."""
    return registry.catalogue_pages()()[get_locale(locale).language_code]


def future_morning(days=30, hour=9):
    """`days` from today at `hour` o'clock Stockholm time (aware)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- Taxonomies -------------------------------------------------------------------------------------


class TaxonomyFactory(DjangoModelFactory):
    """Base for Centre/Topic/Audience: a name, a slug from the name, the default locale."""

    locale = factory.LazyFunction(get_locale)
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))

    class Meta:
        abstract = True
        django_get_or_create = ("slug", "locale")


class TopicFactory(TaxonomyFactory):
    name = factory.Sequence(lambda n: f"Ämne {n}")

    class Meta:
        model = Topic


class AudienceFactory(TaxonomyFactory):
    """An audience; `professions=[Profession.NURSE]` names the professions (accounts) it is for."""

    name = factory.Sequence(lambda n: f"Yrkesroll {n}")
    professions = factory.LazyFunction(list)

    class Meta:
        model = Audience


class CentreFactory(TaxonomyFactory):
    name = factory.Sequence(lambda n: f"ATMP-centrum {n}")
    short_name = ""
    region = "Region Stockholm"
    city = "Stockholm"
    contact_email = factory.LazyAttribute(lambda obj: f"{obj.slug}@example.se")

    class Meta:
        model = Centre


def default_centre():
    """The centre of courses made without `centres`: one for all of them, since a centre's pages and groups
    cost more to make than the course itself."""
    centre = Centre.objects.filter(slug="atmp-centrum", locale=get_locale()).first()
    return centre or CentreFactory(name="ATMP-centrum", slug="atmp-centrum")


def translate_snippet(obj, locale, **fields):
    """The translation of a taxonomy entry into `locale` (a Locale or language code), with `fields` set.

    Returns the existing translation (updated with `fields`) if there is one.
    """
    locale = get_locale(locale)
    translation = obj.get_translation_or_none(locale) or obj.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation


# --- Course pages -----------------------------------------------------------------------------------


class CoursePageFactory(wagtail_factories.PageFactory):
    """A live, published course page.

    `parent` is the Swedish page of the first of `centres` (see courses.centres), or a CatalogueIndexPage for
    a network-wide course (the default when `centres=[]`). `centres`,
    `topics` and `audiences` take lists of entries in the default language; a course without `centres`
    belongs to `default_centre()`, pass `centres=[]` for none. The page is published with a revision, as an editor
    would leave it, unless `revision=False`.
    """

    # Under the page of its first centre (whose course owners manage it); a course without centres is
    # network-wide and goes straight under the catalogue.
    parent = factory.LazyAttribute(lambda obj: centre_page(obj.centres[0]) if obj.centres else default_catalogue())
    title = factory.Sequence(lambda n: f"Kurs i avancerade terapier {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    locale = factory.LazyAttribute(lambda obj: obj.parent.locale if obj.parent else get_locale())
    summary = factory.LazyAttribute(lambda obj: f"En kurs om {obj.title.lower()}.")
    format = CourseFormat.IN_PERSON
    language_of_instruction = "sv"
    contact_name = "Kursansvarig"
    contact_email = "kurser@example.se"

    # Lists of taxonomy entries, given to the page before its first save so it is indexed with them.
    centres = factory.LazyFunction(lambda: [default_centre()])
    topics = factory.LazyFunction(list)
    audiences = factory.LazyFunction(list)

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        # revision=False: a live page without a revision, much faster for bulk data (no publish history).
        if create and extracted is not False:
            self.save_revision().publish()


def create_course(parent=None, **fields):
    """A published course page under `parent` (default: its first centre's page, see CoursePageFactory)."""
    if parent is not None:
        fields["parent"] = parent
    return CoursePageFactory(**fields)


def translate_course(page, locale, **fields):
    """The published translation of course `page` into `locale` (a Locale or language code).

    The translation is created under the translation of the page's parent (centre page or catalogue), shares the page's
    `translation_key`, topics, centres and audiences, and none of its occasions or materials (they stay
    on the original and are shown on every translation). `fields` (title, summary, ...) are set on it;
    its slug follows the translated title unless given. An existing translation is updated.
    """
    locale = get_locale(locale)
    translation = page.get_translation_or_none(locale)
    translation = page.copy_for_translation(locale) if translation is None else translation.specific
    if "title" in fields and "slug" not in fields:
        fields["slug"] = slugify(fields["title"])
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


class OccasionFactory(DjangoModelFactory):
    """A scheduled occasion a month from now, 09.00–16.00 Stockholm time, 20 seats, in Swedish."""

    course = factory.SubFactory(CoursePageFactory)
    start = factory.LazyFunction(future_morning)
    end = factory.LazyAttribute(lambda obj: obj.start + dt.timedelta(hours=7))
    mode = factory.LazyAttribute(lambda obj: obj.course.format)
    venue = "Föreläsningssal 1"
    address = "Sjukhusvägen 1"
    city = "Stockholm"
    language = "sv"
    capacity = 20
    status = Occasion.Status.SCHEDULED

    class Meta:
        model = Occasion

    class Params:
        # OccasionFactory(past=True): ended yesterday. OccasionFactory(cancelled=True): called off.
        past = factory.Trait(
            start=factory.LazyFunction(lambda: future_morning(days=-1)),
        )
        cancelled = factory.Trait(status=Occasion.Status.CANCELLED)


# --- The materials library -----------------------------------------------------------------------------


def default_library(locale=None):
    """The materials library page in `locale` (default language if None), building the site skeleton if needed."""
    return registry.library_pages()()[get_locale(locale).language_code]


class MaterialPageFactory(wagtail_factories.PageFactory):
    """A live material for everyone in the library part of its centre (`default_centre()` unless given; `centre=None`
    puts it straight under the library, network-wide). `topics`, `audiences` and `courses` take lists."""

    parent = factory.LazyAttribute(lambda obj: centre_material_page(obj.centre) if obj.centre else default_library())
    title = factory.Sequence(lambda n: f"Material {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    locale = factory.LazyAttribute(lambda obj: obj.parent.locale if obj.parent else get_locale())
    summary = factory.LazyAttribute(lambda obj: f"Om {obj.title.lower()}.")
    kind = MaterialKind.GUIDE
    access = MaterialAccess.EVERYONE
    languages = factory.LazyFunction(lambda: ["sv"])
    link = factory.LazyAttribute(lambda obj: "" if obj.document or obj.video_url else "https://learn.example.se/atmp")
    document = None
    video_url = ""
    contact_name = "Kursansvarig"
    contact_email = "kurser@example.se"
    centre = factory.LazyFunction(default_centre)
    topics = factory.LazyFunction(list)
    audiences = factory.LazyFunction(list)
    courses = factory.LazyFunction(list)

    class Meta:
        model = MaterialPage
        skip_postgeneration_save = True

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.save_revision().publish()


def create_material(parent=None, **fields):
    """A published material (see MaterialPageFactory)."""
    if parent is not None:
        fields["parent"] = parent
    return MaterialPageFactory(**fields)


def translate_material(material, locale, **fields):
    """The published translation of `material` into `locale`, in the translation of its part of the library."""
    return translate_course(material, locale, **fields)


def list_material(course, material):
    """Make `course` list `material` from the library, after the ones it lists already."""
    return CourseLibraryMaterial.objects.create(
        page=course, material=material, sort_order=CourseLibraryMaterial.objects.filter(page=course).count()
    )


# --- Evaluations ---------------------------------------------------------------------------------------

# The network's default evaluation as the demo and the tests have it: the same block ids in both languages.
DEFAULT_EVALUATION = [
    (
        "scale",
        "5f0b2d1e-0000-4000-8000-000000000001",
        {
            "sv": ("Hur nöjd är du med kursen som helhet?", "Inte alls nöjd", "Mycket nöjd"),
            "en": ("How satisfied are you with the course as a whole?", "Not at all satisfied", "Very satisfied"),
        },
    ),
    (
        "scale",
        "5f0b2d1e-0000-4000-8000-000000000002",
        {
            "sv": ("Hur användbart är innehållet i ditt arbete?", "Inte alls", "Mycket"),
            "en": ("How useful is the content in your work?", "Not at all", "Very"),
        },
    ),
    (
        "choice",
        "5f0b2d1e-0000-4000-8000-000000000003",
        {
            "sv": ("Skulle du rekommendera kursen till en kollega?", ["Ja", "Kanske", "Nej"]),
            "en": ("Would you recommend the course to a colleague?", ["Yes", "Maybe", "No"]),
        },
    ),
    (
        "text",
        "5f0b2d1e-0000-4000-8000-000000000004",
        {"sv": ("Vad kan vi göra bättre?",), "en": ("What could we do better?",)},
    ),
]
DEFAULT_EVALUATION_INTRO = {
    "sv": "Det tar ungefär tre minuter. Alla frågor är frivilliga.",
    "en": "It takes about three minutes. Every question is optional.",
}


def evaluation_block(kind, block_id, texts):
    """One evaluation question as StreamField data: ("scale", id, (question, low, high)), ("choice", id,
    (question, choices)) or ("text", id, (question,))."""
    value = {"question": texts[0], "help_text": ""}
    if kind == "scale":
        value.update(low_label=texts[1], high_label=texts[2])
    elif kind == "choice":
        value["choices"] = list(texts[1])
    return {"type": kind, "id": block_id, "value": value}


def default_evaluation(questions=DEFAULT_EVALUATION, intro=DEFAULT_EVALUATION_INTRO):
    """The network's default evaluation in Swedish and English (created, or left as it is if it exists)."""
    from .evaluation import DefaultEvaluation

    found = {default.locale.language_code: default for default in DefaultEvaluation.objects.select_related("locale")}
    sv = found.get("sv")
    if sv is None:
        sv = DefaultEvaluation.objects.create(
            locale=get_locale("sv"),
            intro=intro["sv"],
            questions=[evaluation_block(kind, block_id, texts["sv"]) for kind, block_id, texts in questions],
        )
    if "en" not in found:
        en = sv.copy_for_translation(get_locale("en"))
        en.intro = intro["en"]
        en.questions = [evaluation_block(kind, block_id, texts["en"]) for kind, block_id, texts in questions]
        en.save()
    return sv
