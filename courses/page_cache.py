"""Whole-page cache: public pages are rendered once per short interval and shared by everyone.

A page is rendered *shared*: the parts that belong to one person (the account links with the person's name and
CSRF token, their enrolment state on each occasion) are rendered as anonymous defaults between markers
(`{% personal %}` in the templates). The shared HTML is cached per path and query string; every request then
gets it with its own parts filled in by the providers registered here (`register_personal`), from one or two
indexed queries, so a logged-in person costs little more than an anonymous visitor and never sees another
person's parts. Anonymous visitors get a copy with the markers stripped, without any work per request.

Seat badges may be at most PAGE_CACHE_SECONDS old; every publish or unpublish, and every change of a page's
view restrictions, drops the whole cache at once (a generation number in every key), so editors see their
change immediately. Non-GET requests, requests carrying messages, previews, responses that set cookies, use a
CSRF token or are marked private, pages with view restrictions and anything but a 200 are never cached.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import conditional_escape

from . import routing

GENERATION_KEY = "page-cache:generation"
SHARED_ATTRIBUTE = "page_cache_shared"  # set on a request whose pages render personal parts as markers

# <!--p:name:arg-->anonymous default<!--/p-->: `name` picks the provider, `arg` says which part (an occasion id).
MARKER = re.compile(r"<!--p:([a-z_]+):([0-9]*)-->(.*?)<!--/p-->", re.DOTALL)

_providers = {}


def register_personal(name, provider):
    """Fill the `{% personal name %}` parts of shared pages: provider(parts, arg) returns the person's HTML, or
    None to keep the anonymous default. Apps above this one register theirs in AppConfig.ready()."""
    _providers[name] = provider


def marker(name, arg, default):
    return f"<!--p:{name}:{arg}-->{default}<!--/p-->"


def is_shared_render(request):
    return request is not None and getattr(request, SHARED_ATTRIBUTE, False)


class PersonalParts:
    """One request's personal parts; providers keep what they load once per request in `memo`."""

    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.memo = {}

    def fill(self, html):
        def replace(match):
            name, arg, default = match.groups()
            provider = _providers.get(name)
            value = provider(self, arg) if provider else None
            return default if value is None else value

        return MARKER.sub(replace, html)


def request_token(parts):
    """The person's CSRF token for the forms on this page: one masked token for all of them (masking is not free)."""
    if "csrf_token" not in parts.memo:
        parts.memo["csrf_token"] = get_token(parts.request)
    return parts.memo["csrf_token"]


def strip_markers(html):
    return MARKER.sub(lambda match: match.group(3), html)


# Parts that are the same for everyone in a language but for a few values (a name, a token, an id) are made once
# per language with stand-ins, then filled in by string substitution (no template rendering per request).
_frames = {}


def language_frame(name, make):
    """`make()`'s text for the active language, made once per process and kept under `name`."""
    key = (name, translation.get_language())
    if key not in _frames:
        _frames[key] = make()
    return _frames[key]


_NAME, _TOKEN = "PERSONAL-NAME-9c1e", "PERSONAL-CSRF-9c1e"


class StandInUser:
    """Someone logged in, for rendering a frame: their name is a stand-in."""

    is_authenticated = True
    email = ""

    def get_full_name(self):
        return _NAME


def _account_frame():
    template = get_template("includes/account_nav.html").template  # no context processors: nothing else needed
    return template.render(Context({"user": StandInUser(), "csrf_token": _TOKEN}))


def account_links(parts, _arg):
    """The header's account links for a logged-in person: their name, My courses, profile, and log out (a form
    with this person's CSRF token)."""
    if not parts.user.is_authenticated:
        return None
    name = parts.user.get_full_name() or parts.user.email
    frame = language_frame("account", _account_frame)
    return frame.replace(_NAME, conditional_escape(name)).replace(_TOKEN, request_token(parts))


register_personal("account", account_links)


# --- The cache ----------------------------------------------------------------------------------------------


def generation():
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate(**kwargs):
    """Drop every cached page (signal receiver for page_published and page_unpublished)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page-cache:{request.method}:{path}"


def _lookup(key):
    """(the current generation, the entry cached under `key` if it belongs to that generation, else None), in one
    round trip to the cache: an entry keeps the generation it was rendered in, and a publish raises the number."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    entry = found.get(key)
    return current, (entry[1:] if entry is not None and entry[0] == current else None)


def _has_messages(request):
    if "messages" in request.COOKIES:
        return True
    # Only a logged-in person's session is read here: it is loaded for them anyway.
    return request.user.is_authenticated and "_messages" in request.session


def _shareable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and request.path_info.startswith(("/sv/", "/en/"))
        and not _has_messages(request)
        and not getattr(request, "is_preview", False)
    )


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "page_cache", False)
        and response.status_code == 200
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not response.streaming
    )


def _is_html(response):
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


class PageCacheMiddleware:
    """Answers from the shared cache before any routing, with the person's own parts filled in; renders shared
    pages otherwise, and stores those that opted in (CachedPageMixin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _shareable_request(request):
            return self.get_response(request)
        caching = settings.PAGE_CACHE_SECONDS > 0
        key = _key(request) if caching else None
        rendered_in, cached = _lookup(key) if caching else (None, None)
        if cached is not None:
            return self._respond(request, cached, "hit")

        setattr(request, SHARED_ATTRIBUTE, True)
        token_used_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        primed = routing.prime(request)
        response = self.get_response(request)
        if not primed:
            routing.remember(request, response)
        if not _is_html(response):
            if caching and _cacheable_response(response):
                entry = (response.content, response.content, response["Content-Type"], _language(request, response))
                cache.set(key, (rendered_in, *entry), settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
            return response
        # A token rendered into the page would be one person's: such a page is never shared.
        token_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False) and not token_used_before
        shared = response.content.decode(response.charset)
        if caching and not token_used and _cacheable_response(response):
            entry = (shared, strip_markers(shared), response["Content-Type"], _language(request, response))
            cache.set(key, (rendered_in, *entry), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        if request.user.is_authenticated:
            response.content = PersonalParts(request).fill(shared)
            patch_cache_control(response, private=True)
        else:
            response.content = strip_markers(shared)
        return response

    def _respond(self, request, entry, outcome):
        shared, anonymous, content_type, language = entry
        if isinstance(shared, bytes):  # not HTML (a calendar feed): the same for everyone
            response = HttpResponse(shared, content_type=content_type)
        elif request.user.is_authenticated:
            response = HttpResponse(PersonalParts(request).fill(shared), content_type=content_type)
            # Shared caches must not keep a page with someone's name and token in it.
            patch_cache_control(response, private=True)
        else:
            response = HttpResponse(anonymous, content_type=content_type)
        response["Content-Language"] = language
        response["X-Page-Cache"] = outcome
        return response


def _language(request, response):
    return response.get("Content-Language", getattr(request, "LANGUAGE_CODE", ""))


def view_restrictions(page):
    """The view restrictions on `page` and its ancestors, an alias's taken from its source page, as Wagtail's
    Page.get_view_restrictions, in one query instead of two (the ancestors' paths are prefixes of the page's)."""
    from wagtail.models import Page, PageViewRestriction

    paths = [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]
    pages = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of_id", "id"))
    return PageViewRestriction.objects.filter(page_id__in=pages)


class CachedPageMixin:
    """Let the page cache keep this page type's public responses (see PageCacheMiddleware)."""

    def get_view_restrictions(self):
        # Wagtail's privacy check asks for these before serve(): keep them to decide about caching for free.
        self._view_restrictions = view_restrictions(self)
        return self._view_restrictions

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        restrictions = getattr(self, "_view_restrictions", None)
        if restrictions is None:
            restrictions = self.get_view_restrictions()
        # A page behind a login or password reached this far for someone entitled: never share it.
        response.page_cache = not restrictions
        return response
