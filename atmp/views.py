"""Project-level error views."""

import sys

from django.http import HttpResponseServerError
from django.template import loader

from .middleware import database_unavailable, service_unavailable


def server_error(request):
    """handler500: the 503 page when the error in flight is an unreachable database (raised in a middleware,
    e.g. loading the session), else the 500 page."""
    exception = sys.exc_info()[1]
    if exception is not None and database_unavailable(exception):
        return service_unavailable(request)
    # No context processors: the error may come from them. The template shows both languages.
    return HttpResponseServerError(loader.get_template("500.html").render())
