"""Project-level views: health (for load balancers) and the error pages."""

import sys

from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader

from .celery import app as celery_app
from .middleware import database_unavailable, service_unavailable


def server_error(request):
    """handler500: the 503 page when the error in flight is an unreachable database (raised in a middleware,
    e.g. loading the session), else the 500 page."""
    exception = sys.exc_info()[1]
    if exception is not None and database_unavailable(exception):
        return service_unavailable(request)
    # No context processors: the error may come from them. The template shows both languages.
    return HttpResponseServerError(loader.get_template("500.html").render())


def health(request):
    """For load balancers and compose: the database and the task broker answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(error).__name__}"
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        checks["broker"] = "ok"
    except Exception as error:  # noqa: BLE001
        checks["broker"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
