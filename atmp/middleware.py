"""Django's LocaleMiddleware, minus its redirect of unknown paths outside the language-prefixed site; the gate
in front of the admin."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from accounts.views import admin_gate

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


class AdminAccessMiddleware:
    """Every admin request from a logged-in person passes accounts' rules first: clinicians get a page that
    says the admin is not for them, and staff who must log in with a second factor or through the identity
    provider are sent to do so. Wagtail itself then checks permissions as usual."""

    ADMIN = "/admin/"
    OPEN = ("/admin/login/", "/admin/logout/")  # the way in and the way out need no gate

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        gated = path.startswith(self.ADMIN) and not path.startswith(self.OPEN) and request.user.is_authenticated
        if gated and (response := admin_gate(request)) is not None:
            return response
        return self.get_response(request)
