"""What a course is: the centres that give it, its topics and audiences, the course page and its occasions.

A course's occasions and materials belong to the course itself, not to one language version of its page:
they are edited on the page in the default language (Swedish) and shown on every translation, which
finds them through the shared `translation_key`. Enrolments therefore never split between languages.
"""

import hashlib
import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DEFERRED, Q
from django.forms import CheckboxSelectMultiple, NumberInput, RadioSelect
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import _json_script_escapes
from django.utils.http import urlencode
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from accounts.language import active_language
from accounts.models import Profession

from . import registry
from .blocks import RICH_TEXT_FEATURES, BodyBlock, EnrolmentQuestionsBlock, EvaluationQuestionsBlock
from .fees import VatStatus, effective_fee, fee_field, has_fee
from .ical import calendar_response, occasion_calendar
from .page_cache import CachedPageMixin
from .panels import DefaultEvaluationPanel, TranslationStatusPanel
from .storage import document_storage

LANGUAGE_CHOICES = [("sv", _("Swedish")), ("en", _("English"))]


# --- Taxonomies -------------------------------------------------------------------------------------


class TaxonomyQuerySet(models.QuerySet):
    def in_language(self, language_code=None):
        """The entries in one language (the active one by default), by name."""
        return self.filter(locale__language_code=active_language(language_code)).order_by("name")


class Taxonomy(TranslatableMixin, models.Model):
    """A translatable name with a slug that is the same in every language, used in URLs and filters."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Used in catalogue links; the same in every language.")
    )

    objects = TaxonomyQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        clash = type(self).objects.filter(slug=self.slug, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.slug and clash.exists():
            raise ValidationError({"slug": _("Another entry in this language already uses this slug.")})


class Topic(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class ProfessionsField(models.JSONField):
    """Codes of accounts' professions (accounts.models.Profession), ticked in the editor; a JSON list, so the
    same in SQLite and PostgreSQL."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            choices=Profession.choices,
            widget=CheckboxSelectMultiple,
            required=not self.blank,
        )


class Audience(Taxonomy):
    """Who a course is written for ("Sjuksköterskor"), naming the professions it means ("Sjuksköterska"):
    a course open to some audiences only is open to people of those professions."""

    professions = ProfessionsField(
        _("professions"),
        default=list,
        blank=True,
        help_text=_("The professions in a profile that belong to this audience."),
    )

    panels = [*Taxonomy.panels, FieldPanel("professions")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Centre(Taxonomy):
    """One of the network's hospital ATMP-centres; its course owners see only its courses and documents."""

    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    region = models.CharField(_("region"), max_length=120)
    city = models.CharField(_("city"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"))
    website = models.URLField(_("website"), blank=True)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where the centre's documents and images are kept."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("region"), FieldPanel("city")]),
        FieldPanel("contact_email"),
        FieldPanel("website"),
        FieldPanel("collection"),
    ]
    override_translatable_fields = [
        SynchronizedField("slug"),
        SynchronizedField("region"),
        SynchronizedField("city"),
        SynchronizedField("collection"),
    ]

    class Meta(Taxonomy.Meta):
        verbose_name = _("ATMP-centre")
        verbose_name_plural = _("ATMP-centres")


class CentreTeam(models.Model):
    """A centre's group of staff with one role: course owners or check-in helpers.

    The group carries Wagtail's page permissions (on the centre's part of the tree) and collection
    permissions (on its documents); this row says which centre and role the group stands for, so the
    enrolment data, which lives outside the page tree, can be scoped to the same centre.
    """

    class Role(models.TextChoices):
        COURSE_OWNER = "course_owner", _("Course owners")
        CHECK_IN_HELPER = "check_in_helper", _("Check-in helpers")

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="teams", verbose_name=_("ATMP-centre"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="centre_team", verbose_name=_("group")
    )

    class Meta:
        verbose_name = _("centre team")
        verbose_name_plural = _("centre teams")
        constraints = [models.UniqueConstraint(fields=["centre", "role"], name="one_team_per_centre_and_role")]

    def __str__(self):
        return f"{self.centre} – {self.get_role_display()}"


def audiences_naming(profession):
    """The translation keys of the audiences (in any language version) that name `profession`: one query."""
    if not profession:
        return set()
    return {
        audience.translation_key
        for audience in Audience.objects.only("translation_key", "professions")
        if profession in audience.professions
    }


def profession_among(profession, audiences, naming=None):
    """Whether a person's profession (accounts' code, e.g. "nurse") is one the `audiences` name.

    The one rule for courses open to certain professions and materials for certain audiences. `naming` is
    `audiences_naming(profession)` when the caller asks about many lists at once (a listing of materials).
    """
    naming = audiences_naming(profession) if naming is None else naming
    return any(audience.translation_key in naming for audience in audiences)


def localized(objects):
    """Swap taxonomy entries for their versions in the active language, with one query per model.

    Course pages point at the entries chosen in the default language; visitors should read the names in
    their own language. Entries without a translation stay as they are.
    """
    objects = list(objects)
    if not objects:
        return objects
    model = type(objects[0])
    language = active_language()
    keys = {obj.translation_key for obj in objects}
    translations = {
        obj.translation_key: obj
        for obj in model.objects.filter(translation_key__in=keys, locale__language_code=language)
    }
    return [translations.get(obj.translation_key, obj) for obj in objects]


def titles_in_language(courses, language_code=None):
    """{translation_key: title in the language (the active one by default)} for (translation_key, title) pairs,
    in one query. Occasions hang on the Swedish page; a course without a live translation keeps its title."""
    courses = list(courses)
    translated = dict(
        CoursePage.objects.live()
        .filter(
            translation_key__in={key for key, _title in courses}, locale__language_code=active_language(language_code)
        )
        .values_list("translation_key", "title")
    )
    return {key: translated.get(key, title) for key, title in courses}


# --- Course pages ------------------------------------------------------------------------------------


class CourseFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    SELF_PACED = "self_paced", _("Self-paced")


# schema.org courseMode for each format
COURSE_MODES = {
    CourseFormat.IN_PERSON: "Onsite",
    CourseFormat.ONLINE: "Online",
    CourseFormat.HYBRID: "Blended",
    CourseFormat.SELF_PACED: "Online",
}


def default_language_codes():
    return [settings.LANGUAGE_CODE]


def parse_reminder_days(value):
    return sorted({int(part) for part in (value or "").replace(" ", "").split(",") if part}, reverse=True)


# An offered seat blocks the waiting list until it is accepted or expires: two weeks at most.
MAX_OFFER_HOURS = 14 * 24
MAX_MANAGER_DAYS = 60  # a line manager answers within two months, or the seat goes on


def validate_reminder_days(value):
    try:
        days = parse_reminder_days(value)
    except ValueError:
        raise ValidationError(_("Give whole days separated by commas, for example 7,1.")) from None
    if any(day < 0 or day > 90 for day in days):
        raise ValidationError(_("Reminders can be sent 0 to 90 days before the start."))


class OrganiserNotices(models.TextChoices):
    NONE = "none", _("No e-mail")
    EACH = "each", _("An e-mail for each enrolment and cancellation")
    DAILY = "daily", _("A daily summary")


class WaitingListMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Promote the next person automatically")
    OFFER = "offer", _("Offer the seat for a limited time")


class CentrePage(Page):
    """A centre's part of the catalogue: its courses are the pages below it.

    Course owners get their page permissions here, so they edit and publish their own centre's courses
    and no one else's. Visitors who open it land on the catalogue filtered to the centre.
    """

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="pages", verbose_name=_("ATMP-centre"))

    parent_page_types = ["catalogue.CatalogueIndexPage"]
    subpage_types = ["courses.CoursePage"]
    content_panels = [*Page.content_panels, FieldPanel("centre")]
    override_translatable_fields = [SynchronizedField("centre")]

    class Meta:
        verbose_name = _("centre's courses")
        verbose_name_plural = _("centres' courses")

    def serve(self, request, *args, **kwargs):
        catalogue = self.get_parent()
        return HttpResponseRedirect(f"{catalogue.url}?{urlencode({'centre': self.centre.slug})}")


class CoursePageForm(WagtailAdminPageForm):
    """Guards the occasions that people have enrolled in: they can be cancelled, never deleted, and their
    capacity cannot drop below the seats already taken."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new course under a centre's page starts with that centre ticked.
        parent = getattr(self, "parent_page", None)
        is_new_under_centre = not self.instance.pk and parent is not None and parent.specific_class is CentrePage
        if is_new_under_centre and "centres" in self.fields and not self.initial.get("centres"):
            self.initial["centres"] = [parent.specific.centre_id]
        if "slug" in self.fields:
            self.fields["slug"].required = False  # made from the title (clean_slug)
        # Offer hours matter only when seats are offered (the field is greyed out otherwise, so not posted).
        if "offer_hours" in self.fields:
            self.fields["offer_hours"].required = False

    def clean_slug(self):
        """An ASCII address whatever was typed or pasted (å, ä → a, ö → o), as the editor's script makes it;
        from the title when left empty."""
        return slugify(self.cleaned_data.get("slug") or self.data.get("title") or "")

    def clean_reminder_days(self):
        """Reminder days as the schedule reads them: "1, 7, 7" is saved as "7,1"."""
        value = self.cleaned_data.get("reminder_days") or ""
        try:
            days = parse_reminder_days(value)
        except ValueError:
            raise ValidationError(_("Give whole days separated by commas, for example 7,1.")) from None
        return ",".join(str(day) for day in days)

    def _clean_offer_hours(self, cleaned_data):
        if "offer_hours" not in self.fields:
            return
        hours = cleaned_data.get("offer_hours")
        if cleaned_data.get("waiting_list_mode") != WaitingListMode.OFFER:
            # Not used without offers: keep what was there, so switching back restores it.
            if hours is None:
                cleaned_data["offer_hours"] = self.instance.offer_hours or CoursePage.offer_hours.field.default
            return
        if hours is None:
            self.add_error("offer_hours", _("Say how many hours people have to accept an offered seat."))
        elif not 1 <= hours <= MAX_OFFER_HOURS:
            self.add_error(
                "offer_hours",
                _("Give between 1 and %(max)s hours (two weeks).") % {"max": MAX_OFFER_HOURS},
            )

    def clean(self):
        cleaned_data = super().clean()
        self._clean_offer_hours(cleaned_data)
        # A course under a centre's page is always organised by (at least) that centre.
        parent = getattr(self, "parent_page", None)
        if parent is not None and "centres" in cleaned_data and parent.specific_class is CentrePage:
            centre_id = parent.specific.centre_id
            chosen = cleaned_data["centres"]
            if centre_id not in {centre.pk for centre in chosen}:
                cleaned_data["centres"] = Centre.objects.filter(Q(pk__in=chosen) | Q(pk=centre_id))
        formset = self.formsets.get("occasions")
        if formset is None or not self.instance.pk:
            return cleaned_data
        existing = {
            occasion.pk: occasion
            for occasion in Occasion.objects.filter(course_id=self.instance.pk).with_seats().with_enrolment_flag()
        }
        for form in formset.forms:
            occasion = existing.get(getattr(form.instance, "pk", None))
            if occasion is None or not hasattr(form, "cleaned_data"):
                continue
            if form.cleaned_data.get("DELETE") and occasion.has_enrolments:
                form.add_error(
                    None,
                    _("People have enrolled in this occasion: set its status to cancelled instead of deleting it."),
                )
            capacity = form.cleaned_data.get("capacity")
            if capacity is not None and capacity < occasion.seats_taken:
                form.add_error(
                    "capacity",
                    ngettext(
                        "%(taken)s seat is already taken; the capacity cannot be lower.",
                        "%(taken)s seats are already taken; the capacity cannot be lower.",
                        occasion.seats_taken,
                    )
                    % {"taken": occasion.seats_taken},
                )
        return cleaned_data


class LoadedAsModel:
    """Rows read from the database become instances through Django's own Model.__init__.

    ClusterableModel.__init__ (Wagtail pages, occasions) looks up the model's child relations on every instance, to
    take keyword arguments for them, and Page.__init__ fills in the content type of a page being created: neither
    applies to a row read from the database, whose values come by position. That lookup was the largest single
    cost of building an occasion or a course page (three of them per enrolment, and every occasion on a page).
    """

    @classmethod
    def from_db(cls, db, field_names, values):
        # As Model.from_db, but for the constructor it calls.
        if len(values) != len(cls._meta.concrete_fields):
            given = iter(values)
            values = [next(given) if f.attname in field_names else DEFERRED for f in cls._meta.concrete_fields]
        new = cls.__new__(cls)
        models.Model.__init__(new, *values)
        new._state.adding = False
        new._state.db = db
        return new


class CoursePage(LoadedAsModel, CachedPageMixin, RoutablePageMixin, Page):
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences shown in the catalogue.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    learning_objectives = RichTextField(
        _("learning objectives"), features=["ul", "ol", "bold", "italic", "link"], blank=True
    )
    prerequisites = RichTextField(_("prerequisites"), features=RICH_TEXT_FEATURES, blank=True)
    topics = ParentalManyToManyField(
        Topic,
        verbose_name=_("topics"),
        blank=True,
        related_name="courses",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    audiences = ParentalManyToManyField(
        Audience,
        verbose_name=_("audience"),
        blank=True,
        related_name="courses",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    centres = ParentalManyToManyField(
        Centre,
        verbose_name=_("organising centres"),
        related_name="courses",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    format = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices, default=CourseFormat.IN_PERSON)
    language_of_instruction = models.CharField(
        _("language of instruction"), max_length=8, choices=LANGUAGE_CHOICES, default="sv"
    )
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    lipus_reference = models.CharField(
        _("Lipus certification"),
        max_length=60,
        blank=True,
        help_text=_("The course's Lipus number, if it is certified (for example 20240123)."),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)

    # Enrolment rules
    requires_approval = models.BooleanField(
        _("enrolments need approval"), default=False, help_text=_("An organiser approves or rejects each enrolment.")
    )
    eligible_professions = ParentalManyToManyField(
        Audience,
        verbose_name=_("open to these professions only"),
        blank=True,
        related_name="eligible_for_courses",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        help_text=_("Leave empty to let everyone enrol."),
    )
    # Line manager's approval (enrolment/manager.py): the clinician names their manager, who answers by a link.
    requires_manager_approval = models.BooleanField(
        _("enrolments need the line manager's approval"),
        default=False,
        help_text=_("The person's line manager approves the enrolment through a link sent by e-mail."),
    )
    manager_days = models.PositiveSmallIntegerField(
        _("days the line manager has to answer"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MANAGER_DAYS)],
    )
    waiting_list_mode = models.CharField(
        _("when a seat frees up"), max_length=20, choices=WaitingListMode.choices, default=WaitingListMode.AUTOMATIC
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offered seat"), default=48, help_text=_("Only when seats are offered.")
    )
    reminder_days = models.CharField(
        _("reminders (days before the start)"),
        max_length=40,
        default="7,1",
        blank=True,
        validators=[validate_reminder_days],
        help_text=_("Comma-separated, for example “7,1”. Leave empty for no reminders."),
    )
    organiser_notices = models.CharField(
        _("tell the contact person about enrolments"),
        max_length=10,
        choices=OrganiserNotices.choices,
        default=OrganiserNotices.NONE,
        help_text=_("Sent to the course's contact e-mail: new enrolments and cancellations."),
    )
    evaluation_url = models.URLField(
        _("evaluation form"), blank=True, help_text=_("Linked from the e-mail sent after each occasion.")
    )
    enrolment_questions = StreamField(EnrolmentQuestionsBlock(), verbose_name=_("questions at enrolment"), blank=True)
    # The evaluation after each occasion (courses/evaluation.py): the network's questions, then these.
    evaluation_enabled = models.BooleanField(
        _("ask participants to evaluate each occasion"),
        default=True,
        help_text=_("Everyone marked as attended gets one e-mail with a personal link after the occasion ends."),
    )
    evaluation_questions = StreamField(
        EvaluationQuestionsBlock(), verbose_name=_("the course's own questions"), blank=True
    )
    # The fee (courses/fees.py): per occasion, the course's unless an occasion sets its own.
    fee = fee_field(_("fee per occasion (SEK)"), _("Empty or 0 means free of charge. An occasion can set its own fee."))
    fee_vat = models.CharField(_("VAT"), max_length=10, choices=VatStatus.choices, default=VatStatus.EXCLUDED)

    # Under a centre's page (its course owners manage it), or under the catalogue for network-wide courses
    # that only network admins manage.
    parent_page_types = ["courses.CentrePage", "catalogue.CatalogueIndexPage"]
    subpage_types = []
    template = "courses/course_page.html"
    base_form_class = CoursePageForm

    content_panels = [
        TranslationStatusPanel(),
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("centres", widget=CheckboxSelectMultiple),
                FieldPanel("topics", widget=CheckboxSelectMultiple),
                FieldPanel("audiences", widget=CheckboxSelectMultiple),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("format"), FieldPanel("language_of_instruction")]),
                FieldRowPanel([FieldPanel("cpd_hours"), FieldPanel("lipus_reference")]),
            ],
            heading=_("Format and certification"),
        ),
        FieldPanel("learning_objectives"),
        FieldPanel("prerequisites"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Contact"),
        ),
        InlinePanel(
            "occasions",
            heading=_("Occasions"),
            label=_("Occasion"),
            help_text=_("Occasions are shared by all languages; edit them on the Swedish page."),
        ),
        InlinePanel(
            "library_materials",
            heading=_("Course materials"),
            label=_("Material"),
            help_text=_("Materials from the library; one upload serves every course that lists it."),
        ),
    ]

    # The rules that make enrolment more than a sign-up sheet, on their own tab. The help texts say what a
    # change does to people who have already enrolled (after_edit_page in enrolment/wagtail_hooks.py repeats
    # it with their numbers when the course is saved).
    enrolment_panels = [
        MultiFieldPanel(
            [
                FieldPanel(
                    "requires_approval",
                    help_text=_(
                        "An organiser approves or rejects each new enrolment from the participant list. Turning "
                        "this on leaves people already confirmed confirmed; turning it off leaves those awaiting "
                        "approval waiting for your decision."
                    ),
                ),
                FieldPanel(
                    "eligible_professions",
                    widget=CheckboxSelectMultiple,
                    help_text=_(
                        "Tick the professions that may enrol, or none to let everyone enrol. People already "
                        "enrolled keep their seats."
                    ),
                ),
            ],
            heading=_("Who may enrol"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "requires_manager_approval",
                    help_text=_(
                        "Enrolling then asks for the person's line manager, who gets an e-mail with buttons to "
                        "approve or decline. The seat is held while the manager decides; without an answer in "
                        "time it goes to the waiting list. People already enrolled are not asked again."
                    ),
                ),
                FieldPanel(
                    "manager_days",
                    widget=NumberInput(attrs={"min": 1, "max": MAX_MANAGER_DAYS}),
                    help_text=_(
                        "How many days the line manager has to answer (never past the occasion's start). "
                        "A reminder goes halfway through."
                    ),
                ),
            ],
            heading=_("Line manager's approval"),
        ),
        MultiFieldPanel(
            [FieldPanel("enrolment_questions", heading=_("Questions"))],
            heading=_("Questions at enrolment"),
            help_text=_(
                "Asked on the enrolment form, in the page's language. Translations ask the same questions: the "
                "wording is translated, the kind of answer and whether it is required follow the Swedish page. "
                "People who enrolled before a question was added have not answered it."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("waiting_list_mode", widget=RadioSelect),
                FieldPanel(
                    "offer_hours",
                    widget=NumberInput(
                        attrs={
                            "min": 1,
                            "max": MAX_OFFER_HOURS,
                            "data-w-rules-target": "enable",
                            "data-w-rules": json.dumps({"waiting_list_mode": [WaitingListMode.OFFER.value]}),
                        }
                    ),
                    help_text=_(
                        "Only when seats are offered: how long the person has to accept before the seat goes to "
                        "the next in line (at most two weeks, and never past the start)."
                    ),
                ),
            ],
            heading=_("Waiting list"),
            help_text=_(
                "When an occasion is full, people join its waiting list in the order they enrol. A change applies "
                "to the next seat that frees up; seats already offered keep their deadline."
            ),
            # Wagtail's rules controller greys out the offer hours unless seats are offered.
            attrs={"data-controller": "w-rules", "data-action": "change->w-rules#resolve"},
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("fee"), FieldPanel("fee_vat")]),
            ],
            heading=_("Fee"),
            help_text=_(
                "A course with a fee asks each person for the organisation to invoice, a cost centre and an invoice "
                "reference. Who cancels after an occasion's cancellation deadline still pays the fee. A change "
                "applies to new enrolments: people already enrolled keep the fee they enrolled for."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "reminder_days",
                    help_text=_(
                        "Days before the start when participants get a reminder, separated by commas, for example "
                        "“7,1”. Leave empty for no reminders."
                    ),
                ),
                FieldPanel("organiser_notices", widget=RadioSelect),
                FieldPanel("evaluation_url"),
            ],
            heading=_("E-mail"),
        ),
    ]

    evaluation_panels = [
        FieldPanel("evaluation_enabled"),
        DefaultEvaluationPanel(),
        FieldPanel(
            "evaluation_questions",
            help_text=_(
                "Asked after the network's questions, in the page's language; translate them with the rest of the "
                "page. Answers are anonymous, and results of an occasion with fewer than 3 answers are hidden."
            ),
        ),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(enrolment_panels, heading=_("Enrolment")),
            ObjectList(evaluation_panels, heading=_("Evaluation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ],
        base_form_class=CoursePageForm,
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("learning_objectives"),
        index.SearchField("prerequisites"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
        index.RelatedFields("centres", [index.SearchField("name"), index.SearchField("city")]),
        index.FilterField("locale_id"),
    ]

    # Occasions and materials are the course's, shared by its translations (see module docstring), so
    # neither copying a page into another language nor syncing a translation may duplicate them.
    exclude_fields_in_copy = ["occasions", "library_materials"]
    # No slug: a translation's address comes from its translated title (see full_clean), so publishing a
    # translation never waits on an address the owner did not think of translating.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("body"),
        TranslatableField("learning_objectives"),
        TranslatableField("prerequisites"),
        SynchronizedField("topics"),
        SynchronizedField("audiences"),
        SynchronizedField("centres"),
        SynchronizedField("format"),
        SynchronizedField("language_of_instruction"),
        SynchronizedField("cpd_hours"),
        SynchronizedField("lipus_reference"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("requires_approval"),
        SynchronizedField("eligible_professions"),
        SynchronizedField("requires_manager_approval"),
        SynchronizedField("manager_days"),
        SynchronizedField("waiting_list_mode"),
        SynchronizedField("offer_hours"),
        SynchronizedField("reminder_days"),
        SynchronizedField("evaluation_url"),
        SynchronizedField("organiser_notices"),
        SynchronizedField("fee"),
        SynchronizedField("fee_vat"),
        TranslatableField("enrolment_questions"),
        SynchronizedField("evaluation_enabled"),
        TranslatableField("evaluation_questions"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("format"),
        APIField("language_of_instruction"),
        APIField("cpd_hours"),
        APIField("lipus_reference"),
        APIField("centre_names"),
        APIField("topic_names"),
        APIField("audience_names"),
        APIField("upcoming_occasions_api"),
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def full_clean(self, *args, **kwargs):
        # wagtail-localize copies the Swedish page's address into a new translation; until the translation is
        # first published it follows its own title instead (Wagtail makes a slug from the title when empty).
        if self._keeps_the_originals_address():
            self.slug = ""
        super().full_clean(*args, **kwargs)

    def _keeps_the_originals_address(self):
        if not self.pk or self.first_published_at or self.locale.language_code == settings.LANGUAGE_CODE:
            return False
        originals = CoursePage.objects.filter(translation_key=self.translation_key)
        original = originals.filter(locale__language_code=settings.LANGUAGE_CODE).values("slug", "title").first()
        return original is not None and original["slug"] == self.slug and original["title"] != self.title

    def with_content_json(self, content):
        """A page from a revision, with the live state of its occasions kept.

        A draft saved before people enrolled, or before an organiser cancelled an occasion or raised its
        capacity, must not undo that when it is published: occasions with enrolments stay, cancelled
        stays cancelled, and capacity never drops below the seats taken.
        """
        content = dict(content)
        content["occasions"] = reconcile_occasions(self.pk, content.get("occasions", []))
        return super().with_content_json(content)

    # The course's shared data --------------------------------------------------------------------

    @cached_property
    def owning_centre(self):
        """The centre whose course owners manage this course; None for network-wide courses."""
        parent = self.get_parent().specific
        return parent.centre if isinstance(parent, CentrePage) else None

    @property
    def all_occasions(self):
        """Every occasion of this course, whichever language version of the page holds them."""
        return Occasion.objects.filter(course__translation_key=self.translation_key).with_seats()

    @cached_property
    def upcoming_occasions(self):
        return list(self.all_occasions.upcoming().order_by("start"))

    def in_language(self, language_code):
        """This course's live page in a language, or this page when that language has none."""
        if self.live and self.locale.language_code == language_code:
            return self  # with the locale selected alongside (as the enrolment views do): no query
        translation = (
            CoursePage.objects.live()
            .filter(translation_key=self.translation_key, locale__language_code=language_code)
            .first()
        )
        return translation or self

    @property
    def reminder_schedule(self):
        return parse_reminder_days(self.reminder_days)

    @cached_property
    def course_materials(self):
        """The library's materials this course lists, each in this page's language where translated."""
        links = (
            self.library_materials.model.objects.filter(page__translation_key=self.translation_key, material__live=True)
            .select_related("material__document")
            .order_by("sort_order")
        )
        materials = [link.material for link in links]
        translated = (
            {
                page.translation_key: page
                for page in type(materials[0])
                .objects.live()
                .filter(translation_key__in=[m.translation_key for m in materials], locale_id=self.locale_id)
            }
            if materials
            else {}
        )
        return [translated.get(material.translation_key, material) for material in materials]

    @cached_property
    def localized_centres(self):
        return localized(self.centres.all())

    @cached_property
    def localized_topics(self):
        return localized(self.topics.all())

    @cached_property
    def localized_audiences(self):
        return localized(self.audiences.all())

    # The API lists names in the language of the page asked for.
    def _names_in_page_language(self, objects):
        with translation.override(self.locale.language_code):
            return [obj.name for obj in localized(objects)]

    @property
    def centre_names(self):
        return self._names_in_page_language(self.centres.all())

    @property
    def topic_names(self):
        return self._names_in_page_language(self.topics.all())

    @property
    def audience_names(self):
        return self._names_in_page_language(self.audiences.all())

    @property
    def upcoming_occasions_api(self):
        return [
            {
                "id": occasion.pk,
                "fee": self._fee_api(occasion),
                "start": occasion.start.isoformat(),
                "end": occasion.end.isoformat(),
                "mode": occasion.mode,
                "venue": occasion.venue,
                "city": occasion.city,
                "language": occasion.language,
                "capacity": occasion.capacity,
                "seats_left": occasion.seats_left,
                "availability": occasion.availability.value,
                "url": self.full_url + self.reverse_subpage("occasion", args=[occasion.pk]) if self.full_url else None,
            }
            for occasion in self.upcoming_occasions
        ]

    def _fee_api(self, occasion):
        """What an occasion costs, for the intranets: null when free, else the amount in SEK and the VAT status."""
        amount, vat = effective_fee(occasion, self)
        if amount is None:
            return None
        return {"amount": f"{amount:.2f}", "currency": "SEK", "vat": vat}

    # Routes --------------------------------------------------------------------------------------

    def get_occasion(self, occasion_id):
        return get_object_or_404(self.all_occasions, pk=occasion_id)

    @path("")
    def course(self, request):
        return self.render(request)

    @path("occasions/<int:occasion_id>/", name="occasion")
    def occasion(self, request, occasion_id):
        occasion = self.get_occasion(occasion_id)
        return self.render(
            request,
            template="courses/occasion_page.html",
            context_overrides={"occasion": occasion},
        )

    # A file's address ends in ".ics", but Wagtail resolves routes with a "/" appended: the optional slash
    # matches that, and reversing leaves it out. atmp/urls.py hands such paths to Wagtail's serve view.
    @re_path(r"^occasions/(?P<occasion_id>\d+)\.ics/?$", name="occasion_ics")
    def occasion_ics(self, request, occasion_id):
        occasion = self.get_occasion(occasion_id)
        return calendar_response(
            occasion_calendar([(self, occasion)], request=request), f"{self.slug}-{occasion.pk}.ics"
        )

    @path("occasions/<int:occasion_id>/enrol/", name="enrol")
    def enrol(self, request, occasion_id):
        """An old address of the enrolment form: links to it in sent e-mails and bookmarks keep working."""
        occasion = self.get_occasion(occasion_id)
        return redirect(reverse("enrol", args=[occasion.pk]), permanent=True)

    def occasion_url(self, occasion, request=None):
        return self.get_url(request) + self.reverse_subpage("occasion", args=[occasion.pk])

    def occasion_ics_url(self, occasion, request=None):
        return self.get_url(request) + self.reverse_subpage("occasion_ics", args=[occasion.pk])

    # Open formats --------------------------------------------------------------------------------

    @property
    def schema_offer(self):
        """schema.org Offer: free, or the course's fee (the price people pay, VAT included when it applies)."""
        if not has_fee(self.fee):
            return {"@type": "Offer", "category": "Free", "price": 0, "priceCurrency": "SEK"}
        return {"@type": "Offer", "category": "Paid", "price": f"{self.fee:.2f}", "priceCurrency": "SEK"}

    def json_ld(self, request=None):
        """schema.org Course with one CourseInstance per upcoming occasion, as a <script>-safe string."""
        full_url = self.get_full_url(request)
        base = full_url.removesuffix(self.get_url(request)) if full_url else ""
        providers = [
            {
                "@type": "Organization",
                "name": centre.name,
                "url": centre.website or None,
                "email": centre.contact_email,
            }
            for centre in self.localized_centres
        ]
        data = {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": self.title,
            "description": self.summary,
            "url": full_url,
            "inLanguage": self.language_of_instruction,
            "provider": providers[0] if len(providers) == 1 else providers,
            "offers": [self.schema_offer],
            "hasCourseInstance": [
                {
                    "@type": "CourseInstance",
                    "name": self.title,
                    "url": base + self.occasion_url(occasion, request),
                    "startDate": occasion.start.isoformat(),
                    "endDate": occasion.end.isoformat(),
                    "courseMode": occasion.course_mode,
                    # Google's Course rich result wants the workload or a schedule; a one-off occasion has both.
                    "courseWorkload": _iso_duration(occasion.duration),
                    "courseSchedule": {
                        "@type": "Schedule",
                        "startDate": occasion.start.date().isoformat(),
                        "endDate": occasion.end.date().isoformat(),
                        "duration": _iso_duration(occasion.duration),
                        "repeatCount": 1,
                        "repeatFrequency": "P1D",
                    },
                    "inLanguage": occasion.language,
                    "eventStatus": "https://schema.org/EventCancelled"
                    if occasion.is_cancelled
                    else "https://schema.org/EventScheduled",
                    "location": occasion.schema_location,
                    **({"maximumAttendeeCapacity": occasion.capacity} if occasion.capacity else {}),
                }
                for occasion in self.upcoming_occasions
            ],
        }
        if self.cpd_hours:
            data["timeRequired"] = f"PT{self.cpd_hours.normalize():f}H"
        if self.localized_audiences:
            data["audience"] = [
                {"@type": "Audience", "audienceType": audience.name} for audience in self.localized_audiences
            ]
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)


def _iso_duration(delta):
    """An ISO 8601 duration (PT7H30M) for schema.org, at minute precision."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = "P" + (f"{days}D" if days else "")
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + ("T" + time if time else ("" if days else "T0M"))


# --- Documents ----------------------------------------------------------------------------------------


class CourseDocument(AbstractDocument):
    """Wagtail's document, kept where no web server serves it and private until an owner makes it public.

    Who may download it is decided by enrolment.access.document_decision: everyone if it is public or a published
    library material for everyone offers it; those a restricted material's access rule names (the professions among
    its audiences, the participants of its courses); otherwise only the staff of the centre whose collection holds it.
    """

    file = models.FileField(_("file"), upload_to="documents", storage=document_storage)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Anyone may download it, also from links in page text. Otherwise only your centre's staff, and "
            "the participants of courses that offer it as participants-only material."
        ),
    )

    admin_form_fields = (*Document.admin_form_fields, "public")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


# --- Occasions ---------------------------------------------------------------------------------------


def reconcile_occasions(course_id, occasions):
    """Merge a revision's serialised occasions with the occasions' live state (see with_content_json)."""
    live = {
        occasion.pk: occasion
        for occasion in Occasion.objects.filter(course_id=course_id).with_seats().with_enrolment_flag()
    }
    merged, seen = [], set()
    for data in occasions:
        data = dict(data)
        occasion = live.get(data.get("pk"))
        if occasion is not None:
            seen.add(occasion.pk)
            # What was announced to participants is the occasion's history, not the draft's.
            data["ical_sequence"] = occasion.ical_sequence
            data["announced"] = occasion.announced
            if occasion.is_cancelled:
                data["status"] = Occasion.Status.CANCELLED
            if data.get("capacity") is not None and data["capacity"] < occasion.seats_taken:
                data["capacity"] = occasion.capacity
        merged.append(data)
    for pk, occasion in live.items():
        if pk not in seen and occasion.has_enrolments:
            merged.append(occasion.serializable_data())
    return merged


class OccasionQuerySet(models.QuerySet):
    def with_seats(self):
        """Annotate `seats_taken` (the seats people hold) in the same query; enrolment counts them."""
        return registry.seats().with_seats(self)

    def with_free_seats(self):
        """Only occasions with a seat nobody holds, or no limit (the catalogue's "free seats" filter)."""
        return self.filter(Q(capacity__isnull=True) | Q(capacity__gt=registry.seats().seats_taken_subquery()))

    def with_enrolment_flag(self):
        """Annotate `has_enrolments`: anyone ever enrolled, in any state (history that must be kept)."""
        return registry.seats().with_enrolment_flag(self)

    def upcoming(self, now=None):
        """Occasions that have not ended yet, cancelled ones included (people need to see those)."""
        return self.filter(end__gte=now or timezone.now())

    def scheduled(self):
        return self.filter(status=Occasion.Status.SCHEDULED)


class Occasion(LoadedAsModel, ClusterableModel):
    """A dated instance of a course. Times are stored in UTC and shown in Europe/Stockholm."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("occasion status", "Cancelled")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="occasions", verbose_name=_("course"))
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    mode = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices, default=CourseFormat.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("Building and room."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_link = models.URLField(
        _("online meeting link"), blank=True, help_text=_("Shown only to confirmed participants.")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="sv")
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty means unlimited."))
    enrolment_opens = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes = models.DateTimeField(
        _("enrolment closes"), null=True, blank=True, help_text=_("Empty means when the occasion starts.")
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"), null=True, blank=True, help_text=_("Empty means when enrolment closes.")
    )
    fee = fee_field(_("fee (SEK)"), _("Empty means the course's fee (Enrolment tab); 0 means free of charge."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # Calendar invitations: SEQUENCE rises each time participants are told the time or place changed, and
    # `announced` remembers what they were last told (so a publish without such changes sends nothing).
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    announced = models.CharField(max_length=64, blank=True, editable=False)

    objects = OccasionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("mode"), FieldPanel("language"), FieldPanel("capacity")]),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("address"), FieldPanel("city")]),
        FieldPanel("online_link"),
        FieldRowPanel(
            [
                FieldPanel("enrolment_opens"),
                FieldPanel("enrolment_closes"),
                FieldPanel("cancellation_deadline"),
            ]
        ),
        FieldRowPanel([FieldPanel("fee"), FieldPanel("status")]),
    ]

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        ordering = ["start"]
        indexes = [models.Index(fields=["start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="occasion_ends_after_start"),
        ]

    def __str__(self):
        local_start = timezone.localtime(self.start)
        return f"{self.course.title}, {local_start:%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The occasion must end after it starts.")})
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes <= self.enrolment_opens:
            raise ValidationError({"enrolment_closes": _("Enrolment must close after it opens.")})

    # Derived state -------------------------------------------------------------------------------

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def closes_at(self):
        return self.enrolment_closes or self.start

    @property
    def cancellation_deadline_at(self):
        return self.cancellation_deadline or self.closes_at

    @cached_property
    def _seats_taken(self):
        return registry.seats().seats_taken(self)

    @property
    def seats_left(self):
        """Free seats, or None when the occasion has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self._seats_taken, 0)

    @property
    def is_full(self):
        return self.capacity is not None and self.seats_left == 0

    @property
    def is_past(self):
        return self.end < timezone.now()

    def availability_at(self, now):
        """What a visitor can do at `now` (enrolment.seats.Availability): enrolment's rule."""
        return registry.seats().availability_at(self, now)

    @property
    def availability(self):
        return self.availability_at(timezone.now())

    @property
    def accepts_enrolment(self):
        return self.availability in registry.seats().ACCEPTS_ENROLMENT

    @property
    def has_seats(self):
        return self.availability in registry.seats().HAS_SEATS

    @property
    def duration(self):
        return self.end - self.start

    def fee_for(self, course=None):
        """(amount or None when free, VAT status): the occasion's own fee, else its course's (courses/fees.py)."""
        return effective_fee(self, course)

    @property
    def is_single_day(self):
        return timezone.localtime(self.start).date() == timezone.localtime(self.end).date()

    @property
    def place(self):
        """Where it happens, in a few words."""
        parts = [part for part in (self.venue, self.city) if part]
        if self.mode == CourseFormat.ONLINE or not parts:
            return _("Online")
        return ", ".join(parts)

    @property
    def course_mode(self):
        return COURSE_MODES.get(self.mode, "Onsite")

    @property
    def schema_location(self):
        place = {
            "@type": "Place",
            "name": self.venue or self.city,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": self.address,
                "addressLocality": self.city,
                "addressCountry": "SE",
            },
        }
        virtual = {"@type": "VirtualLocation", "name": str(_("Online"))}
        if self.mode == CourseFormat.ONLINE:
            return virtual
        if self.mode == CourseFormat.HYBRID:
            return [place, virtual]
        return place

    @property
    def logistics_fingerprint(self):
        """What participants must be told about when it changes: time, place and meeting link."""
        parts = [
            self.start.isoformat(),
            self.end.isoformat(),
            self.mode,
            self.venue,
            self.address,
            self.city,
            self.online_link,
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    @property
    def ical_uid(self):
        # One UID for the occasion's whole life, so calendars update the event instead of adding one.
        return f"occasion-{self.pk}@atmp-courses.se"


# The network's default evaluation (its model lives with the questions' logic).
from .evaluation import DefaultEvaluation  # noqa: E402, F401

# The materials library (its models live in their own module).
from .library import (  # noqa: E402, F401
    CentreMaterialsPage,
    CourseLibraryMaterial,
    MaterialDownload,
    MaterialPage,
)
