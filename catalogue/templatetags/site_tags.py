"""Template helpers shared by every page: language links, dates, availability badges."""

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Subquery
from django.urls import translate_url
from wagtail.models import Page, Site

from accounts.language import active_language
from catalogue.models import CatalogueIndexPage, MaterialIndexPage
from courses import fees, formatting, page_cache

register = template.Library()


def _translated_page_urls(page, request):
    """{language: url} for the live translations of a Wagtail page, keeping a routable sub-path."""
    urls = {}
    own_url = page.get_url(request) or ""
    remainder = request.path[len(own_url) :] if own_url and request.path.startswith(own_url) else ""
    for translated in page.get_translations(inclusive=True).live().select_related("locale"):
        url = translated.get_url(request)
        if url:
            urls[translated.locale.language_code] = url + remainder
    return urls


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per site language: code, name, url (None when there is no such version) and `current`."""
    request = context.get("request")
    if request is None:
        return []
    current = active_language()
    page = context.get("page")
    query = request.GET.urlencode()
    links = []
    page_urls = _translated_page_urls(page, request) if isinstance(page, Page) else None
    for code, name in settings.LANGUAGES:
        if page_urls is not None:
            url = page_urls.get(code)
            exists = url is not None
            if url is None:
                # No translation yet: the home page in that language is the honest next best.
                url = f"/{code}/"
            elif query:
                url = f"{url}?{query}"
        else:
            url = translate_url(request.get_full_path(), code)
            exists = True
        links.append({"code": code, "name": name, "url": url, "current": code == current, "exists": exists})
    return links


INDEX_PAGES = (("catalogue", CatalogueIndexPage), ("library", MaterialIndexPage))


def _site_urls(request):
    """The home, catalogue and library pages' addresses in the active language, looked up once per request."""
    language = active_language()
    found = getattr(request, "_site_urls", {})
    if language not in found:
        # One query for the three: the home page (the translation of the site's root page) and the two index
        # pages; their plain Page rows carry the URL path.
        names = {ContentType.objects.get_for_model(model).pk: name for name, model in INDEX_PAGES}
        wanted = Q(content_type_id__in=names)
        site = Site.find_for_request(request)
        if site is not None:
            root = Page.objects.filter(pk=site.root_page_id).values("translation_key")[:1]
            wanted |= Q(translation_key=Subquery(root))
        pages = {}
        for page in Page.objects.live().filter(wanted, locale__language_code=language).order_by("-path"):
            pages[names.get(page.content_type_id, "home")] = page  # by path, descending: the top one wins
        home_url = (pages["home"].get_url(request) if "home" in pages else None) or f"/{language}/"
        urls = {"home": home_url}
        for name, _model in INDEX_PAGES:
            urls[name] = (pages[name].get_url(request) if name in pages else None) or home_url
        found[language] = urls
        request._site_urls = found
    return found[language]


@register.simple_tag(takes_context=True)
def home_url(context):
    """The home page in the active language."""
    return _site_urls(context["request"])["home"]


@register.simple_tag(takes_context=True)
def catalogue_url(context):
    """The course catalogue in the active language (the home page while there is none)."""
    return _site_urls(context["request"])["catalogue"]


@register.simple_tag(takes_context=True)
def library_url(context):
    """The materials library in the active language (the home page while there is none)."""
    return _site_urls(context["request"])["library"]


@register.simple_tag(takes_context=True)
def search_engine_links(context, languages):
    """Canonical and hreflang addresses, absolute: the page without its query string, and each language
    that really has this page (a missing translation is not an alternate, even though the switch offers a home)."""
    request = context["request"]
    alternates = [
        {"code": link["code"], "url": request.build_absolute_uri(link["url"].split("?", 1)[0])}
        for link in languages
        if link["exists"]
    ]
    default = next((a for a in alternates if a["code"] == settings.LANGUAGE_CODE), None)
    return {
        "canonical": request.build_absolute_uri(request.path),
        "alternates": alternates if len(alternates) > 1 else [],
        "x_default": default["url"] if default and len(alternates) > 1 else None,
    }


@register.filter
def period(occasion, language=None):
    return formatting.format_period(occasion.start, occasion.end, language)


@register.filter
def course_fee(course):
    """`4 500 kr exkl. moms` / `SEK 4,500 excl. VAT`, or `Kostnadsfri` / `Free of charge`."""
    return fees.fee_amount_text(course.fee, course.fee_vat)


@register.filter
def occasion_fee(occasion, course):
    """What the occasion costs (its own fee or the course's), as `course_fee` writes it; `course` is the page
    being shown (fees are the same in every language), so no query is made."""
    amount, vat = fees.effective_fee(occasion, course)
    return fees.fee_amount_text(amount, vat)


@register.filter
def local_date(value, language=None):
    return formatting.format_date(value, language) if value else ""


@register.filter
def local_datetime(value, language=None):
    return formatting.format_datetime(value, language) if value else ""


@register.filter
def count_of(counts, value):
    """How many courses a facet value would give (catalogue.services.facet_counts)."""
    return (counts or {}).get(value, 0)


@register.filter
def querystring_without(query_string, key):
    """The query string without one parameter (for pagination and sort links)."""
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params.pop(key, None)
    return params.urlencode()


class PersonalNode(template.Node):
    def __init__(self, name, arg, nodelist):
        self.name, self.arg, self.nodelist = name, arg, nodelist

    def render(self, context):
        from django.contrib.auth.models import AnonymousUser

        if not page_cache.is_shared_render(context.get("request")):
            return self.nodelist.render(context)
        arg = self.arg.resolve(context) if self.arg is not None else ""
        # The shared page holds what anyone may see; the person's own version is filled in per request.
        with context.push(user=AnonymousUser()):
            default = self.nodelist.render(context)
        return page_cache.marker(self.name, arg, default)


@register.simple_tag(takes_context=True)
def course_cards(context, courses, heading_level=2):
    """The cards of these courses, each from the card cache when nothing on it changed (catalogue.fragments)."""
    from catalogue import fragments

    return fragments.render_cards(context, list(courses), heading_level)


@register.tag
def personal(parser, token):
    """{% personal "name" [arg] %}what an anonymous visitor sees{% endpersonal %}: a part of the page that belongs
    to the person looking at it (see courses.page_cache). Outside the page cache it renders as written."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('Usage: {% personal "name" [arg] %}...{% endpersonal %}')
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    arg = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return PersonalNode(bits[1][1:-1], arg, nodelist)


@register.simple_tag
def footer_links():
    """(label, url) of the pages the whole site links to, each in the visitor's language when translated: the
    settings with their pages in one query, the translations in another (not two or three per link)."""
    from django.utils.translation import gettext

    from catalogue.models import SiteLinks

    links = SiteLinks.objects.select_related("privacy_notice", "accessibility_statement").order_by("pk").first()
    if links is None:
        return []
    chosen = [
        (gettext("Privacy notice"), links.privacy_notice),
        (gettext("Accessibility statement"), links.accessibility_statement),
    ]
    chosen = [(label, page) for label, page in chosen if page is not None]
    if not chosen:
        return []
    language = active_language()
    translated = {
        page.translation_key: page
        for page in Page.objects.live().filter(
            translation_key__in=[page.translation_key for _label, page in chosen], locale__language_code=language
        )
    }
    return [(label, translated.get(page.translation_key, page).url) for label, page in chosen]
