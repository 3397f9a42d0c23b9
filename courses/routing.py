"""Remembered routes: which page answers a path, so a page the page cache has not kept is found with one query.

Wagtail walks the page tree for every request (the site, the root page in the visitor's language, then one
child and its specific page per level: six queries to reach a course). The first request for a path records
the page it reached; later ones fetch that page by id, check it is still live and still at the same URL (a
publish may rename or move it), and hand Wagtail the route, which it then serves as usual (privacy checks
included). Anything unexpected falls back to Wagtail's own routing.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.http import Http404

ROUTE_SECONDS = 24 * 3600
GENERATION_KEY = "page-route:generation"


def invalidate(**kwargs):
    """Forget every route (signal receiver for changes to Sites: their host names and root pages)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(request):
    generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    # Hashed: a path is whatever a visitor typed (spaces, control characters, any length).
    digest = hashlib.blake2b(f"{request.get_host()}:{request.path_info}".encode(), digest_size=16).hexdigest()
    return f"page-route:{generation}:{digest}"


def _components(request):
    # /sv/kurser/feed.ics → ["kurser", "feed.ics"]: the path Wagtail routes below the language prefix.
    return [part for part in request.path_info.split("/")[2:] if part]


def prime(request):
    """Give Wagtail the route and site it would find, if this path was routed before (one query); True if so."""
    entry = cache.get(_key(request))
    if entry is None:
        return False
    site, model_label, page_id, url_path, depth = entry
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return False
    page = model.objects.select_related("locale").filter(pk=page_id, live=True).first()
    if page is None or page.url_path != url_path:
        return False
    components = _components(request)
    try:
        route = page.route(request, components[depth:])
    except Http404:
        return False
    request._wagtail_site = site
    request._wagtail_route_for_request = route
    return True


def remember(request, response):
    """Record the page Wagtail routed this request to, once it answered 200."""
    route = getattr(request, "_wagtail_route_for_request", None)
    site = getattr(request, "_wagtail_site", None)
    if route is None or site is None or response.status_code != 200:
        return
    page = route[0]
    depth = page.depth - site.root_page.depth  # path components the page itself took
    if depth < 0 or depth > len(_components(request)):
        return
    entry = (site, page._meta.label, page.pk, page.url_path, depth)
    cache.set(_key(request), entry, ROUTE_SECONDS)
