"""Admin wiring: enrolment log actions (shown in Wagtail's history and site history report), the organisers'
screens (enrolment/organisers/: participants, occasions, check-in, reports, the e-mail outbox), and the course
editor's hooks about enrolment rules."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from courses.library import MATERIAL_ACCESS_HOOK
from courses.models import CoursePage

from . import access
from .models import Enrolment
from .organisers import checkin, evaluations, invoices, reports
from .organisers.occasions import OccasionAdminViewSet
from .organisers.outbox import OutboxViewSet
from .organisers.participants import ParticipantViewSet
from .services import enrolment_rules, rule_change_effects


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
    # The line manager's approval (enrolment/manager.py)
    actions.register_action("enrolment.manager_approve", _("Line manager approves"), _("Approved by the line manager"))
    actions.register_action("enrolment.manager_decline", _("Line manager declines"), _("Declined by the line manager"))
    actions.register_action(
        "enrolment.manager_expire", _("Line manager's time runs out"), _("Line manager did not answer in time")
    )
    actions.register_action(
        "enrolment.manager_override",
        _("Approve for the line manager"),
        _("Approved by an organiser on the line manager's behalf"),
    )
    actions.register_action(
        "enrolment.manager_override_decline",
        _("Decline for the line manager"),
        _("Declined by an organiser on the line manager's behalf"),
    )
    actions.register_action(
        "enrolment.manager_resend",
        _("Send the line manager the request again"),
        _("Request sent to the line manager again"),
    )
    actions.register_action(
        "enrolment.manager_change",
        _("Name another line manager"),
        _("The person named another line manager"),
    )


class OrganiserViewSetGroup(ModelViewSetGroup):
    """One "Participants" menu for course owners and network admins."""

    items = (
        OccasionAdminViewSet("occasions"),
        ParticipantViewSet("enrolments"),
    )
    menu_label = _("Participants")
    menu_icon = "group"
    menu_order = 250


@hooks.register("register_admin_viewset")
def register_organiser_viewsets():
    return OrganiserViewSetGroup()


def _is_course(page):
    return page.specific_class is not None and page.specific_class.__name__ == "CoursePage"


@hooks.register("before_edit_page")
def remember_course_rules(request, page):
    """The rules in force (the live row, not a draft) before the owner saves, to say what a change does."""
    if request.method == "POST" and _is_course(page):
        request._course_rules_before = enrolment_rules(CoursePage.objects.get(pk=page.pk))


@hooks.register("after_edit_page")
def tell_what_rule_changes_do(request, page):
    """After a save, say what the changed enrolment rules do to the people already enrolled."""
    before = getattr(request, "_course_rules_before", None)
    if before is None or not request.accepts("text/html"):
        return  # not a course, or the editor's autosave (it shows no messages)
    effects = rule_change_effects(page, before, enrolment_rules(page))
    published = "action-publish" in request.POST
    for effect in effects:
        if not published:
            effect = _("When you publish: %(effect)s") % {"effect": effect}
        messages.info(request, effect)


@hooks.register("before_delete_page")
def keep_courses_with_enrolments(request, page):
    """A course people have enrolled in is unpublished or its occasions cancelled, never deleted."""
    if Enrolment.objects.filter(occasion__course__translation_key=page.translation_key).exists() and (
        page.specific_class.__name__ == "CoursePage"
    ):
        messages.error(
            request,
            _("People have enrolled in this course, so it cannot be deleted. Unpublish it or cancel its occasions."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet("outbox")


# --- Attendance (check-in) -----------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_attendance_actions(actions):
    actions.register_action("enrolment.attended", _("Mark as attended"), _("Marked as attended"))
    actions.register_action("enrolment.no_show", _("Mark as no-show"), _("Marked as no-show"))
    actions.register_action("enrolment.attendance_cleared", _("Clear attendance"), _("Attendance mark removed"))


@hooks.register("register_admin_viewset")
def register_checkin_viewset():
    return checkin.CheckInViewSet()


# --- Certificates of attendance -------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action(
        "enrolment.issue_certificate", _("Issue certificate of attendance"), _("Certificate of attendance issued")
    )
    actions.register_action("enrolment.issue_transcript", _("Issue CPD transcript"), _("CPD transcript issued"))


# --- Reports: dashboard panel, report per centre, menu item (enrolment/organisers/reports.py) --------------


@hooks.register("register_admin_viewset")
def register_reports_viewset():
    return reports.ReportsViewSet()


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return reports.menu_item()


@hooks.register("construct_homepage_panels")
def add_upcoming_occasions_panel(request, panels):
    if access.may_handle_any(request.user):
        panels.append(reports.UpcomingOccasionsPanel(request))


@hooks.register(MATERIAL_ACCESS_HOOK)
def material_access_checker(user):
    """Who may open the library's materials: the rules live here, where participants are known."""
    return access.MaterialAccessChecker(user)


# --- Evaluations (enrolment/organisers/evaluations.py) ----------------------------------------------------


@hooks.register("register_admin_viewset")
def register_evaluations_viewset():
    return evaluations.EvaluationsViewSet()


@hooks.register("register_reports_menu_item")
def register_evaluations_menu_item():
    return evaluations.menu_item()


# --- Fees: the invoice basis (enrolment/organisers/invoices.py) --------------------------------------------


@hooks.register("register_log_actions")
def register_invoice_actions(actions):
    actions.register_action(
        "enrolment.export_invoice_basis", _("Export the invoice basis"), _("Exported the invoice basis")
    )


@hooks.register("register_admin_viewset")
def register_invoice_basis_viewset():
    return invoices.InvoiceBasisViewSet()


@hooks.register("register_reports_menu_item")
def register_invoice_basis_menu_item():
    return invoices.menu_item()
