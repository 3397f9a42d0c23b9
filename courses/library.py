"""What a material in the network's library is: a guide, slides, a recording, an e-learning link, a checklist or a
video, with its topics, audiences, languages, centre and who may open it.

Materials are pages under the library (`/sv/utbildningsmaterial/`, `/en/materials/`), each centre's below its own
`CentreMaterialsPage`, where its course owners have their page permissions, as they have for courses. A course
lists the materials it uses (`CourseLibraryMaterial`); one upload serves every course. Like a course's occasions,
what a material *is* (its file, access, topics) is edited on the page in the default language and shared by its
translations, which find it through the `translation_key`.

Who may open a material is decided by the enrolment app (enrolment.access), which registers the
`MATERIAL_ACCESS_HOOK`: this layer knows nothing about enrolments.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.forms import CheckboxSelectMultiple
from django.http import HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from .models import LANGUAGE_CHOICES, Audience, Centre, CoursePage, Topic, localized
from .panels import MaterialDownloadsPanel, TranslationStatusPanel

# enrolment registers the function deciding who may open a material: fn(user) -> an object with
# `decide(material)` returning a MaterialDecision (see enrolment.access.MaterialAccessChecker).
MATERIAL_ACCESS_HOOK = "material_access_checker"
# A material not reviewed for this long is listed for its owners on the dashboard.
REVIEW_INTERVAL = dt.timedelta(days=365)


class MaterialKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    SLIDES = "slides", _("Slides")
    RECORDED_LECTURE = "recorded_lecture", _("Recorded lecture")
    E_LEARNING = "e_learning", _("E-learning link")
    CHECKLIST = "checklist", _("Checklist")
    VIDEO = "video", _("Video")


class MaterialAccess(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    AUDIENCES = "audiences", _("Logged-in people whose profession is among the audiences")
    PARTICIPANTS = "participants", _("Participants of the named courses")


class LanguagesField(models.CharField):
    """A few language codes in one column ("sv,en"), edited as check boxes and filtered with `__contains`."""

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return list(value)
        return [code for code in (value or "").split(",") if code]

    def get_prep_value(self, value):
        if isinstance(value, (list, tuple)):
            return ",".join(value)
        return value

    def value_to_string(self, obj):
        return ",".join(self.value_from_object(obj) or [])

    def run_validators(self, value):
        return super().run_validators(self.get_prep_value(value))

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=self.verbose_name,
            choices=LANGUAGE_CHOICES,
            required=not self.blank,
            widget=CheckboxSelectMultiple,
            help_text=self.help_text,
        )


def default_languages():
    return [settings.LANGUAGE_CODE]


class CentreMaterialsPage(Page):
    """A centre's part of the library: its materials are the pages below it, edited by its course owners.

    Visitors who open it land on the library filtered to the centre.
    """

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="material_pages", verbose_name=_("ATMP-centre")
    )

    parent_page_types = ["catalogue.MaterialIndexPage"]
    subpage_types = ["courses.MaterialPage"]
    content_panels = [*Page.content_panels, FieldPanel("centre")]
    override_translatable_fields = [SynchronizedField("centre")]

    class Meta:
        verbose_name = _("centre's materials")
        verbose_name_plural = _("centres' materials")

    def serve(self, request, *args, **kwargs):
        return HttpResponseRedirect(f"{self.get_parent().url}?{urlencode({'centre': self.centre.slug})}")


class MaterialPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "centre" in self.fields:
            # The centre follows the part of the library the page is in; network-wide materials have none.
            self.fields["centre"].disabled = True
            self.fields["centre"].required = False

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None) or (self.instance.get_parent() if self.instance.pk else None)
        if parent is not None:
            parent = parent.specific
            self.instance.centre = parent.centre if isinstance(parent, CentreMaterialsPage) else None
            cleaned["centre"] = self.instance.centre
        given = [name for name in ("document", "link", "video_url") if cleaned.get(name)]
        if len(given) != 1:
            self.add_error(None, _("Give the material as a document, a link or a video (one of them)."))
        if cleaned.get("access") == MaterialAccess.AUDIENCES and not cleaned.get("audiences"):
            self.add_error("audiences", _("Tick the audiences whose professions may open this material."))
        if cleaned.get("access") == MaterialAccess.PARTICIPANTS and not cleaned.get("courses"):
            self.add_error("courses", _("Choose the courses whose participants may open this material."))
        return cleaned


class MaterialPage(Page):
    summary = models.TextField(_("summary"), max_length=400, blank=True, help_text=_("One or two sentences."))
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind.choices, default=MaterialKind.GUIDE)
    topics = ParentalManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="materials",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    audiences = ParentalManyToManyField(
        Audience,
        verbose_name=_("audience"),
        blank=True,
        related_name="materials",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    languages = LanguagesField(_("languages"), max_length=20, default=default_languages)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("ATMP-centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
        help_text=_("The centre whose part of the library the material is in."),
    )
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )
    link = models.URLField(_("link"), blank=True, help_text=_("An e-learning course or a page elsewhere."))
    video_url = models.URLField(_("video"), blank=True, help_text=_("Where the video or recording is streamed."))
    access = models.CharField(
        _("who may open it"), max_length=20, choices=MaterialAccess.choices, default=MaterialAccess.EVERYONE
    )
    courses = ParentalManyToManyField(
        CoursePage,
        verbose_name=_("courses whose participants may open it"),
        blank=True,
        related_name="restricted_materials",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    available_from = models.DateTimeField(
        _("available from"), null=True, blank=True, help_text=_("Leave empty to make it available at once.")
    )
    last_reviewed = models.DateField(_("last reviewed"), default=timezone.localdate)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    parent_page_types = ["courses.CentreMaterialsPage", "catalogue.MaterialIndexPage"]
    subpage_types = []
    template = "courses/material_page.html"
    base_form_class = MaterialPageForm

    content_panels = [
        TranslationStatusPanel(),
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("topics", widget=CheckboxSelectMultiple),
                FieldPanel("audiences", widget=CheckboxSelectMultiple),
                FieldPanel("languages"),
                FieldPanel("centre"),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("link"), FieldPanel("video_url")],
            heading=_("The material"),
            help_text=_("A document (kept private, served only to those who may open it), a link or a video."),
        ),
        MultiFieldPanel(
            [FieldPanel("access"), FieldPanel("courses"), FieldPanel("available_from")],
            heading=_("Access"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("last_reviewed"),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
            ],
            heading=_("Review and contact"),
        ),
        MaterialDownloadsPanel(),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        *[
            SynchronizedField(name)
            for name in (
                "kind",
                "topics",
                "audiences",
                "languages",
                "centre",
                "document",
                "link",
                "video_url",
                "access",
                "courses",
                "available_from",
                "last_reviewed",
                "contact_name",
                "contact_email",
            )
        ],
    ]

    # Never a file URL here: the API is anonymous, and a restricted file is served only through the checked view.
    api_fields = [
        APIField("summary"),
        APIField("kind"),
        APIField("languages"),
        APIField("access"),
        APIField("topic_names"),
        APIField("audience_names"),
        APIField("last_reviewed"),
    ]

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    @property
    def file_url(self):
        """Where the material itself is: the checked document view, the link or the video."""
        if self.document_id:
            return self.document.url
        return self.link or self.video_url

    @property
    def library(self):
        """The library page above, past the centre's part of it."""
        parent = self.get_parent()
        return parent.get_parent() if parent.specific_class is CentreMaterialsPage else parent

    @property
    def is_open_to_everyone(self):
        released = self.available_from is None or self.available_from <= timezone.now()
        return self.access == MaterialAccess.EVERYONE and released

    @property
    def is_stale(self):
        return self.last_reviewed < timezone.localdate() - REVIEW_INTERVAL

    @cached_property
    def localized_topics(self):
        return localized(self.topics.all())

    @cached_property
    def localized_audiences(self):
        return localized(self.audiences.all())

    @cached_property
    def localized_centre(self):
        return localized([self.centre])[0] if self.centre_id else None

    def _names_in_page_language(self, objects):
        with translation.override(self.locale.language_code):
            return [obj.name for obj in localized(objects)]

    @property
    def topic_names(self):
        return self._names_in_page_language(self.topics.all())

    @property
    def audience_names(self):
        return self._names_in_page_language(self.audiences.all())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["decision"] = access_checker(request.user).decide(self)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            # What the page offers depends on who asks: never kept in a shared cache.
            response["Cache-Control"] = "private, no-store"
        return response


class MaterialDecision:
    """Whether someone may open a material now, and if not, why and how to get access (translated)."""

    not_yet_released = False
    courses = ()  # the courses to enrol in, when that is the way to get access

    def __init__(self, can_open, reason="", how=""):
        self.can_open, self.reason, self.how = can_open, reason, how

    def __bool__(self):
        return self.can_open


class PublicOnlyChecker:
    """Without the enrolment app's rules, only materials for everyone open."""

    def decide(self, material):
        return MaterialDecision(material.access == MaterialAccess.EVERYONE)


def access_checker(user):
    """The registered checker of who may open materials, for one person (see MATERIAL_ACCESS_HOOK)."""
    for make_checker in hooks.get_hooks(MATERIAL_ACCESS_HOOK):
        return make_checker(user)
    return PublicOnlyChecker()


class CourseLibraryMaterial(Orderable):
    """A material from the library that a course lists, in the course's order; shared by its translations."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="library_materials")
    material = models.ForeignKey(
        MaterialPage, verbose_name=_("material"), on_delete=models.CASCADE, related_name="course_links"
    )

    panels = [FieldPanel("material")]

    class Meta(Orderable.Meta):
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")

    def clean(self):
        super().clean()
        if self.material_id and self.material.locale.language_code != settings.LANGUAGE_CODE:
            raise ValidationError({"material": _("Choose the material's Swedish page; it is shown in every language.")})


class MaterialDownloadQuerySet(models.QuerySet):
    def record(self, material, when=None):
        """Count one download of `material` in the month of `when` (now by default)."""
        month = timezone.localdate(when).replace(day=1)
        if self.filter(material=material, month=month).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                self.create(material=material, month=month, count=1)
        except IntegrityError:  # another download created the month's row a moment ago
            self.filter(material=material, month=month).update(count=F("count") + 1)


class MaterialDownload(models.Model):
    """How many times a material was downloaded in a month: a count, not who downloaded it."""

    material = models.ForeignKey(
        MaterialPage, on_delete=models.CASCADE, related_name="downloads", verbose_name=_("material")
    )
    month = models.DateField(_("month"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    objects = MaterialDownloadQuerySet.as_manager()

    class Meta:
        verbose_name = _("material downloads")
        verbose_name_plural = _("material downloads")
        constraints = [models.UniqueConstraint(fields=["material", "month"], name="one_download_count_per_month")]

    def __str__(self):
        return f"{self.material} {self.month:%Y-%m}: {self.count}"
