"""Template helpers shared by every page: language links, dates, availability badges."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from courses import formatting

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
    current = translation.get_language()
    page = context.get("page")
    query = request.GET.urlencode()
    links = []
    page_urls = _translated_page_urls(page, request) if isinstance(page, Page) else None
    for code, name in settings.LANGUAGES:
        if page_urls is not None:
            url = page_urls.get(code)
            if url is None:
                # No translation yet: the home page in that language is the honest next best.
                url = f"/{code}/"
            elif query:
                url = f"{url}?{query}"
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def period(occasion, language=None):
    return formatting.format_period(occasion.start, occasion.end, language)


@register.filter
def local_date(value, language=None):
    return formatting.format_date(value, language) if value else ""


@register.filter
def local_datetime(value, language=None):
    return formatting.format_datetime(value, language) if value else ""


@register.filter
def querystring_without(query_string, key):
    """The query string without one parameter (for pagination and sort links)."""
    from django.http import QueryDict

    params = QueryDict(query_string, mutable=True)
    params.pop(key, None)
    return params.urlencode()
