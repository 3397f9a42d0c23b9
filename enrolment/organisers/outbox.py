"""The e-mail outbox for network admins: every message sent or waiting, read and sent again, never edited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from courses import formatting

from .. import notifications
from ..models import OutboxMessage
from .permissions import OnlyTheseViews


class NextAttemptColumn(Column):
    """When a queued message is tried again (its back-off), in the admin's language and local time."""

    def __init__(self):
        super().__init__("next_attempt_at", label=_("Next attempt"), sort_key="next_attempt_at")

    def get_value(self, instance):
        if instance.status != OutboxMessage.Status.QUEUED:
            return ""
        if instance.attempt_started_at:
            return _("Sending now")
        if not instance.next_attempt_at:
            return ""
        when = formatting.format_datetime(instance.next_attempt_at)
        wait = instance.next_attempt_at - timezone.now()
        if wait.total_seconds() <= 0:
            return when
        if wait.total_seconds() < 60:
            return _("%(time)s (in under a minute)") % {"time": when}
        return _("%(time)s (in %(duration)s)") % {"time": when, "duration": timeuntil(instance.next_attempt_at)}


class OutboxIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            ListingButton(
                _("Send again"),
                url=reverse("outbox:resend", args=[instance.pk]),
                icon_name="mail",
                priority=5,
            )
        )
        return buttons


class OutboxViewSet(OnlyTheseViews, ModelViewSet):
    """E-mail sent or waiting, per occasion and per person, with the reason when it failed: read and sent again,
    never edited, copied or deleted."""

    model = OutboxMessage
    icon = "mail"
    menu_label = _("E-mail outbox")
    add_to_admin_menu = True
    menu_order = 260
    list_display = [
        "kind",
        "email",
        "occasion",
        "status",
        "attempts",
        "last_error",
        NextAttemptColumn(),
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["email", "key"]
    inspect_view_enabled = True
    index_view_class = OutboxIndexView
    form_fields = []
    add_to_reference_index = False

    def get_queryset(self, request):
        return OutboxMessage.objects.select_related("occasion", "occasion__course", "user")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("resend/<int:pk>/", self.resend_view, name="resend")]

    def resend_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        message = get_object_or_404(OutboxMessage, pk=pk)
        if request.method != "POST":
            return TemplateResponse(request, "enrolment/admin/resend_confirm.html", {"message": message, "view": self})
        notifications.resend(message.pk)
        messages.success(request, _("The message is queued to be sent again."))
        return redirect(self.get_url_name("index"))
