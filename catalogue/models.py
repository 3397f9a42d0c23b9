"""The pages visitors arrive on: the home page, the course catalogue (facets, search, iCal feed) and plain pages."""

from urllib.parse import urlencode

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import BodyBlock
from courses.models import Centre

from . import services
from .forms import CatalogueFilterForm
from .page_cache import CachedPageMixin


class HomePage(CachedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.CatalogueIndexPage", "catalogue.StandardPage"]
    max_count_per_parent = 1
    template = "catalogue/home_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        catalogue = CatalogueIndexPage.objects.live().filter(locale=self.locale).first()
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

    def filter_form(self, request):
        return CatalogueFilterForm(request.GET, language_code=self.locale.language_code)

    @path("")
    def listing(self, request):
        form = self.filter_form(request)
        filters = form.filters
        query = services.search_text(filters)
        ranking = services.search_ranking(query, self.locale) if query else None  # once for the list and counts
        facet_counts, total = services.facet_counts_and_total(filters, self.locale, ranking=ranking)
        courses, ranks = services.find_courses(filters, self.locale, ranking=ranking)
        results = services.catalogue_page(
            courses, ranks, request.GET.get("page"), filters, count=total, language_code=self.locale.language_code
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
                "problems": form.problems,
                "query_string": query.urlencode(),
                "active_filters": self.active_filters(form, filters),
                "feed_url": self.feed_url(request, query.urlencode()),
            },
        )

    @path("feed.ics", name="feed")
    def feed(self, request):
        from .ical import calendar_response, occasion_calendar

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
    return SiteLinks.url_of(links.privacy_notice) or f"/{translation.get_language() or 'sv'}/"
