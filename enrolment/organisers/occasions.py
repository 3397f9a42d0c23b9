"""Participants › Occasions: the occasions of the user's centres with their seats, and the organiser's tools for
each (participant list, sign-in sheet, check-in, a message to the participants, a capacity change)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from courses.models import Occasion

from .. import access, services
from ..models import Enrolment
from . import invoices
from .filters import OccasionFilterSet
from .forms import CapacityForm, MessageForm
from .participants import back_to, list_url
from .permissions import OnlyTheseViews, require

Status = Enrolment.Status

OCCASION_TOOLS = [
    # label, URL name (taking the occasion's id), icon, whether it comes back to the list
    (_("Sign-in sheet"), "occasions:sign_in_sheet", "doc-full", False),
    (_("Check-in"), "checkin:occasion", "tick-inverse", False),
    (_("Message participants"), "occasions:message", "mail", True),
    (_("Change capacity"), "occasions:capacity", "edit", True),
    (_("Invoice basis"), "occasions:invoice_basis", "download", False),
]


def occasions_with_counts_for(user):
    return (
        access.occasions_for(user)
        .select_related("course")
        .with_seats()
        .annotate(waiting=Count("enrolments", filter=Q(enrolments__status=Status.WAITING)))
    )


class OccasionIndexView(IndexView):
    def get_base_queryset(self):
        return occasions_with_counts_for(self.request.user)

    def get_edit_url(self, instance):
        # Occasions are edited on their course page (in Swedish, which holds them).
        return reverse("wagtailadmin_pages:edit", args=[instance.course_id])

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        participants = f"{reverse('enrolments:index')}?{urlencode({'occasion': instance.pk})}"
        buttons.append(ListingButton(_("Participants"), url=participants, icon_name="group", priority=10))
        if instance.end <= timezone.now():
            evaluation = reverse("evaluations:occasion", args=[instance.pk])
            buttons.append(ListingButton(_("Evaluation"), url=evaluation, icon_name="form", priority=15))
        back = urlencode({"next": list_url(self.request, "occasions:index")})
        for priority, (label, url_name, icon, returns) in enumerate(OCCASION_TOOLS, start=2):
            url = reverse(url_name, args=[instance.pk])
            if returns:
                url = f"{url}?{back}"
            buttons.append(ListingButton(label, url=url, icon_name=icon, priority=priority * 10))
        return buttons


class OccasionAdminViewSet(OnlyTheseViews, ModelViewSet):
    """The occasions of the user's centres, with their seats and the organiser's tools for each."""

    views = ("index", "index_results")

    model = Occasion
    icon = "date"
    menu_label = _("Occasions")
    menu_order = 200
    list_display = [
        "__str__",
        "city",
        "capacity",
        Column("seats_taken", label=_("Seats taken"), accessor="seats_taken"),
        Column("waiting", label=_("On the waiting list"), accessor="waiting"),
        "status",
    ]
    filterset_class = OccasionFilterSet
    search_fields = ["course__title", "city", "venue"]
    search_backend_name = None
    index_view_class = OccasionIndexView
    inspect_view_enabled = False
    form_fields = []
    add_to_reference_index = False
    ordering = ["start"]

    def get_queryset(self, request):
        return occasions_with_counts_for(request.user)

    def get_urlpatterns(self):
        # Occasions are edited on their course page; here only the organiser's tools.
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/sign-in-sheet/", self.sign_in_sheet_view, name="sign_in_sheet"),
            path("<int:pk>/message/", self.message_view, name="message"),
            path("<int:pk>/capacity/", self.capacity_view, name="capacity"),
            path("<int:pk>/invoice-basis/", self.invoice_basis_view, name="invoice_basis"),
        ]

    def _occasion(self, request, pk):
        require(self, request)
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def sign_in_sheet_view(self, request, pk):
        """A printable list to sign on the day: confirmed participants by last name, one line each."""
        occasion = self._occasion(request, pk)
        participants = (
            Enrolment.objects.filter(occasion=occasion, status__in=[Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW])
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        services.record_export(request.user, "sign_in_sheet", len(participants), {"occasion": [str(pk)]}, [])
        response = TemplateResponse(
            request, "enrolment/admin/sign_in_sheet.html", {"occasion": occasion, "participants": participants}
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def invoice_basis_view(self, request, pk):
        """The occasion's invoice basis as a file (Excel, or CSV with ?export=csv)."""
        return invoices.occasion_invoice_basis(request, self._occasion(request, pk))

    def message_view(self, request, pk):
        occasion = self._occasion(request, pk)
        back = back_to(request, "occasions:index")
        form = MessageForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                count = services.message_participants(
                    occasion.pk,
                    request.user,
                    form.cleaned_data["subject"],
                    form.cleaned_data["body"],
                    form.cleaned_data["audience"],
                )
            except services.EnrolmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message is on its way to %(count)s person.",
                        "The message is on its way to %(count)s people.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(back)
        return TemplateResponse(
            request,
            "enrolment/admin/occasion_form.html",
            {"occasion": occasion, "form": form, "title": _("Message participants"), "back": back},
        )

    def capacity_view(self, request, pk):
        occasion = self._occasion(request, pk)
        back = back_to(request, "occasions:index")
        form = CapacityForm(request.POST or None, initial={"capacity": occasion.capacity})
        if request.method == "POST" and form.is_valid():
            try:
                promoted = services.change_capacity(occasion.pk, form.cleaned_data["capacity"], request.user)
            except services.EnrolmentError as error:
                form.add_error("capacity", error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Capacity changed. %(count)s person got a seat from the waiting list.",
                        "Capacity changed. %(count)s people got a seat from the waiting list.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
                return redirect(back)
        return TemplateResponse(
            request,
            "enrolment/admin/occasion_form.html",
            {"occasion": occasion, "form": form, "title": _("Change capacity"), "back": back},
        )
