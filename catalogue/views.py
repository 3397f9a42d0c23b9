"""Views outside the page tree: the 404 page; file-like routes of pages (.ics)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from wagtail import hooks
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site
from wagtail.views import serve_chain


def serve_page_file(request, path):
    """Serve a page route named like a file: `kurser/feed.ics`, `kurser/<course>/occasions/12.ics`.

    Wagtail's own URL pattern serves only paths ending in "/", and RoutablePageMixin.route() adds a "/"
    before resolving, so a route such as `path("feed.ics")` is never reached that way. Here the nearest
    page above the file is found and the rest of the path resolved against its routes, then served the
    way wagtail.views.serve does, through the same hooks (so privacy restrictions apply).
    """
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [component for component in path.split("/") if component]
    root = site.root_page.localized.specific
    for cut in range(len(components) - 1, -1, -1):
        try:
            page = root.route(request, components[:cut]).page
        except Http404:
            continue
        if not isinstance(page, RoutablePageMixin):
            break
        serve_args = list(page.resolve_subpage("/" + "/".join(components[cut:])))
        serve = serve_chain
        for hook in reversed(hooks.get_hooks("on_serve_page")):
            serve = hook(serve)
        for hook in hooks.get_hooks("before_serve_page"):
            result = hook(page, request, serve_args, {})
            if isinstance(result, HttpResponse):
                return result
        return serve(page, request, serve_args, {})
    raise Http404


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
