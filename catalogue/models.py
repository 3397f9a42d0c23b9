"""The pages visitors arrive on: the home page, the course catalogue (facets, search, iCal feed) and plain pages."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accounts.language import active_language
from courses.blocks import BodyBlock
from courses.ical import calendar_response, occasion_calendar
from courses.models import Centre
from courses.page_cache import CachedPageMixin

from . import fragments, library, services
from .forms import CatalogueFilterForm, MaterialFilterForm


class HomePage(CachedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.CatalogueIndexPage", "catalogue.MaterialIndexPage", "catalogue.StandardPage"]
    max_count_per_parent = 1
    template = "catalogue/home_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalogue = CatalogueIndexPage.for_language(self.locale.language_code)
        context["catalogue"] = catalogue
        context["centres"] = Centre.objects.in_language(self.locale.language_code)
        if catalogue:
            courses, _ranks = services.find_courses({}, self.locale.language_code)
            context["upcoming"] = services.catalogue_page(courses, None, 1, {}, per_page=6)
        return context


class StandardPage(CachedPageMixin, Page):
    """A page of text: about the network, privacy notice, accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["catalogue.HomePage", "catalogue.StandardPage"]
    subpage_types = ["catalogue.StandardPage"]
    template = "catalogue/standard_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class CatalogueIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["courses.CentrePage", "courses.CoursePage"]
    max_count_per_parent = 1
    template = "catalogue/catalogue_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    @classmethod
    def for_language(cls, language_code):
        """The live catalogue in that language, or None."""
        return cls.objects.live().filter(locale__language_code=language_code).first()

    def filter_form(self, request):
        return CatalogueFilterForm(request.GET, language_code=self.locale.language_code)

    @path("")
    def listing(self, request):
        form = self.filter_form(request)
        filters = form.filters
        query = services.search_text(filters)
        ranking = services.search_ranking(query, self.locale) if query else None  # once for the list and counts
        facet_counts, _total, results = services.catalogue_listing(
            filters, self.locale, request.GET.get("page"), ranking=ranking
        )
        query = request.GET.copy()
        query.pop("page", None)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "filters": filters,
                "results": results,
                "facet_counts": facet_counts,
                "filters_key": fragments.filters_key(form, facet_counts, self.get_url(request)),
                "problems": form.problems,
                "query_string": query.urlencode(),
                "active_filters": self.active_filters(form, filters),
                "feed_url": self.feed_url(request, query.urlencode()),
            },
        )

    # Like CoursePage.occasion_ics: the optional slash is the one Wagtail appends when it resolves a route.
    @re_path(r"^feed\.ics/?$", name="feed")
    def feed(self, request):
        filters = self.filter_form(request).filters
        courses, _ranks = services.find_courses(filters, self.locale.language_code)
        courses = {course.translation_key: course for course in courses}
        occasions = (
            # Cancelled occasions stay in the feed as STATUS:CANCELLED, so subscribed calendars drop them.
            services.matching_occasions(filters, include_cancelled=True)
            .filter(course__translation_key__in=courses.keys())
            .select_related("course")
            .order_by("start")
        )
        pairs = [(courses[occasion.course.translation_key], occasion) for occasion in occasions]
        with translation.override(self.locale.language_code):
            calendar = occasion_calendar(pairs, request=request, name=self.title)
        return calendar_response(calendar, "atmp-courses.ics", inline=True)

    def feed_url(self, request, query_string=""):
        url = self.get_url(request) + self.reverse_subpage("feed")
        return f"{url}?{query_string}" if query_string else url

    def active_filters(self, form, filters):
        return active_filters(form, filters)


def active_filters(form, filters):
    """(label, link that removes it) for every filter in use, to show above the results."""
    chips = []
    params = form.data
    for name, value in filters.items():
        if name in ("sort",):
            continue
        values = value if isinstance(value, list) else [value]
        choices = dict(form.fields[name].choices) if hasattr(form.fields[name], "choices") else {}
        for item in values:
            remaining = [
                (key, v)
                for key in params
                for v in params.getlist(key)
                if key != "page" and not (key == name and (v == item or not isinstance(value, list)))
            ]
            label = choices.get(item, item)
            if name == "has_seats":
                label = form.fields[name].label
            elif name == "month":
                label = timezone.datetime(item.year, item.month, 1).strftime("%Y-%m")
            elif name in ("date_from", "date_to"):
                label = f"{form.fields[name].label} {item.isoformat()}"
            elif name == "q":
                label = f"”{item}”"
            chips.append((label, "?" + urlencode(remaining)))
    return chips


class MaterialIndexPage(CachedPageMixin, Page):
    """The network's library of education materials: facets, search, and for each material whether the
    visitor may open it (and if not, why and how to get access)."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["courses.CentreMaterialsPage", "courses.MaterialPage"]
    max_count_per_parent = 1
    template = "catalogue/material_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # Not in the search index: it is found from the menu, and its own search finds the materials. (Its title
    # and intro in SQLite's index would also shift the BM25 weights the catalogue's relevance order rests on.)
    search_fields = []

    class Meta:
        verbose_name = _("materials library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = MaterialFilterForm(request.GET, language_code=self.locale.language_code)
        filters = form.filters
        query = services.search_text(filters)
        ranking = library.material_search_ranking(query, self.locale) if query else None
        materials, ranks = library.find_materials(filters, self.locale, ranking=ranking)
        results = library.library_page(materials, ranks, request.GET.get("page"), request.user)
        query_params = request.GET.copy()
        query_params.pop("page", None)
        context.update(
            form=form,
            filters=filters,
            results=results,
            facet_counts=library.material_facet_counts(filters, self.locale, ranking=ranking),
            problems=form.problems,
            query_string=query_params.urlencode(),
            active_filters=active_filters(form, filters),
            materials_library=True,
        )
        return context


@register_setting(icon="link")
class SiteLinks(BaseGenericSetting):
    """Pages the whole site links to; each is shown in the visitor's language when translated."""

    privacy_notice = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_statement = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("privacy_notice"), FieldPanel("accessibility_statement")]

    class Meta:
        verbose_name = _("site links")

    @staticmethod
    def url_of(page):
        if page is None:
            return None
        return (page.localized or page).url


def privacy_notice_url():
    links = SiteLinks.load()
    return SiteLinks.url_of(links.privacy_notice) or f"/{active_language()}/"


# --- Alerts: a followed catalogue view (see catalogue.alerts) ----------------------------------------------


def new_alert_token():
    return secrets.token_urlsafe(24)


class Alert(models.Model):
    """Someone follows a catalogue view (its filters and search) by e-mail.

    Someone without an account confirms the address first (double opt-in: `confirmed_at` is empty until then);
    a logged-in person's alert is confirmed at once. `token` is the secret in the confirmation and unsubscribe
    links, so neither needs a login.
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly digest")
        INSTANT = "instant", _("At once")

    email = models.EmailField(_("e-mail address"))
    # CASCADE: an alert belongs to the person; deleting the account ends it (erasure deletes it first anyway).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("person"),
    )
    language = models.CharField(_("language"), max_length=8, default="sv")
    # The catalogue's query string (filters and search, without page or sort): the view, as a link can show it.
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    token = models.CharField(max_length=64, unique=True, default=new_alert_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # A weekly alert's next digest; the beat job reads it from the database (nothing scheduled in the broker).
    next_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "language", "query"], name="one_alert_per_address_and_view")
        ]

    def __str__(self):
        return f"{self.email}: {self.query or '-'}"


class AlertMatch(models.Model):
    """An occasion the alert has already accounted for: told in a mail, or already published when the alert
    began (only what is published afterwards is new). Never telling an occasion twice rests on this row."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    occasion = models.ForeignKey("courses.Occasion", on_delete=models.CASCADE, related_name="+")
    told_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "occasion"], name="one_match_per_alert_and_occasion")]

    def __str__(self):
        return f"{self.alert_id}: {self.occasion_id}"


class AlertMessage(models.Model):
    """An alert's e-mail (confirmation or matches), written in the transaction that decides it, once per `key`,
    and sent after commit by a task, like enrolment's outbox (which is about occasions and enrolments)."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("Confirm your alert")
        MATCHES = "matches", _("New courses")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    occasion_ids = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="alert_message_status_created")]

    def __str__(self):
        return self.key
