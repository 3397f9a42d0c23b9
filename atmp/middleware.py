"""Django's LocaleMiddleware, minus its redirect of unknown paths outside the language-prefixed site; the scope check
in front of wagtail-localize's admin views."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from courses import translation_access

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


class TranslationScopeMiddleware:
    """Every wagtail-localize admin URL that names a page, snippet or translation passes courses.translation_access
    first: wagtail-localize itself checks only a global permission, not whose page it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or translation_access.NAMESPACE not in match.namespaces:
            return None
        if not request.user.is_authenticated:
            return None  # the admin's own login redirect follows
        translation_access.check(request.user, view_kwargs)
        return None
