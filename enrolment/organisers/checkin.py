"""Check-in in the Wagtail admin: who came to an occasion, marked on a tablet at the door.

A centre's check-in helpers, its course owners and network admins (access.CHECK_IN) see the occasions of
their centres, today's first, and for one occasion a list of its participants with one large button each.
Marking goes through services.mark_attendance / mark_all_present. Helpers see name, profession and workplace
only (data minimisation); those who manage the occasion (access.MANAGE) also see the e-mail address.
A Wagtail viewset (`checkin:` URLs under /admin/checkin/), registered from wagtail_hooks.py; the admin's URL
decorator adds the login and admin-access checks.
"""

import datetime as dt
import unicodedata

from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from courses.formatting import format_period
from courses.models import titles_in_language

from .. import access, services
from ..models import Enrolment
from .permissions import require_role

Status = Enrolment.Status
UPCOMING_DAYS = 14
RECENT_DAYS = 7


# --- Queries ------------------------------------------------------------------------------------------


def checkin_occasions(user):
    """Occasions `user` may take attendance for, with participant and attended counts."""
    return (
        access.occasions_for(user, access.CHECK_IN)
        .scheduled()
        .select_related("course")
        .annotate(
            participants=Count("enrolments", filter=Q(enrolments__status__in=services.ATTENDANCE_STATUSES)),
            attended=Count("enrolments", filter=Q(enrolments__status=Status.ATTENDED)),
        )
    )


def attendance_counts(occasion):
    counts = Enrolment.objects.filter(occasion=occasion).aggregate(
        unmarked=Count("pk", filter=Q(status=Status.CONFIRMED)),
        attended=Count("pk", filter=Q(status=Status.ATTENDED)),
        no_show=Count("pk", filter=Q(status=Status.NO_SHOW)),
    )
    counts["total"] = sum(counts.values())
    return counts


def course_titles(occasions):
    """{occasion id: its course's title in the admin's language}; occasions hang on the Swedish page."""
    titles = titles_in_language((occasion.course.translation_key, occasion.course.title) for occasion in occasions)
    return {occasion.pk: titles[occasion.course.translation_key] for occasion in occasions}


def state_label(status):
    return _("Not marked") if status == Status.CONFIRMED else Status(status).label


def fold(text):
    """Lower case without accents, as the page's script searches: "ostlund" finds "Östlund"."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def participant_rows(occasion, query="", show_email=False):
    """What the check-in list shows per person: never the answers, the e-mail only to those who manage."""
    enrolments = (
        Enrolment.objects.filter(occasion=occasion, status__in=services.ATTENDANCE_STATUSES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    # Filtered here rather than in SQL: one occasion's list is short, and SQLite's LIKE folds ASCII only.
    terms = fold(query).split()
    enrolments = [e for e in enrolments if all(term in fold(e.user.get_full_name()) for term in terms)]
    rows = []
    for enrolment in enrolments:
        user = enrolment.user
        name = user.get_full_name() or "–"
        rows.append(
            {
                "id": enrolment.pk,
                "name": name,
                "profession": user.get_profession_display(),
                "workplace": user.workplace,
                "email": user.email if show_email else "",
                "status": enrolment.status,
                "attended": enrolment.status == Status.ATTENDED,
                "state": state_label(enrolment.status),
                "url": reverse("checkin:mark", args=[occasion.pk, enrolment.pk]),
            }
        )
    return rows


# --- Views --------------------------------------------------------------------------------------------


class CheckInMixin:
    """Only people with a check-in role somewhere; which occasions they reach is scoped per query."""

    def dispatch(self, request, *args, **kwargs):
        require_role(request.user, access.CHECK_IN)  # the admin turns a refusal into its "no permission" redirect
        return super().dispatch(request, *args, **kwargs)

    def get_occasion(self):
        return get_object_or_404(checkin_occasions(self.request.user), pk=self.kwargs["occasion_id"])


class OccasionListView(CheckInMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "enrolment/admin/checkin_index.html"
    page_title = _("Check-in")
    header_icon = "tick-inverse"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
        tomorrow = today + dt.timedelta(days=1)
        occasions = list(
            checkin_occasions(self.request.user)
            .filter(
                start__lt=tomorrow + dt.timedelta(days=UPCOMING_DAYS), end__gte=today - dt.timedelta(days=RECENT_DAYS)
            )
            .order_by("start", "pk")
        )
        titles = course_titles(occasions)
        for occasion in occasions:
            occasion.title = titles[occasion.pk]
            occasion.when = format_period(occasion.start, occasion.end)
        context["sections"] = [
            (_("Today"), [o for o in occasions if o.start < tomorrow and o.end >= today]),
            (_("Next 14 days"), [o for o in occasions if o.start >= tomorrow]),
            (_("Recently ended"), [o for o in reversed(occasions) if o.end < today]),
        ]
        return context


class CheckInView(CheckInMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "enrolment/admin/checkin.html"
    header_icon = "tick-inverse"

    def get_page_title(self):
        return self.title

    def get_page_subtitle(self):
        return format_period(self.occasion.start, self.occasion.end)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("checkin:index"), "label": _("Check-in")},
            {"url": "", "label": self.title},
        ]

    def get_context_data(self, **kwargs):
        self.occasion = occasion = self.get_occasion()
        self.title = course_titles([occasion])[occasion.pk]
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        show_email = access.may_handle(self.request.user, occasion, access.MANAGE)
        context.update(
            occasion=occasion,
            when=self.get_page_subtitle(),
            query=query,
            rows=participant_rows(occasion, query, show_email),
            counts=attendance_counts(occasion),
            is_open=services.attendance_is_open(occasion),
            all_present_url=reverse("checkin:all_present", args=[occasion.pk]),
        )
        return context


def wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


class MarkView(CheckInMixin, View):
    """Toggle one person: JSON for the page's script, a redirect back to the list for the plain form."""

    http_method_names = ["post"]

    def post(self, request, occasion_id, enrolment_id):
        occasion = self.get_occasion()
        enrolment = get_object_or_404(Enrolment.objects.select_related("user"), pk=enrolment_id, occasion=occasion)
        try:
            enrolment = services.mark_attendance(enrolment.pk, request.user, request.POST.get("attended") == "1")
        except services.EnrolmentError as error:
            if wants_json(request):
                return JsonResponse({"error": str(error.message)}, status=400)
            messages.error(request, error.message)
        else:
            if wants_json(request):
                name = enrolment.user.get_full_name()
                return JsonResponse(
                    {
                        "id": enrolment.pk,
                        "status": enrolment.status,
                        "attended": enrolment.status == Status.ATTENDED,
                        "state": str(state_label(enrolment.status)),
                        "message": f"{name}: {state_label(enrolment.status)}",
                        "counts": attendance_counts(occasion),
                    }
                )
        # Back to the same person in the same (searched) list.
        url = reverse("checkin:occasion", args=[occasion.pk])
        if query := request.POST.get("q", "").strip()[:100]:
            url += "?" + urlencode({"q": query})
        return redirect(f"{url}#enrolment-{enrolment.pk}")


class AllPresentView(CheckInMixin, View):
    """Everyone not yet marked is marked attended, after a confirmation (the script asks in the page)."""

    http_method_names = ["get", "post"]

    def get(self, request, occasion_id):
        occasion = self.get_occasion()
        return TemplateResponse(
            request,
            "enrolment/admin/checkin_all_present.html",
            {
                "occasion": occasion,
                "title": course_titles([occasion])[occasion.pk],
                "when": format_period(occasion.start, occasion.end),
                "counts": attendance_counts(occasion),
            },
        )

    def post(self, request, occasion_id):
        if request.POST.get("confirm") != "1":
            return self.get(request, occasion_id)
        occasion = self.get_occasion()
        try:
            marked = services.mark_all_present(occasion.pk, request.user)
        except services.EnrolmentError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s participant marked as attended.",
                    "%(count)s participants marked as attended.",
                    marked,
                )
                % {"count": marked},
            )
        return redirect("checkin:occasion", occasion.pk)


class CheckInMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_handle_any(request.user, access.CHECK_IN)


class CheckInViewSet(ViewSet):
    """Check-in: the occasions to take attendance for, one occasion's list, marking one person or everyone."""

    name = "checkin"
    icon = "tick-inverse"
    menu_label = _("Check-in")
    menu_order = 240
    add_to_admin_menu = True
    menu_item_class = CheckInMenuItem

    def get_urlpatterns(self):
        return [
            path("", OccasionListView.as_view(), name="index"),
            path("<int:occasion_id>/", CheckInView.as_view(), name="occasion"),
            path("<int:occasion_id>/mark/<int:enrolment_id>/", MarkView.as_view(), name="mark"),
            path("<int:occasion_id>/all-present/", AllPresentView.as_view(), name="all_present"),
        ]
