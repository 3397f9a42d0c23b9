"""What search engines read: the sitemap (both languages, with hreflang alternates) and robots.txt."""

from collections import defaultdict

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class SiteSitemap(Sitemap):
    """Every live public page of every language, each listing its translations as alternates.

    Wagtail's own sitemap walks only the Site's root page, which is the Swedish home; the English tree is its
    translation, not its descendant.
    """

    def items(self):
        site = self.get_wagtail_site()
        homes = site.root_page.get_translations(inclusive=True)
        pages = Page.objects.none()
        for home in homes:
            pages |= Page.objects.descendant_of(home, inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        by_key = defaultdict(list)
        for translation in (
            Page.objects.live()
            .public()
            .filter(translation_key__in={item.translation_key for item in items})
            .select_related("locale")
            .specific(defer=True)
        ):
            url = translation.get_full_url(self.request)
            if url:
                by_key[translation.translation_key].append(
                    {"lang_code": translation.locale.language_code, "location": url}
                )
        urls = []
        for item in items:
            alternates = sorted(by_key[item.translation_key], key=lambda a: a["lang_code"])
            for info in item.get_sitemap_urls(self.request):
                if len(alternates) > 1:
                    info["alternates"] = alternates
                urls.append(info)
        return urls


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """The admin, accounts, My courses and the developer's mailbox are not for search engines."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /dev/", "Disallow: /documents/"]
    for code in ("sv", "en"):
        lines += [f"Disallow: /{code}/accounts/", f"Disallow: /{code}/my-courses/", f"Disallow: /{code}/enrol/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def icon(request, name):
    """/favicon.ico and /apple-touch-icon.png, which browsers ask for at the root, from the static files."""
    return HttpResponsePermanentRedirect(static(f"img/{name}"))
