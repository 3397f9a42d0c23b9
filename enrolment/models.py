"""What people do with an occasion: the enrolment and its states (see shared DOMAIN.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Offer expired")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE_STATUSES = [Status.PENDING, Status.CONFIRMED, Status.WAITING, Status.OFFERED]
    # Seats taken = confirmed + offered; attended people held a seat too.
    SEAT_STATUSES = [Status.CONFIRMED, Status.OFFERED, Status.ATTENDED, Status.NO_SHOW]

    occasion = models.ForeignKey(
        "courses.Occasion", on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("occasion")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "user"],
                condition=Q(status__in=["pending", "confirmed", "waiting", "offered"]),
                name="one_active_enrolment_per_person_and_occasion",
            )
        ]
        indexes = [models.Index(fields=["occasion", "status"])]

    def __str__(self):
        return f"{self.user} – {self.occasion} ({self.get_status_display()})"
