"""Seats and availability: how many of an occasion's seats people hold, and what a visitor can do now.

Registered with courses (courses.registry.seats) when the enrolment app loads, so an occasion can answer
`seats_left`, `availability` and friends without courses importing this app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Enrolment


class Availability(models.TextChoices):
    """What a visitor can do with an occasion right now; derived, never stored."""

    OPEN = "open", pgettext_lazy("availability", "Open")
    FEW_SEATS = "few_seats", _("Few seats left")
    WAITING_LIST = "waiting_list", _("Full: waiting list")
    NOT_YET_OPEN = "not_yet_open", _("Enrolment not yet open")
    CLOSED = "closed", _("Enrolment closed")
    CANCELLED = "cancelled", pgettext_lazy("occasion status", "Cancelled")


def with_seats(occasions):
    """Annotate `seats_taken` (the seats people hold, see Enrolment.SEAT_STATUSES) in the same query."""
    return occasions.annotate(seats_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEAT_STATUSES)))


def with_enrolment_flag(occasions):
    """Annotate `has_enrolments`: anyone ever enrolled, in any state (history that must be kept)."""
    return occasions.annotate(has_enrolments=Exists(Enrolment.objects.filter(occasion=OuterRef("pk"))))


def seats_taken_subquery():
    """The seats held in the occasion `OuterRef("pk")`, as an expression (0 when nobody holds one)."""
    held = (
        Enrolment.objects.filter(occasion=OuterRef("pk"), status__in=Enrolment.SEAT_STATUSES)
        .values("occasion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def seats_taken(occasion):
    """The seats held in one occasion: the annotation when there is one, otherwise a query."""
    if hasattr(occasion, "seats_taken"):
        return occasion.seats_taken
    return occasion.enrolments.filter(status__in=Enrolment.SEAT_STATUSES).count()


def availability_at(occasion, now):
    if occasion.is_cancelled:
        return Availability.CANCELLED
    if occasion.enrolment_opens and now < occasion.enrolment_opens:
        return Availability.NOT_YET_OPEN
    if now >= occasion.closes_at:
        return Availability.CLOSED
    if occasion.is_full:
        return Availability.WAITING_LIST
    if occasion.seats_left is not None and occasion.seats_left <= settings.FEW_SEATS_LEFT:
        return Availability.FEW_SEATS
    return Availability.OPEN


ACCEPTS_ENROLMENT = {Availability.OPEN, Availability.FEW_SEATS, Availability.WAITING_LIST}
HAS_SEATS = {Availability.OPEN, Availability.FEW_SEATS}
