"""The participant export: its columns, its rows (a pure function, callable without a request) and the files.

`participant_table(rows, columns)` turns enrolment rows (dicts of `EXPORT_VALUES`, read with `.values()`) into
headings and rows of cells; `csv_response` and `xlsx_response` write them, streamed, in chunks, so memory stays
flat whatever the row count. Cells a spreadsheet would run as formulas are neutralised (OWASP CSV injection).
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

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.language import active_language
from accounts.models import profession_label
from accounts.regions import REGIONS

from ..models import Enrolment

Status = Enrolment.Status
REGION_NAMES = dict(REGIONS)
CHUNK_SIZE = 500
FILE_PREFIX = _("participants")  # the start of an export's file name


def answer_text(answer):
    """An answer as text: the options ticked in a multiple-choice question are listed with commas."""
    return ", ".join(answer) if isinstance(answer, list) else str(answer)


def answers_text(answers):
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
    "user__profession",
    "occasion__start",
    "occasion__end",
    "occasion__city",
]

COLUMNS = OrderedDict(
    [
        ("first_name", ExportColumn(_("First name"), lambda row, export: row["user__first_name"])),
        ("last_name", ExportColumn(_("Last name"), lambda row, export: row["user__last_name"])),
        ("email", ExportColumn(_("E-mail"), lambda row, export: row["user__email"])),
        ("profession", ExportColumn(_("Profession"), lambda row, export: profession_label(row["user__profession"]))),
        ("workplace", ExportColumn(_("Workplace"), lambda row, export: row["user__workplace"])),
        ("region", ExportColumn(_("Region"), lambda row, export: export.region(row))),
        ("course", ExportColumn(_("Course"), lambda row, export: row["course_title"])),
        ("occasion_start", ExportColumn(_("Starts"), lambda row, export: export.local(row["occasion__start"]))),
        ("occasion_end", ExportColumn(_("Ends"), lambda row, export: export.local(row["occasion__end"]))),
        ("city", ExportColumn(_("City"), lambda row, export: row["occasion__city"])),
        ("status", ExportColumn(_("Status"), lambda row, export: export.status(row))),
        ("waiting_number", ExportColumn(_("Waiting-list position"), lambda row, export: row["waiting_number"])),
        ("answers", ExportColumn(_("Answers"), lambda row, export: answers_text(row["answers"]))),
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


def exported(enrolments, include_cancelled=False):
    """What an export holds: cancelled enrolments only when asked for (they are no longer coming)."""
    return enrolments if include_cancelled else enrolments.exclude(status=Status.CANCELLED)


def export_values(enrolments, chunk_size=CHUNK_SIZE):
    """The rows `participant_table` takes, read from the database in chunks."""
    return enrolments.select_related(None).values(*EXPORT_VALUES).iterator(chunk_size=chunk_size)


def participant_table(rows, columns=None):
    """(headings, rows) of an export: `rows` are dicts of EXPORT_VALUES, `columns` keys of COLUMNS (in any
    order: they come out in COLUMNS' order). Each row is a list of cells with formulas neutralised; rows are
    produced one at a time."""
    keys = [key for key in COLUMNS if key in set(columns or DEFAULT_COLUMNS)] or DEFAULT_COLUMNS
    headings = [str(COLUMNS[key].label) for key in keys]
    values = [COLUMNS[key].value for key in keys]
    export = ExportContext.current()
    return headings, ([neutralise(value(row, export)) for value in values] for row in rows)


def file_name(occasion=None):
    """`deltagare-<course>-<date>` for one occasion, `deltagare-<today>` otherwise (no extension)."""
    if occasion:
        day = timezone.localtime(occasion.start).date().isoformat()
        return f"{slugify(FILE_PREFIX)}-{slugify(occasion.course.title)[:60]}-{day}"
    return f"{slugify(FILE_PREFIX)}-{timezone.localdate().isoformat()}"


def _csv_chunks(headings, rows, chunk_size=CHUNK_SIZE):
    # Excel reads a UTF-8 file as the local code page unless it starts with a byte-order mark.
    buffer = io.StringIO()
    buffer.write(codecs.BOM_UTF8.decode("utf-8"))
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for number, cells in enumerate(rows, start=1):
        writer.writerow(cells)  # str() of a datetime, as Wagtail's CSV export writes it
        if number % chunk_size == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(name, headings, rows):
    response = StreamingHttpResponse(_csv_chunks(headings, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    return response


def write_xlsx(headings, rows, output, sheet_title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # write_only: rows go straight to a temporary file, so memory stays flat whatever the row count.
    workbook = Workbook(write_only=True, iso_dates=True)
    worksheet = workbook.create_sheet(title=str(sheet_title)[:31])
    worksheet.append(headings)

    def cell(value):
        if isinstance(value, str):
            # Control characters a profile may hold but XML cannot; a formula behind one is still a formula.
            return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        if isinstance(value, dt.datetime):  # only dates need a cell (for their format)
            value = WriteOnlyCell(worksheet, value)
            value.number_format = "yyyy-mm-dd hh:mm"
        return value

    for cells in rows:
        worksheet.append([cell(value) for value in cells])
    workbook.save(output)


def xlsx_response(name, headings, rows, sheet_title):
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(headings, rows, output, sheet_title)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
