"""The invoice basis (Reports › Invoice basis, and each occasion's "Invoice basis" tool): the invoiced enrolments
of one occasion or of a period, as CSV or Excel, with totals per cost centre (enrolment/invoicing.py).

The rows come from `access.occasions_for(user)` like every organiser screen: a course owner gets their own
centre's courses only, and a centre or occasion from elsewhere is refused. Each download is audited as the
participant export is (`services.record_export`).
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from .. import access, invoicing, services
from ..models import Enrolment
from . import exports, figures
from .permissions import OrganisersMenuItem
from .reports import CentreChoices, CentreFilterForm

FORMATS = [("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (UTF-8, opens in Excel)"))]
MAX_PERIOD_DAYS = 3 * 366  # a longer period is more than any invoicing round needs


def invoice_basis_response(request, enrolments, export_format, name, filters):
    """The file of the invoiced enrolments among `enrolments`, audited; the columns are fixed."""
    rows = invoicing.invoiced(enrolments)
    services.record_export(
        request.user, export_format, rows.count(), filters, ["invoice_basis"], action="enrolment.export_invoice_basis"
    )
    headings, cells = invoicing.invoice_basis_table(rows.iterator(chunk_size=exports.CHUNK_SIZE))
    if export_format == "csv":
        response = exports.csv_response(name, headings, cells)
    else:
        response = exports.xlsx_response(name, headings, cells, _("Invoice basis"))
    response["Cache-Control"] = "private, no-store"
    return response


def occasion_invoice_basis(request, occasion):
    """One occasion's invoice basis (the caller found the occasion among the user's own)."""
    export_format = request.GET.get("export") if request.GET.get("export") in {"csv", "xlsx"} else "xlsx"
    enrolments = Enrolment.objects.filter(occasion=occasion)
    name = invoicing.basis_file_name(occasion=occasion)
    return invoice_basis_response(request, enrolments, export_format, name, {"occasion": [str(occasion.pk)]})


class InvoiceBasisForm(CentreFilterForm):
    start = forms.DateField(
        label=_("Occasions from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-01-01."),
    )
    end = forms.DateField(
        label=_("Occasions until"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("The day included.")
    )
    export = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx", widget=forms.RadioSelect)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period must end on or after the day it starts."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of at most three years."))
        return cleaned


def default_period(today=None):
    """The previous calendar month: what an invoicing round usually covers."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


class InvoiceBasisView(WagtailAdminTemplateMixin, TemplateView):
    """Choose the centre (network admins), the period and the format; the file holds the invoiced enrolments
    of the occasions that start in the period."""

    template_name = "enrolment/admin/invoice_basis.html"
    page_title = _("Invoice basis")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not access.may_handle_any(request.user):
            # A plain 403 page, as the reports give: Wagtail would redirect PermissionDenied to the dashboard.
            return TemplateResponse(request, "enrolment/admin/report_forbidden.html", {"view": self}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.centres = CentreChoices(request.user)
        if "export" not in request.GET:
            start, end = default_period()
            centre = self.centres.default
            initial = {"start": start, "end": end, "export": "xlsx", "centre": str(centre.pk) if centre else ""}
            self.form = InvoiceBasisForm(self.centres, initial=initial)
            return super().get(request, *args, **kwargs)
        self.form = InvoiceBasisForm(self.centres, request.GET)
        if not self.form.is_valid():
            if "centre" in self.form.errors and request.GET.get("centre"):
                messages.error(request, _("That centre is not available to you."))
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        data = self.form.cleaned_data
        occasions = access.occasions_for(request.user)
        if data["centre"] is not None:
            occasions = figures.of_centre(occasions, data["centre"])
        occasions = occasions.filter(start__date__gte=data["start"], start__date__lte=data["end"])
        enrolments = Enrolment.objects.filter(occasion__in=occasions)
        name = invoicing.basis_file_name(start=data["start"], end=data["end"])
        filters = {key: request.GET.getlist(key) for key in ("centre", "start", "end")}
        return invoice_basis_response(request, enrolments, data["export"], name, filters)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form}


def menu_item():
    return OrganisersMenuItem(
        _("Invoice basis"), reverse("invoice_basis:index"), name="invoice-basis", icon_name="download", order=110
    )


class InvoiceBasisViewSet(ViewSet):
    """The invoice basis per period at /admin/invoice-basis/; its menu item is in the Reports submenu."""

    name = "invoice_basis"
    url_prefix = "invoice-basis"
    icon = "download"

    def get_urlpatterns(self):
        return [path("", InvoiceBasisView.as_view(), name="index")]
