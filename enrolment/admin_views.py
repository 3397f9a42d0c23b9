"""The organisers' admin: participant lists with export, and the actions on enrolments and occasions.

Enrolment data lives outside the page tree, so Wagtail's page permissions do not reach it: every queryset here
starts from `access.occasions_for(user)` (a course owner's own centre, everything for network admins), so
another centre's ids give 404, and people without a role get Wagtail's permission-denied page. Changes go
through `enrolment.services`, never a plain model form, so seats, the waiting list, the audit log and the
e-mails stay right.
"""

import codecs
import csv
import datetime as dt
import io
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button, ListingButton
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.language import active_language
from accounts.regions import REGIONS
from courses.centres import courses_under_centres
from courses.models import Centre, CoursePage, Occasion

from . import access, services
from .models import Enrolment

Status = Enrolment.Status
REGION_NAMES = dict(REGIONS)


class CentreScopedPolicy(BasePermissionPolicy):
    """Who may open the organisers' lists: network admins and course owners, and for one enrolment or occasion
    only those who manage its centre. Every question Wagtail asks about an instance, or about which instances,
    is answered from `access.occasions_for(user)`; nothing here can add or delete rows."""

    ACTIONS = {"view", "change", "export"}

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and access.may_handle_any(user, access.MANAGE)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        occasion = instance if isinstance(instance, Occasion) else instance.occasion
        return self.user_has_permission(user, action) and access.may_handle(user, occasion)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        occasions = access.occasions_for(user)
        if self.model is Occasion:
            return occasions
        return self.model.objects.filter(occasion__in=occasions)

    def users_with_any_permission(self, actions):
        raise NotImplementedError


# Registered for the models, as Wagtail asks, so every admin view of them (and the menu) uses it.
register_permission_policy(Enrolment, CentreScopedPolicy(Enrolment), exact_class=True)
register_permission_policy(Occasion, CentreScopedPolicy(Occasion), exact_class=True)


class OnlyTheseViews:
    """A viewset that registers only the views in `views`, and links to no other.

    Wagtail's generated views (add, edit, delete, copy, history, usage) ask the permission policy about the model,
    not the object, and load it by id from the whole table: whatever an organiser does not need is not there at
    all, so no id of another centre's row can reach one. tests/enrolment/test_admin_scope.py walks every admin URL.
    """

    views = ("index", "index_results", "inspect")
    GENERATED = ("add", "edit", "delete", "copy", "history", "usage", "inspect", "reorder")

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in self.GENERATED:
            if name not in self.views:
                view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.views]

    @property
    def url_finder_class(self):
        # Links from the history report and log entries go to the inspect view, or nowhere.
        inspect = self.get_url_name("inspect") if "inspect" in self.views else None

        class URLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect, args=[quote(instance.pk)]) if inspect else None

        return URLFinder


# --- Filters ------------------------------------------------------------------------------------------


def _scoped_courses(user):
    """The Swedish course pages (which hold the occasions) the user may manage, by title."""
    return access.courses_for(user).filter(locale__language_code="sv").order_by("title")


class ParticipantFilterSet(WagtailFilterSet):
    centre = django_filters.ModelChoiceFilter(
        label=_("ATMP-centre"), queryset=Centre.objects.none(), method="filter_centre"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("course"), queryset=CoursePage.objects.none(), method="filter_course"
    )
    occasion = django_filters.ModelChoiceFilter(label=_("occasion"), queryset=Occasion.objects.none())
    status = django_filters.MultipleChoiceFilter(label=_("status"), choices=Status.choices)
    starts_from = django_filters.DateFilter(
        label=_("occasions from"), field_name="occasion__start", lookup_expr="date__gte"
    )
    starts_until = django_filters.DateFilter(
        label=_("occasions until"), field_name="occasion__start", lookup_expr="date__lte"
    )

    class Meta:
        model = Enrolment
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        centres = Centre.objects.filter(locale__language_code="sv")
        if not access.is_network_admin(user):
            centres = centres.filter(pk__in=access.centre_ids_for(user))
        courses = _scoped_courses(user)
        self.filters["centre"].queryset = centres
        self.filters["course"].queryset = courses
        self.filters["occasion"].queryset = (
            Occasion.objects.filter(course__in=courses).select_related("course").order_by("-start")
        )

    def filter_centre(self, queryset, name, centre):
        return queryset.filter(occasion__course__in=courses_under_centres([centre.pk]))

    def filter_course(self, queryset, name, course):
        return queryset.filter(occasion__course__translation_key=course.translation_key)


# --- Columns ------------------------------------------------------------------------------------------


def answer_text(answer):
    """An answer as text: the options ticked in a multiple-choice question are listed with commas."""
    return ", ".join(answer) if isinstance(answer, list) else str(answer)


def _answers(answers):
    return "\n".join(f"{item['question']}: {answer_text(item['answer'])}" for item in (answers or {}).values())


@dataclass(frozen=True)
class ExportContext:
    """What every row of one export shares, looked up once: per row, the language and time zone lookups
    (thread-local reads) and lazy labels were a large share of a big export's time."""

    language: str
    zone: dt.tzinfo

    @classmethod
    def current(cls):
        return cls(active_language(), timezone.get_current_timezone())

    def local(self, moment):
        return moment.astimezone(self.zone).replace(tzinfo=None)  # spreadsheets have no time zones

    def status(self, row):
        return _status_label(self.language, row["status"])

    def attendance(self, row):
        return self.status(row) if row["status"] in (Status.ATTENDED, Status.NO_SHOW) else ""

    def region(self, row):
        return _region_label(self.language, row["user__region"])


@lru_cache(maxsize=64)
def _status_label(language, status):
    return str(Status(status).label)


@lru_cache(maxsize=256)
def _region_label(language, region):
    return str(REGION_NAMES.get(region, region))


@dataclass(frozen=True)
class ExportColumn:
    label: str
    value: Callable  # (one row of EXPORT_VALUES, the ExportContext) -> the cell


# Each row of an export is a dict of these values, not model instances (four per row, built and thrown
# away, were most of a 10,000-row export's time); the course page is only its title.
EXPORT_VALUES = [
    "status",
    "answers",
    "created_at",
    "waiting_number",
    "course_title",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__workplace",
    "user__region",
    "user__profession__name",
    "occasion__start",
    "occasion__end",
    "occasion__city",
]

COLUMNS = OrderedDict(
    [
        ("first_name", ExportColumn(_("First name"), lambda row, export: row["user__first_name"])),
        ("last_name", ExportColumn(_("Last name"), lambda row, export: row["user__last_name"])),
        ("email", ExportColumn(_("E-mail"), lambda row, export: row["user__email"])),
        ("profession", ExportColumn(_("Profession"), lambda row, export: row["user__profession__name"] or "")),
        ("workplace", ExportColumn(_("Workplace"), lambda row, export: row["user__workplace"])),
        ("region", ExportColumn(_("Region"), lambda row, export: export.region(row))),
        ("course", ExportColumn(_("Course"), lambda row, export: row["course_title"])),
        ("occasion_start", ExportColumn(_("Starts"), lambda row, export: export.local(row["occasion__start"]))),
        ("occasion_end", ExportColumn(_("Ends"), lambda row, export: export.local(row["occasion__end"]))),
        ("city", ExportColumn(_("City"), lambda row, export: row["occasion__city"])),
        ("status", ExportColumn(_("Status"), lambda row, export: export.status(row))),
        ("waiting_number", ExportColumn(_("Waiting-list position"), lambda row, export: row["waiting_number"])),
        ("answers", ExportColumn(_("Answers"), lambda row, export: _answers(row["answers"]))),
        ("enrolled_at", ExportColumn(_("Enrolled at"), lambda row, export: export.local(row["created_at"]))),
        ("attendance", ExportColumn(_("Attendance"), lambda row, export: export.attendance(row))),
    ]
)
DEFAULT_COLUMNS = [key for key in COLUMNS if key not in {"occasion_end", "city"}]

# OWASP CSV injection: a cell starting with one of these is read as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class EnrolmentActionForm(forms.Form):
    # A form, not request.POST: a NUL character or an overlong text gets Django's message, not a 500.
    message = forms.CharField(label=_("Message to the participant (optional)"), required=False, max_length=2000)


class ExportColumnsForm(forms.Form):
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=[(key, column.label) for key, column in COLUMNS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def participants_for(user):
    """The enrolments a user may see: those of their centres' occasions (every one for network admins)."""
    enrolments = Enrolment.objects.filter(occasion__in=access.occasions_for(user))
    return (
        enrolments.with_waiting_numbers()
        .annotate(course_title=F("occasion__course__title"))
        .select_related("user", "user__profession", "occasion", "occasion__course")
    )


def occasions_with_counts_for(user):
    return (
        access.occasions_for(user)
        .select_related("course")
        .with_seats()
        .annotate(waiting=Count("enrolments", filter=Q(enrolments__status=Status.WAITING)))
    )


class ParticipantInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(participants_for(self.request.user), pk=unquote(str(self.pk)))

    def get_field_display_value(self, field_name, field):
        enrolment = self.object
        if field_name == "user":
            return f"{enrolment.user.get_full_name()} <{enrolment.user.email}>"
        if field_name == "answers":
            return _answers(enrolment.answers) or "–"
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


# --- The participant list -----------------------------------------------------------------------------

ENROLMENT_ACTIONS = {
    # action: (label, allowed from these statuses, needs a target occasion)
    "approve": (_("Approve enrolment"), [Status.PENDING], False),
    "reject": (_("Reject enrolment"), [Status.PENDING], False),
    "promote": (_("Give a seat"), [Status.WAITING, Status.OFFERED], False),
    "move": (_("Move to another occasion"), Enrolment.ACTIVE_STATUSES, True),
    "cancel": (_("Cancel enrolment"), Enrolment.ACTIVE_STATUSES, False),
}


FILE_PREFIX = _("participants")  # the start of an export's file name


class ParticipantIndexView(IndexView):
    export_chunk_size = 500

    def get_base_queryset(self):
        return participants_for(self.request.user)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: the listing's context would build a table of every row in memory first.
            self.object_list = self.get_queryset()
            return self.as_spreadsheet(self.object_list, request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        chosen = ExportColumnsForm(request.GET)
        columns = set(chosen.cleaned_data["columns"]) if chosen.is_valid() else set()
        self.list_export = [key for key in COLUMNS if key in columns] or DEFAULT_COLUMNS

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        for action, (label, statuses, _target) in ENROLMENT_ACTIONS.items():
            if instance.status in statuses:
                url = reverse("enrolments:act", args=[instance.pk, action])
                buttons.append(ListingButton(label, url=url, icon_name="edit", priority=10))
        return buttons

    @cached_property
    def header_more_buttons(self):
        query = self.request.GET.copy()
        for key in ("export", "p", "columns"):
            query.pop(key, None)
        url = f"{reverse('enrolments:export')}?{query.urlencode()}"
        label = _("Choose columns and export")
        return [*super().header_more_buttons, Button(label, url=url, icon_name="download", priority=80)]

    # Export: our own columns, neutralised cells, UTF-8 with BOM, streamed, audited.

    def get_heading(self, queryset, field):
        return str(COLUMNS[field].label)

    def get_filename(self):
        occasion = self.filters.form.cleaned_data.get("occasion") if self.filters and self.filters.is_valid() else None
        if occasion:
            day = timezone.localtime(occasion.start).date().isoformat()
            return f"{slugify(FILE_PREFIX)}-{slugify(occasion.course.title)[:60]}-{day}"
        return f"{slugify(FILE_PREFIX)}-{timezone.localdate().isoformat()}"

    def _rows(self, queryset, clean=None):
        """Each exported row as a list of cells in the order of `list_export`; strings are `clean`ed (if given),
        then neutralised."""
        export = ExportContext.current()
        columns = [COLUMNS[key].value for key in self.list_export]
        rows = queryset.select_related(None).values(*EXPORT_VALUES).iterator(chunk_size=self.export_chunk_size)
        for row in rows:
            cells = [value(row, export) for value in columns]
            if clean:
                cells = [clean(cell) if isinstance(cell, str) else cell for cell in cells]
            yield [neutralise(cell) for cell in cells]

    def stream_csv(self, queryset):
        # Excel reads a UTF-8 file as the local code page unless it starts with a byte-order mark.
        yield codecs.BOM_UTF8.decode("utf-8")
        rows = super().stream_csv(queryset.none())
        yield next(rows)  # the heading row
        yield from self._chunks(queryset)

    def _chunks(self, queryset):
        # The cells are already plain values (str() of a datetime is what Wagtail's CSV export writes).
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for number, cells in enumerate(self._rows(queryset), start=1):
            writer.writerow(cells)
            if number % self.export_chunk_size == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(self.stream_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{self.get_filename()}.csv")
        return response

    def write_xlsx(self, queryset, output):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # write_only: rows go straight to a temporary file, so memory stays flat whatever the row count.
        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title=str(_("Participants"))[:31])
        worksheet.append([self.get_heading(queryset, field) for field in self.list_export])

        def strip_illegal(text):  # control characters a profile may hold but XML cannot
            return ILLEGAL_CHARACTERS_RE.sub("", text)

        def cell(value):  # plain values are written as they are; only dates need a cell (for their format)
            if isinstance(value, dt.datetime):
                value = WriteOnlyCell(worksheet, value)
                value.number_format = "yyyy-mm-dd hh:mm"
            return value

        for cells in self._rows(queryset, clean=strip_illegal):
            worksheet.append([cell(value) for value in cells])
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            filename=f"{self.get_filename()}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if self.filters and not self.filters.is_valid():
            messages.error(self.request, _("Correct the filters before you export."))
            query = self.request.GET.copy()
            query.pop("export", None)
            return redirect(f"{reverse('enrolments:index')}?{query.urlencode()}")
        filters = {key: self.request.GET.getlist(key) for key in self.request.GET if key not in {"export", "columns"}}
        services.record_export(self.request.user, spreadsheet_format, queryset.count(), filters, self.list_export)
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        response["Cache-Control"] = "private, no-store"
        return response


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
        "status",
        Column("waiting_number", label=_("Waiting-list position"), accessor="waiting_number"),
        "created_at",
    ]
    filterset_class = ParticipantFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "user__workplace"]
    search_backend_name = None  # enrolments are not in the search index: the database searches
    inspect_view_enabled = True
    inspect_view_fields = ["user", "occasion", "status", "answers", "message", "created_at", "updated_at"]
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

    def _check(self, request):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied

    def export_view(self, request):
        """Choose the columns and the format; the current filters come along in the query string."""
        self._check(request)
        query = request.GET.copy()
        query.pop("columns", None)
        hidden = [(key, value) for key in query for value in query.getlist(key) if key not in {"export", "p"}]
        form = ExportColumnsForm(initial={"columns": DEFAULT_COLUMNS})
        return TemplateResponse(
            request,
            "enrolment/admin/export.html",
            {"form": form, "hidden": hidden, "index_url": f"{reverse('enrolments:index')}?{query.urlencode()}"},
        )

    def act_view(self, request, pk, action):
        """Approve, reject, promote, move or cancel one enrolment, with an optional message to the person."""
        self._check(request)
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
                else:
                    getattr(services, action)(enrolment.pk, request.user, message)
            except services.EnrolmentError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Done: %(action)s for %(person)s.") % {"action": label, "person": enrolment.user}
                )
            return redirect(request.POST.get("next") if _is_local(request.POST.get("next")) else "enrolments:index")
        return TemplateResponse(
            request,
            "enrolment/admin/act_confirm.html",
            {"enrolment": enrolment, "label": label, "action": action, "targets": targets, "form": form, "view": self},
            status=400 if form.is_bound else 200,
        )


def _is_local(url):
    return bool(url) and url.startswith("/admin/") and "//" not in url


# --- Occasions ----------------------------------------------------------------------------------------


OCCASION_TOOLS = [
    (_("Sign-in sheet"), "occasions:sign_in_sheet", "doc-full"),
    (_("Check-in"), "enrolment_checkin_occasion", "tick-inverse"),
    (_("Message participants"), "occasions:message", "mail"),
    (_("Change capacity"), "occasions:capacity", "edit"),
]


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
        for priority, (label, url_name, icon) in enumerate(OCCASION_TOOLS, start=2):
            url = reverse(url_name, args=[instance.pk])
            buttons.append(ListingButton(label, url=url, icon_name=icon, priority=priority * 10))
        return buttons


class OccasionFilterSet(WagtailFilterSet):
    WHEN = [("upcoming", _("Upcoming")), ("past", _("Past"))]
    when = django_filters.ChoiceFilter(label=_("when"), choices=WHEN, method="filter_when", empty_label=_("All"))
    course = django_filters.ModelChoiceFilter(
        label=_("course"), queryset=CoursePage.objects.none(), method="filter_course"
    )

    class Meta:
        model = Occasion
        fields = ["status"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and "when" not in data:
            # Organisers mostly look ahead: upcoming occasions unless they ask for past ones or all.
            data = data.copy()
            data["when"] = "upcoming"
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["course"].queryset = _scoped_courses(request.user)

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(end__gte=now) if value == "upcoming" else queryset.filter(end__lt=now)

    def filter_course(self, queryset, name, course):
        return queryset.filter(course__translation_key=course.translation_key)


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
        ]

    def _occasion(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def sign_in_sheet_view(self, request, pk):
        """A printable list to sign on the day: confirmed participants by last name, one line each."""
        occasion = self._occasion(request, pk)
        participants = (
            Enrolment.objects.filter(occasion=occasion, status__in=[Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW])
            .select_related("user", "user__profession")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        services.record_export(request.user, "sign_in_sheet", len(participants), {"occasion": [str(pk)]}, [])
        response = TemplateResponse(
            request, "enrolment/admin/sign_in_sheet.html", {"occasion": occasion, "participants": participants}
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def message_view(self, request, pk):
        occasion = self._occasion(request, pk)
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
                return redirect("occasions:index")
        return TemplateResponse(
            request,
            "enrolment/admin/occasion_form.html",
            {"occasion": occasion, "form": form, "title": _("Message participants")},
        )

    def capacity_view(self, request, pk):
        occasion = self._occasion(request, pk)
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
                return redirect("occasions:index")
        return TemplateResponse(
            request,
            "enrolment/admin/occasion_form.html",
            {"occasion": occasion, "form": form, "title": _("Change capacity")},
        )


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("To"),
        choices=[
            ("participants", _("Everyone with a seat (confirmed, awaiting approval, offered)")),
            ("everyone", _("Everyone with a seat and the waiting list")),
        ],
        widget=forms.RadioSelect,
        initial="participants",
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Sent by e-mail to each person, in the course's name. A blank line starts a new paragraph."),
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty for no limit. Raising it gives seats to the waiting list at once."),
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
