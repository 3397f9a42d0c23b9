"""The participant list (Participants › Enrolments): every enrolment of the courses the user manages, filtered,
searched, exported, and the actions on one person (approve, reject, give a seat, move, cancel)."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.db.models import Case, F, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton, ListingButton
from wagtail.log_actions import registry as log_registry

from courses import formatting
from courses.models import Occasion

from .. import access, invoicing, manager, services
from ..models import Enrolment
from . import exports
from .filters import ParticipantFilterSet
from .forms import EnrolmentActionForm, ExportColumnsForm
from .permissions import OnlyTheseViews, require

Status = Enrolment.Status

ENROLMENT_ACTIONS = {
    # action: (label, allowed from these statuses, needs a target occasion)
    "approve": (_("Approve enrolment"), [Status.PENDING], False),
    "reject": (_("Reject enrolment"), [Status.PENDING], False),
    "promote": (_("Give a seat"), [Status.WAITING, Status.OFFERED], False),
    "move": (_("Move to another occasion"), Enrolment.ACTIVE_STATUSES, True),
    "cancel": (_("Cancel enrolment"), Enrolment.ACTIVE_STATUSES, False),
    # The line manager's approval (enrolment/manager.py)
    "manager_resend": (_("Send the line manager the request again"), [Status.AWAITING_MANAGER], False),
    "manager_approve": (_("Approve for the line manager"), [Status.AWAITING_MANAGER], False),
    "manager_decline": (_("Decline for the line manager"), [Status.AWAITING_MANAGER], False),
}
# Actions served by enrolment.manager instead of enrolment.services.
MANAGER_ACTIONS = {
    "manager_resend": manager.resend_request,
    "manager_approve": manager.approve_for_manager,
    "manager_decline": manager.decline_for_manager,
}


def awaiting_whom(enrolment):
    """Whom an enrolment awaits: {"name", "email", "deadline"} of the line manager, or None."""
    if enrolment.status != Status.AWAITING_MANAGER:
        return None
    approval = getattr(enrolment, "manager_approval", None)
    if approval is None:
        return None
    deadline = formatting.format_datetime(approval.deadline) if approval.deadline else "–"
    return {"name": approval.manager_name, "email": approval.manager_email, "deadline": deadline}


def awaiting_whom_text(enrolment):
    """The same in one line, for the participant's own page."""
    whom = awaiting_whom(enrolment)
    return _("%(name)s <%(email)s>, by %(deadline)s") % whom if whom else ""


class StatusColumn(Column):
    """The status, and under "awaiting the line manager" whom it awaits (name, address, deadline): who is
    awaiting whom, without another column."""

    cell_template_name = "enrolment/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), "whom": awaiting_whom(instance)}


def participants_for(user):
    """The enrolments a user may see: those of their centres' occasions (every one for network admins)."""
    enrolments = Enrolment.objects.filter(occasion__in=access.occasions_for(user))
    return (
        enrolments.with_waiting_numbers()
        .annotate(course_title=F("occasion__course__title"))
        .select_related("user", "occasion", "occasion__course", "manager_approval")
    )


def list_url(request, url_name="enrolments:index"):
    """The list as the user filtered it (for the way back after an action), whichever view drew the rows."""
    query = request.GET.copy()
    for key in ("_w_filter_fragment", "export", "columns", "include_cancelled", "next"):
        query.pop(key, None)
    return f"{reverse(url_name)}?{query.urlencode()}" if query else reverse(url_name)


def back_to(request, default):
    """Where an action returns: the filtered list it came from (an admin URL of this site), else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url.startswith("/admin/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if safe else reverse(default)


class ParticipantIndexView(IndexView):
    """The list. Its export does not use Wagtail's spreadsheet mixin (no `list_export`, so no "…" download
    items): the Export button opens a page to choose columns, cancelled people and format, whose file comes
    from `exports` with this list's filters."""

    # Upcoming occasions first, nearest first; then past ones, latest first (an owner works on what comes next).
    default_ordering = (
        F("upcoming_start").asc(nulls_last=True),
        F("occasion__start").desc(),
        "user__last_name",
        "user__first_name",
        "pk",
    )

    def get_base_queryset(self):
        upcoming = Case(When(occasion__end__gte=timezone.now(), then=F("occasion__start")))
        return participants_for(self.request.user).annotate(upcoming_start=upcoming)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: the listing's context would build a table of every row in memory first.
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request):
        if self.filters and not self.filters.is_valid():
            messages.error(request, _("Correct the filters before you export."))
            return redirect(list_url(request))
        chosen = ExportColumnsForm(request.GET)
        chosen.is_valid()  # every field is optional: what is not valid is not chosen
        options = getattr(chosen, "cleaned_data", {})
        # An explicit status filter says who to export; otherwise cancelled people only when asked for.
        asked = options.get("include_cancelled") or request.GET.getlist("status")
        # By occasion, then in the order people enrolled (the list's order is for reading, not for the file).
        enrolments = exports.exported(self.get_queryset(), include_cancelled=bool(asked)).order_by(
            "occasion__start", "pk"
        )
        columns = [key for key in exports.COLUMNS if key in set(options.get("columns") or [])]
        columns = columns or exports.DEFAULT_COLUMNS
        filters = {key: request.GET.getlist(key) for key in request.GET if key not in {"export", "columns"}}
        spreadsheet_format = request.GET.get("export")
        services.record_export(request.user, spreadsheet_format, enrolments.count(), filters, columns)
        occasion = self.filters.form.cleaned_data.get("occasion") if self.filters else None
        headings, rows = exports.participant_table(exports.export_values(enrolments), columns)
        name = exports.file_name(occasion)
        if spreadsheet_format == "csv":
            response = exports.csv_response(name, headings, rows)
        else:
            response = exports.xlsx_response(name, headings, rows, _("Participants"))
        response["Cache-Control"] = "private, no-store"
        return response

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        back = list_url(self.request)
        for action, (label, statuses, _target) in ENROLMENT_ACTIONS.items():
            if instance.status in statuses:
                url = f"{reverse('enrolments:act', args=[instance.pk, action])}?{_next(back)}"
                buttons.append(ListingButton(label, url=url, icon_name="edit", priority=10))
        return buttons

    @cached_property
    def header_buttons(self):
        # A labelled button beside the title, not a "…" menu: owners look for "Export".
        query = self.request.GET.copy()
        for key in ("export", "p", "columns", "_w_filter_fragment"):
            query.pop(key, None)
        url = f"{reverse('enrolments:export')}?{query.urlencode()}"
        return [*super().header_buttons, HeaderButton(_("Export"), url=url, icon_name="download")]


def _next(url):
    return urlencode({"next": url})


class ParticipantInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(participants_for(self.request.user), pk=unquote(str(self.pk)))

    def get_field_label(self, field_name, field):
        if field_name == "manager_approval":
            return _("Awaiting line manager")
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        enrolment = self.object
        if field_name == "user":
            return f"{enrolment.user.get_full_name()} <{enrolment.user.email}>"
        if field_name == "answers":
            return exports.answers_text(enrolment.answers) or "–"
        if field_name == "fee":
            return invoicing.enrolment_fee_text(enrolment)
        if field_name == "manager_approval":
            return awaiting_whom_text(enrolment) or "–"
        if field_name in {"created_at", "updated_at"}:
            # Wagtail prints the stored UTC time; organisers read Stockholm's, as everywhere else.
            value = getattr(enrolment, field_name)
            return formatting.format_datetime(value) if value else "–"
        return super().get_field_display_value(field_name, field)

    @cached_property
    def header_buttons(self):
        # The enrolment's history (who approved, moved, marked attendance), one click from the person.
        history = reverse("enrolments:history", args=[quote(self.object.pk)])
        return [*super().header_buttons, Button(_("History"), url=history, icon_name="history", priority=30)]


class ParticipantHistoryView(HistoryView):
    """One enrolment's history, every entry. Wagtail's history keeps only the latest entry per log context and
    action across all objects, so when one publish or capacity change wrote the same action for several people,
    each person's history lost theirs: here each entry of this enrolment is shown."""

    def get_object(self, queryset=None):
        return get_object_or_404(participants_for(self.request.user), pk=unquote(str(self.pk)))

    def get_base_queryset(self):
        return self._annotate_queryset(log_registry.get_logs_for_instance(self.object))


class ParticipantViewSet(OnlyTheseViews, ModelViewSet):
    """Every enrolment of the courses the user manages: filter, search, export, and act on one person."""

    model = Enrolment
    icon = "group"
    menu_label = _("Participants")
    menu_order = 100
    list_display = [
        "user",
        Column("email", label=_("E-mail"), accessor="user.email"),
        "occasion",
        StatusColumn("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("waiting_number", label=_("Waiting-list position"), accessor="waiting_number"),
        "created_at",
    ]
    filterset_class = ParticipantFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "user__workplace"]
    search_backend_name = None  # enrolments are not in the search index: the database searches
    inspect_view_enabled = True
    inspect_view_fields = [
        "user",
        "occasion",
        "status",
        "manager_approval",
        "answers",
        "message",
        "created_at",
        "updated_at",
    ]
    # A course with a fee: what the person enrolled for and who is invoiced (enrolment/invoicing.py).
    inspect_view_fields += ["fee", "invoice_organisation", "cost_centre", "invoice_reference", "fee_stands"]
    index_view_class = ParticipantIndexView
    form_fields = []
    # Enrolments reference nothing editors need a usage count for; indexing them would run inside the seat lock.
    add_to_reference_index = False

    inspect_view_class = ParticipantInspectView
    history_view_class = ParticipantHistoryView
    views = ("index", "index_results", "inspect", "history", "history_results")

    def get_queryset(self, request):
        return participants_for(request.user)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("export/", self.export_view, name="export"),
            path("<int:pk>/<str:action>/", self.act_view, name="act"),
        ]

    def export_view(self, request):
        """Choose the columns, whether cancelled people come along, and the format; the current filters come
        along in the query string."""
        require(self, request)
        query = request.GET.copy()
        for key in ("columns", "include_cancelled"):
            query.pop(key, None)
        hidden = [(key, value) for key in query for value in query.getlist(key) if key not in {"export", "p"}]
        form = ExportColumnsForm(initial={"columns": exports.DEFAULT_COLUMNS})
        return TemplateResponse(
            request,
            "enrolment/admin/export.html",
            {"form": form, "hidden": hidden, "index_url": list_url(request)},
        )

    def act_view(self, request, pk, action):
        """Approve, reject, promote, move or cancel one enrolment, with an optional message to the person; then
        back to the list as it was filtered."""
        require(self, request)
        if action not in ENROLMENT_ACTIONS:
            raise Http404
        enrolment = get_object_or_404(self.get_queryset(request), pk=pk)
        label, statuses, needs_target = ENROLMENT_ACTIONS[action]
        targets = []
        if needs_target:
            targets = list(
                Occasion.objects.filter(course_id=enrolment.occasion.course_id, start__gt=timezone.now())
                .scheduled()
                .exclude(pk=enrolment.occasion_id)
                .with_seats()
                .order_by("start")
            )
        back = back_to(request, "enrolments:index")
        form = EnrolmentActionForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            message = form.cleaned_data["message"]
            try:
                if action == "cancel":
                    services.cancel(enrolment.pk, request.user, as_organiser=True, reason=message)
                elif action == "move":
                    target = request.POST.get("occasion", "")
                    if not target.isdigit() or int(target) not in {occasion.pk for occasion in targets}:
                        raise services.EnrolmentError(_("Choose one of the listed occasions."), code="target")
                    services.move(enrolment.pk, int(target), request.user, message)
                elif action in MANAGER_ACTIONS:
                    MANAGER_ACTIONS[action](enrolment.pk, request.user, message)
                else:
                    getattr(services, action)(enrolment.pk, request.user, message)
            except services.EnrolmentError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Done: %(action)s for %(person)s.") % {"action": label, "person": enrolment.user}
                )
            return redirect(back)
        return TemplateResponse(
            request,
            "enrolment/admin/act_confirm.html",
            {
                "enrolment": enrolment,
                "label": label,
                "action": action,
                "targets": targets,
                "form": form,
                "view": self,
                "back": back,
            },
            status=400 if form.is_bound else 200,
        )
