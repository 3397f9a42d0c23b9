"""Django's LocaleMiddleware, minus its redirect of unknown paths outside the language-prefixed site."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

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
