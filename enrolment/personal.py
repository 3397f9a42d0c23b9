"""A person's own enrolment state on shared catalogue and course pages (see courses.page_cache).

All of the person's active enrolments come from one indexed query per request, whatever the number of
occasions on the page.
"""

import functools

from django.db import connection
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courses.page_cache import language_frame

from .models import Enrolment

Status = Enrolment.Status

YOUR_STATE = {
    Status.CONFIRMED: _("You are enrolled"),
    Status.WAITING: _("You are on the waiting list"),
    Status.PENDING: _("Your enrolment awaits approval"),
    Status.OFFERED: _("A seat is offered to you"),
    Status.AWAITING_MANAGER: _("Your enrolment awaits your line manager"),
}

_STAND_IN = -7_777_777


@functools.cache
def _active_enrolments_sql(alias):
    """The ORM's SELECT of a person's active enrolments, compiled once per process (it runs on every page a
    logged-in person sees with occasions on it), with its parameters: the person's id goes where _STAND_IN is."""
    rows = Enrolment.objects.filter(user_id=_STAND_IN, status__in=Enrolment.ACTIVE_STATUSES)
    sql, params = rows.values_list("occasion_id", "pk", "status").query.get_compiler(alias).as_sql()
    if list(params).count(_STAND_IN) != 1:
        raise ValueError(f"unexpected parameters {params!r} in {sql}")
    return sql, list(params)


def active_enrolments(parts):
    """{occasion id: (enrolment id, status)} of the person's active enrolments, loaded once per request."""
    if "enrolments" not in parts.memo:
        sql, params = _active_enrolments_sql(connection.alias)
        with connection.cursor() as cursor:
            cursor.execute(sql, [parts.user.pk if param == _STAND_IN else param for param in params])
            rows = cursor.fetchall()
        parts.memo["enrolments"] = {occasion_id: (pk, status) for occasion_id, pk, status in rows}
    return parts.memo["enrolments"]


def _mine(parts, occasion_id):
    if not parts.user.is_authenticated or not occasion_id:
        return None
    return active_enrolments(parts).get(int(occasion_id))


def enrolment_badge(parts, occasion_id):
    """Beside an occasion's availability: the person's own state on it."""
    if mine := _mine(parts, occasion_id):
        _pk, status = mine
        return language_frame(
            ("badge", status),
            lambda: format_html(' <span class="badge badge--mine badge--{}">{}</span>', status, YOUR_STATE[status]),
        )
    return None


def _action_frame():
    url = reverse("enrolment_detail", args=[-_STAND_IN])
    return format_html('<a class="button" href="{}">{}</a>', url, _("Your enrolment"))


def enrol_action(parts, occasion_id):
    """Instead of the enrol button: a link to the person's enrolment."""
    if mine := _mine(parts, occasion_id):
        pk, _status = mine
        return language_frame("enrol-action", _action_frame).replace(str(-_STAND_IN), str(int(pk)))
    return None
