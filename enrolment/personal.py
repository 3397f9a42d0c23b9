"""A person's own enrolment state on shared catalogue and course pages (see courses.page_cache).

All of the person's active enrolments come from one indexed query per request, whatever the number of
occasions on the page.
"""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Enrolment

Status = Enrolment.Status

YOUR_STATE = {
    Status.CONFIRMED: _("You are enrolled"),
    Status.WAITING: _("You are on the waiting list"),
    Status.PENDING: _("Your enrolment awaits approval"),
    Status.OFFERED: _("A seat is offered to you"),
    Status.AWAITING_MANAGER: _("Your enrolment awaits your line manager"),
}


def active_enrolments(parts):
    """{occasion id: (enrolment id, status)} of the person's active enrolments, loaded once per request."""
    if "enrolments" not in parts.memo:
        rows = Enrolment.objects.filter(user=parts.user, status__in=Enrolment.ACTIVE_STATUSES).values_list(
            "occasion_id", "pk", "status"
        )
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
        return format_html(' <span class="badge badge--mine badge--{}">{}</span>', status, YOUR_STATE[status])
    return None


def enrol_action(parts, occasion_id):
    """Instead of the enrol button: a link to the person's enrolment."""
    if mine := _mine(parts, occasion_id):
        pk, _status = mine
        return format_html(
            '<a class="button" href="{}">{}</a>', reverse("enrolment_detail", args=[pk]), _("Your enrolment")
        )
    return None
