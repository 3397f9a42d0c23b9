"""Django's LocaleMiddleware, minus its redirect of unknown paths outside the language-prefixed site;
the scope check in front of the admin's views."""

from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from wagtail.admin.auth import permission_denied

from atmp import admin_scope

# These live outside /sv/ and /en/: a 404 there is a 404, not a hint to try /sv/admin/...
UNPREFIXED = ("/admin/", "/documents/", "/api/", "/calendar/", "/health/", "/static/", "/media/", "/dev/", "/i18n/")


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", self.get_language_for(request))
            return response
        return super().process_response(request, response)

    @staticmethod
    def get_language_for(request):
        return getattr(request, "LANGUAGE_CODE", "sv")


class AdminScopeMiddleware:
    """Every admin URL that names an object passes atmp.admin_scope first: some of Wagtail's and wagtail-localize's
    views check a permission on the model, not on whose object it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not view_kwargs or not request.path_info.startswith("/admin/"):
            return None
        if not request.user.is_authenticated:
            return None  # the admin's own login redirect follows
        try:
            admin_scope.check(request.user, match, view_kwargs, request.GET.getlist("id"))
        except PermissionDenied:
            # Wagtail's own answer: back to the dashboard with "Sorry, you do not have permission" (403 for scripts).
            return permission_denied(request)
        return None
