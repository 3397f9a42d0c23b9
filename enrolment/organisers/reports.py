"""Reports in the Wagtail admin for course owners and network admins: a dashboard panel with the coming
month's occasions, and a report per centre with charts (inline SVG, each with a table of the same figures).

Everything shown comes from `access.occasions_for(user)`: a course owner can only pick their own centres,
and a centre id from elsewhere in the query string is refused with a message, never shown.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from accounts.language import active_language
from courses.formatting import MONTHS, format_period
from courses.models import Centre, localized

from .. import access
from . import figures
from .permissions import OrganisersMenuItem

PANEL_ROWS = 10  # occasions listed on the dashboard; the report has the rest
CHART_HEIGHT = 120  # px of the tallest column in the monthly chart
COLUMN_WIDTH = 48

PERIOD_CHOICES = [
    (3, _("Last 3 months")),
    (6, _("Last 6 months")),
    (12, _("Last 12 months")),
]


def percent(share):
    """A share (0–1) as a whole percentage, or None."""
    return None if share is None else round(share * 100)


def percent_text(share):
    return "" if share is None else _("%(percent)s%%") % {"percent": percent(share)}


def month_label(start, language):
    return f"{MONTHS[language][start.month - 1]} {start.year}"


def present_upcoming(rows):
    """Add what the templates show: the date in the viewer's language and the fill rate in percent."""
    for row in rows:
        row.when = format_period(row.start, row.end)
        row.fill_percent = percent(row.fill_rate)
        row.fill_text = percent_text(row.fill_rate)
        row.bar_percent = min(row.fill_percent, 100) if row.fill_percent is not None else None
    return rows


def monthly_chart(months):
    """Column geometry for the monthly SVG chart (heights relative to the busiest month)."""
    language = active_language()
    top = max((month.enrolments for month in months), default=0) or 1
    columns = []
    for index, month in enumerate(months):
        height = round(month.enrolments / top * CHART_HEIGHT)
        columns.append(
            {
                "month": month,
                "label": month_label(month.start, language),
                "short_label": MONTHS[language][month.start.month - 1],
                "x": index * COLUMN_WIDTH + 4,
                "y": 20 + CHART_HEIGHT - height,
                "height": height,
                "text_x": index * COLUMN_WIDTH + COLUMN_WIDTH // 2,
            }
        )
    return {"columns": columns, "width": len(months) * COLUMN_WIDTH, "bar_width": COLUMN_WIDTH - 8}


def _bars(shares):
    for share in shares:
        share.percent = percent(share.share)
        share.text = percent_text(share.share)
    return shares


# --- Filters ------------------------------------------------------------------------------------------


class CentreChoices:
    """The centres a viewer may report on: their own, or all of them (and "all centres") for network admins."""

    def __init__(self, user):
        self.is_admin = access.is_network_admin(user)
        centres = Centre.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        if not self.is_admin:
            centres = centres.filter(pk__in=access.centre_ids_for(user))
        self.centres = {centre.pk: centre for centre in centres}
        names = {centre.translation_key: centre.name for centre in localized(self.centres.values())}
        self.choices = sorted(
            ((str(pk), names.get(centre.translation_key, centre.name)) for pk, centre in self.centres.items()),
            key=lambda choice: choice[1],
        )
        if self.is_admin:
            self.choices.insert(0, ("", _("All centres")))

    @property
    def default(self):
        """All centres for network admins, otherwise the first of the viewer's centres."""
        if self.is_admin or not self.choices:
            return None
        return self.centres[int(self.choices[0][0])]

    def label(self, centre):
        return dict(self.choices)["" if centre is None else str(centre.pk)]


class CentreFilterForm(forms.Form):
    """A form whose `centre` is one of the viewer's own centres (CentreChoices), or empty for all of them."""

    centre = forms.ChoiceField(label=_("ATMP-centre"), required=False)

    def __init__(self, centres, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.centres = centres
        self.fields["centre"].choices = centres.choices

    def clean_centre(self):
        """A centre among the viewer's own (ChoiceField refused any other); empty means all of them."""
        value = self.cleaned_data["centre"]
        return self.centres.centres[int(value)] if value else None


class ReportFilterForm(CentreFilterForm):
    period = forms.TypedChoiceField(label=_("Period"), choices=PERIOD_CHOICES, coerce=int, required=False)


def filters(request):
    """(form to show, centre or None for all, period in months) from the query string; values that are
    malformed or not the viewer's fall back to the default, with a message saying so."""
    centres = CentreChoices(request.user)
    centre, period = centres.default, figures.DEFAULT_PERIOD
    if request.GET:
        form = ReportFilterForm(centres, request.GET)
        form.is_valid()
        if "centre" in form.errors:
            messages.warning(request, _("That centre is not available to you, so the report shows the default."))
        elif request.GET.get("centre") or centres.is_admin:
            centre = form.cleaned_data["centre"]
        if "period" in form.errors:
            messages.warning(request, _("The period must be 3, 6 or 12 months, so the report covers 12 months."))
        elif form.cleaned_data.get("period"):
            period = form.cleaned_data["period"]
    shown = ReportFilterForm(centres, initial={"centre": str(centre.pk) if centre else "", "period": period})
    return shown, centre, period, centres.label(centre)


# --- Views --------------------------------------------------------------------------------------------


class CentreReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "enrolment/admin/report.html"
    page_title = _("Reports")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not access.may_handle_any(request.user):
            # A plain 403 page; Wagtail would turn PermissionDenied into a redirect to the dashboard.
            return TemplateResponse(request, "enrolment/admin/report_forbidden.html", {"view": self}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form, self.centre, self.period, self.centre_label = filters(request)
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.centre_label

    def get_breadcrumbs_items(self):
        here = {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        return [*self.breadcrumbs_items, here]

    def get_context_data(self, **kwargs):
        occasions = access.occasions_for(self.request.user)
        if self.centre is not None:
            occasions = figures.of_centre(occasions, self.centre)
        months = figures.enrolments_per_month(occasions, self.period)
        no_shows = figures.no_shows(occasions, self.period)
        for row in [no_shows, *no_shows.courses]:
            row.percent = percent(row.rate)
            row.text = percent_text(row.rate)
        return {
            **super().get_context_data(**kwargs),
            "form": self.form,
            "period": self.period,
            "upcoming_days": figures.UPCOMING_DAYS,
            "upcoming": present_upcoming(figures.upcoming(occasions)),
            "months": monthly_chart(months),
            "enrolments_total": sum(month.enrolments for month in months),
            "no_shows": no_shows,
            "professions": _bars(figures.professions(occasions, self.period)),
            "regions": _bars(figures.regions(occasions, self.period)),
        }


class UpcomingOccasionsPanel(Component):
    """Dashboard panel: the viewer's occasions in the next 30 days, with fill rate and waiting list."""

    name = "upcoming_occasions"
    template_name = "enrolment/admin/upcoming_panel.html"
    order = 50  # above Wagtail's own panels: this is what course owners come for

    class Media:
        css = {"all": ["css/admin-reports.css"]}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        rows = figures.upcoming(access.occasions_for(self.request.user))
        return {
            "occasions": present_upcoming(rows[:PANEL_ROWS]),
            "more": max(len(rows) - PANEL_ROWS, 0),
            "upcoming_days": figures.UPCOMING_DAYS,
            "report_url": reverse("centre_reports:index"),
        }


def menu_item():
    return OrganisersMenuItem(
        _("Reports"), reverse("centre_reports:index"), name="centre-reports", icon_name="table", order=100
    )


class ReportsViewSet(ViewSet):
    """The report per centre, at /admin/centre-reports/ (Wagtail's own reports are at /admin/reports/); its menu
    item is in the Reports submenu (wagtail_hooks.py)."""

    name = "centre_reports"
    url_prefix = "centre-reports"
    icon = "table"

    def get_urlpatterns(self):
        return [path("", CentreReportView.as_view(), name="index")]
