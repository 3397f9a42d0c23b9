"""Reports › Evaluations: what participants said, per occasion and per course over time, for course owners (their
centres' courses) and network admins. Charts are inline SVG drawn here, each with a table for screen readers;
both views export as XLSX. Everything comes from `access.occasions_for(user)`: another centre's course or
occasion is a 404. Results of an occasion with fewer than evaluations.MIN_RESPONSES answers are hidden.
"""

import io

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Locale

from accounts.language import active_language
from courses.formatting import format_date, format_period
from courses.models import titles_in_language

from .. import access, evaluations
from .exports import neutralise
from .permissions import OrganisersMenuItem
from .reports import percent, percent_text

BAR_MAX = 240  # px of the longest bar
ROW_HEIGHT = 28
LABEL_WIDTH = 150


def chart(result):
    """Geometry of a horizontal bar chart for one question's bars (scale points or choices)."""
    top = max((bar.count for bar in result.bars), default=0) or 1
    rows = []
    for index, bar in enumerate(result.bars):
        width = round(bar.count / top * BAR_MAX)
        y = index * ROW_HEIGHT
        rows.append(
            {
                "bar": bar,
                "y": y + 4,
                "text_y": y + ROW_HEIGHT // 2 + 4,
                "width": width,
                "count_x": LABEL_WIDTH + width + 6,
                "text": percent_text(bar.share),
            }
        )
    return {
        "rows": rows,
        "height": len(rows) * ROW_HEIGHT + 4,
        "width": LABEL_WIDTH + BAR_MAX + 80,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 8,
    }


def present(results):
    """Add what the templates show to each QuestionResult: its chart, the mean as text."""
    for result in results:
        result.chart = chart(result) if result.bars else None
        result.mean_text = _number(result.mean)
    return results


def _number(value):
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return text.replace(".", ",") if active_language() == "sv" else text


def _forbidden(request, view):
    return TemplateResponse(request, "enrolment/admin/report_forbidden.html", {"view": view}, status=403)


class EvaluationView(WagtailAdminTemplateMixin, TemplateView):
    http_method_names = ["get", "head", "options"]
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not access.may_handle_any(request.user):
            return _forbidden(request, self)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("evaluations:index"), "label": _("Evaluations")}]
        return [*items, {"url": "", "label": self.get_page_title()}]


class EvaluationIndexView(EvaluationView):
    template_name = "enrolment/admin/evaluations.html"
    page_title = gettext_lazy("Evaluations")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        occasions = list(evaluations.evaluated_occasions(access.occasions_for(self.request.user)))
        results = evaluations.summary_by_course(occasions)
        titles = titles_in_language([(row["course"].translation_key, row["course"].title) for row in results])
        for row in results:
            row["title"] = titles[row["course"].translation_key]
            row["url"] = reverse("evaluations:course", args=[row["course"].pk])
            row["rate_text"] = percent_text(row["rate"])
            row["percent"] = percent(row["rate"])
            row["last"] = format_date(row["last"])
        return {**super().get_context_data(**kwargs), "courses": results, "minimum": evaluations.MIN_RESPONSES}


class CourseEvaluationView(EvaluationView):
    template_name = "enrolment/admin/evaluation_course.html"

    def get(self, request, course_id):
        course = get_object_or_404(access.courses_for(request.user).filter(pk=course_id))
        # The page in the default language holds the occasions and the questions every language shares.
        original = course.get_translation_or_none(Locale.get_default()) or course
        occasions = access.occasions_for(request.user).filter(course__translation_key=course.translation_key)
        self.course = course.in_language(active_language())
        self.results = evaluations.course_results(original.specific, occasions, active_language())
        if request.GET.get("format") == "xlsx":
            return xlsx_response(course_workbook(self.results), f"{_('evaluation')}-{self.course.title}")
        return super().get(request)

    def get_page_title(self):
        return _("Evaluation: %(course)s") % {"course": self.course.title}

    def get_context_data(self, **kwargs):
        results = self.results
        for row in results.occasions:
            row.when = format_date(row.occasion.start)  # the day is enough in a row; the occasion's page has times
            row.rate_text = percent_text(row.rate)
            row.percent = percent(row.rate)
            row.means = [_number(result.mean) for result in row.questions]
        return {
            **super().get_context_data(**kwargs),
            "results": results,
            "questions": present(results.questions),
            "rate_text": percent_text(results.rate),
            "minimum": evaluations.MIN_RESPONSES,
            "xlsx_url": "?format=xlsx",
        }


class OccasionEvaluationView(EvaluationView):
    template_name = "enrolment/admin/evaluation_occasion.html"

    def get(self, request, occasion_id):
        occasion = get_object_or_404(access.occasions_for(request.user).select_related("course"), pk=occasion_id)
        self.course = occasion.course.in_language(active_language())
        self.results = evaluations.occasion_results(occasion, active_language())
        self.when = format_period(occasion.start, occasion.end)
        if request.GET.get("format") == "xlsx":
            name = f"{_('evaluation')}-{self.course.title}-{timezone.localtime(occasion.start).date().isoformat()}"
            return xlsx_response(occasion_workbook(self.results, self.course, self.when), name)
        return super().get(request)

    def get_page_title(self):
        return _("Evaluation: %(course)s") % {"course": self.course.title}

    def get_page_subtitle(self):
        return self.when

    def get_breadcrumbs_items(self):
        course_url = reverse("evaluations:course", args=[self.results.occasion.course_id])
        return [
            *self.breadcrumbs_items,
            {"url": reverse("evaluations:index"), "label": _("Evaluations")},
            {"url": course_url, "label": self.course.title},
            {"url": "", "label": self.get_page_title(), "sublabel": self.when},
        ]

    def get_context_data(self, **kwargs):
        results = self.results
        return {
            **super().get_context_data(**kwargs),
            "results": results,
            "questions": present(results.questions),
            "rate_text": percent_text(results.rate),
            "minimum": evaluations.MIN_RESPONSES,
            "course_url": reverse("evaluations:course", args=[results.occasion.course_id]),
            "xlsx_url": "?format=xlsx",
        }


# --- XLSX ------------------------------------------------------------------------------------------------


def _cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _sheet(workbook, title, headings, rows):
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([str(heading) for heading in headings])
    for row in rows:
        sheet.append([_cell(value) for value in row])
    return sheet


KIND_LABELS = {
    "scale": gettext_lazy("Scale 1–5"),
    "choice": gettext_lazy("One of several choices"),
    "text": gettext_lazy("Free text"),
}


def _answer_rows(questions):
    for result in questions:
        question = result.question
        if result.bars:
            for bar in result.bars:
                yield [question.text, str(KIND_LABELS[question.kind]), bar.label, bar.count, bar.share]
            if result.mean is not None:
                yield [question.text, str(KIND_LABELS[question.kind]), _("Mean"), None, round(result.mean, 2)]


def _text_rows(questions):
    for result in questions:
        for text in result.texts:
            yield [result.question.text, text]


def _add_answers(workbook, questions):
    _sheet(
        workbook, _("Answers"), [_("Question"), _("Kind"), _("Answer"), _("Count"), _("Share")], _answer_rows(questions)
    )
    _sheet(workbook, _("Free text"), [_("Question"), _("Answer")], _text_rows(questions))


def occasion_workbook(results, course, when):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    hidden = _("Hidden: fewer than %(minimum)s answers.") % {"minimum": evaluations.MIN_RESPONSES}
    _sheet(
        workbook,
        _("Summary"),
        [_("Course"), _("Occasion"), _("Invited"), _("Answers"), _("Response rate"), _("Note")],
        [[course.title, when, results.invited, results.responses, results.rate, hidden if results.hidden else ""]],
    )
    _add_answers(workbook, results.questions)
    return workbook


def course_workbook(results):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    scale = results.scale_questions
    rows = []
    for row in results.occasions:
        means = [round(result.mean, 2) if result.mean is not None else None for result in row.questions]
        rows.append(
            [
                format_period(row.occasion.start, row.occasion.end),
                row.invited,
                row.responses,
                row.rate,
                *(means or [None] * len(scale)),
                _("Hidden: fewer than %(minimum)s answers.") % {"minimum": evaluations.MIN_RESPONSES}
                if row.hidden
                else "",
            ]
        )
    headings = [_("Occasion"), _("Invited"), _("Answers"), _("Response rate")]
    headings += [_("Mean: %(question)s") % {"question": question.text} for question in scale]
    _sheet(workbook, _("Occasions"), [*headings, _("Note")], rows)
    _add_answers(workbook, results.questions)
    return workbook


def xlsx_response(workbook, name):
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output,
        as_attachment=True,
        filename=f"{slugify(name)[:80]}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Wiring ----------------------------------------------------------------------------------------------


def menu_item():
    return OrganisersMenuItem(
        gettext_lazy("Evaluations"), reverse("evaluations:index"), name="evaluations", icon_name="form", order=110
    )


class EvaluationsViewSet(ViewSet):
    """/admin/evaluations/: the list of evaluated courses, a course over time, one occasion."""

    name = "evaluations"
    url_prefix = "evaluations"
    icon = "form"

    def get_urlpatterns(self):
        return [
            path("", EvaluationIndexView.as_view(), name="index"),
            path("course/<int:course_id>/", CourseEvaluationView.as_view(), name="course"),
            path("occasion/<int:occasion_id>/", OccasionEvaluationView.as_view(), name="occasion"),
        ]
