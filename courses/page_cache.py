"""Whole-page cache for anonymous visitors: public pages are rendered once per short interval.

Seat badges may be at most PAGE_CACHE_SECONDS old; every publish or unpublish drops the whole cache at
once (a generation number in every key), so editors see their change immediately. Logged-in visitors,
non-GET requests, responses that set cookies or are marked private, and anything but a 200 are never cached.
Wagtail checks page privacy (view restrictions) before `serve`, so private pages never reach the cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "page-cache:generation"


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
    return f"page-cache:{generation()}:{request.method}:{path}"


def _cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.path_info.startswith(("/sv/", "/en/"))
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not response.streaming
    )


class PageCacheMiddleware:
    """Answers anonymous requests from the cache before any routing; stores pages that opted in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if getattr(response, "page_cache", False) and _cacheable_response(response):
            language = response.get("Content-Language", getattr(request, "LANGUAGE_CODE", ""))
            cache.set(key, (response.content, response["Content-Type"], language), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response


class CachedPageMixin:
    """Let the page cache keep this page type's public responses (see PageCacheMiddleware)."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        response.page_cache = True
        return response
