"""Project middleware: the locale without redirects outside the language-prefixed site; the gates in front of
the admin (who may enter; which objects they may touch); a 503 page when the database is unreachable."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.template import loader
from django.utils import translation
from wagtail.admin.auth import permission_denied

from accounts.views import admin_gate
from atmp import admin_scope
from courses import translation_access
from courses.permissions import owners_start_page

logger = logging.getLogger(__name__)

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


# --- The database is unreachable: a 503 page in the visitor's language, not a 500 -------------------------

RETRY_AFTER_SECONDS = 10


def database_unavailable(exception):
    """True for errors worth trying again: a database restarting or unreachable, a deadlock or a timeout (DB-API
    OperationalError/InterfaceError); a bad query (ProgrammingError, IntegrityError) is a bug and stays a 500."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, InterfaceError | OperationalError)


def visitor_language(request):
    """The language in the URL (/sv/, /en/), else the one the browser asks for, else Swedish."""
    return translation.get_language_from_path(request.path_info) or translation.get_language_from_request(
        request, check_path=False
    )


def service_unavailable(request):
    """The 503 page. Rendered without context processors and the database: both may be what failed."""
    language = visitor_language(request)
    with translation.override(language):
        content = loader.get_template("503.html").render({"LANGUAGE_CODE": language})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 ("back in a moment") when a view meets a database that is restarting.

    The transaction a view had open is rolled back with the connection, so nothing is half-written; the next
    request reconnects (CONN_HEALTH_CHECKS). Errors raised outside views (sessions, authentication in other
    middleware) reach the 500 handler instead, which gives the same page (atmp.views.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            logger.warning("Database unavailable (%s: %s) for %s", type(exception).__name__, exception, request.path)
            return service_unavailable(request)
        return None


class AdminScopeMiddleware:
    """Every admin URL that names an object passes atmp.admin_scope first: some of Wagtail's and wagtail-localize's
    views check a permission on the model, not on whose object it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name == "wagtailadmin_explore_root" and request.user.is_authenticated:
            # A course owner's work starts at their centre's courses, not at the tree above them.
            start = owners_start_page(request.user)
            if start is not None:
                return redirect("wagtailadmin_explore", start.pk)
        if match is None or not view_kwargs or not request.path_info.startswith("/admin/"):
            return None
        if not request.user.is_authenticated:
            return None  # the admin's own login redirect follows
        try:
            admin_scope.check(request.user, match, view_kwargs, request.GET.getlist("id"))
        except PermissionDenied:
            # Wagtail's own answer: back to the dashboard with "Sorry, you do not have permission" (403 for scripts).
            return permission_denied(request)
        translation_access.preselect_only_target(request, match)
        return None
