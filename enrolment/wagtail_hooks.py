"""Admin wiring: enrolment log actions (shown in Wagtail's history and site history report), the organisers'
participant and occasion lists (enrolment/admin_views.py), and the e-mail outbox for network admins."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from courses import formatting
from courses.library import MATERIAL_ACCESS_HOOK

from . import access
from .admin_views import OnlyTheseViews
from .models import Enrolment, OutboxMessage


@hooks.register("register_log_actions")
def register_enrolment_actions(actions):
    actions.register_action("enrolment.create", _("Enrolment created"), _("Enrolled"))
    actions.register_action(
        "enrolment.promote", _("Promote from the waiting list"), _("Promoted from the waiting list")
    )
    actions.register_action("enrolment.offer", _("Offer seat"), _("Offered a seat"))
    actions.register_action("enrolment.accept_offer", _("Accept offer"), _("Accepted the offered seat"))
    actions.register_action("enrolment.expire_offer", _("Expire offer"), _("Offer expired"))
    actions.register_action("enrolment.approve", _("Approve enrolment"), _("Enrolment approved"))
    actions.register_action("enrolment.reject", _("Reject enrolment"), _("Enrolment rejected"))
    actions.register_action("enrolment.cancel", _("Cancel enrolment"), _("Enrolment cancelled"))
    actions.register_action("occasion.cancel", _("Cancel occasion"), _("Occasion cancelled"))
    actions.register_action("enrolment.occasion_changed", _("Tell about a change"), _("Told about a new time or place"))
    actions.register_action("enrolment.move", _("Move to another occasion"), _("Moved to another occasion"))
    actions.register_action("enrolment.export", _("Export participants"), _("Exported participant data"))
    actions.register_action("occasion.message", _("Message participants"), _("Message sent to the participants"))


@hooks.register("register_admin_viewset")
def register_organiser_viewsets():
    from .admin_views import OrganiserViewSetGroup

    return OrganiserViewSetGroup()


def _is_course(page):
    return page.specific_class is not None and page.specific_class.__name__ == "CoursePage"


@hooks.register("before_edit_page")
def remember_course_rules(request, page):
    """The rules in force (the live row, not a draft) before the owner saves, to say what a change does."""
    if request.method == "POST" and _is_course(page):
        from courses.models import CoursePage

        from .services import enrolment_rules

        request._course_rules_before = enrolment_rules(CoursePage.objects.get(pk=page.pk))


@hooks.register("after_edit_page")
def tell_what_rule_changes_do(request, page):
    """After a save, say what the changed enrolment rules do to the people already enrolled."""
    before = getattr(request, "_course_rules_before", None)
    if before is None or not request.accepts("text/html"):
        return  # not a course, or the editor's autosave (it shows no messages)
    from django.contrib import messages

    from .services import enrolment_rules, rule_change_effects

    effects = rule_change_effects(page, before, enrolment_rules(page))
    published = "action-publish" in request.POST
    for effect in effects:
        if not published:
            effect = _("When you publish: %(effect)s") % {"effect": effect}
        messages.info(request, effect)


@hooks.register("before_delete_page")
def keep_courses_with_enrolments(request, page):
    """A course people have enrolled in is unpublished or its occasions cancelled, never deleted."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if Enrolment.objects.filter(occasion__course__translation_key=page.translation_key).exists() and (
        page.specific_class.__name__ == "CoursePage"
    ):
        messages.error(
            request,
            _("People have enrolled in this course, so it cannot be deleted. Unpublish it or cancel its occasions."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


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
        from django.urls import path

        return [*super().get_urlpatterns(), path("resend/<int:pk>/", self.resend_view, name="resend")]

    def resend_view(self, request, pk):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect

        from . import notifications

        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        message = get_object_or_404(OutboxMessage, pk=pk)
        if request.method != "POST":
            return TemplateResponse(request, "enrolment/admin/resend_confirm.html", {"message": message, "view": self})
        notifications.resend(message.pk)
        messages.success(request, _("The message is queued to be sent again."))
        return redirect(self.get_url_name("index"))


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet("outbox")


# --- Attendance (check-in) -----------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_attendance_actions(actions):
    actions.register_action("enrolment.attended", _("Mark as attended"), _("Marked as attended"))
    actions.register_action("enrolment.no_show", _("Mark as no-show"), _("Marked as no-show"))
    actions.register_action("enrolment.attendance_cleared", _("Clear attendance"), _("Attendance mark removed"))


@hooks.register("register_admin_urls")
def register_checkin_urls():
    from . import checkin

    return checkin.urlpatterns


@hooks.register("register_admin_menu_item")
def register_checkin_menu_item():
    from . import checkin

    return checkin.menu_item()


# --- Certificates of attendance -------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action(
        "enrolment.issue_certificate", _("Issue certificate of attendance"), _("Certificate of attendance issued")
    )


# --- Reports: dashboard panel, report per centre, menu item (enrolment/report_views.py) -------------------


@hooks.register("register_admin_urls")
def register_report_urls():
    from . import report_views

    return report_views.urlpatterns()


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    from . import report_views

    return report_views.menu_item()


@hooks.register("construct_homepage_panels")
def add_upcoming_occasions_panel(request, panels):
    from . import report_views

    if access.may_handle_any(request.user):
        panels.append(report_views.UpcomingOccasionsPanel(request))


@hooks.register(MATERIAL_ACCESS_HOOK)
def material_access_checker(user):
    """Who may open the library's materials: the rules live here, where participants are known."""
    return access.MaterialAccessChecker(user)
