"""Admin wiring: enrolment log actions (shown in Wagtail's history and site history report) and a
read-mostly list of enrolments for network admins (centre-scoped views come with the organiser tools)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Enrolment


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


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    icon = "group"
    menu_label = _("Enrolments")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["user", "occasion", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    inspect_view_enabled = True
    form_fields = ["status", "message"]

    def get_queryset(self, request):
        return Enrolment.objects.select_related("user", "occasion", "occasion__course")


@hooks.register("register_admin_viewset")
def register_enrolment_viewset():
    return EnrolmentViewSet("enrolments")


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
