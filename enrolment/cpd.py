"""A person's CPD record ("My CPD"): every course they attended with its date, CPD hours, Lipus number and
certificate, totals per year, and one PDF transcript with a verification code from the certificates' scheme.

The transcript lists certificates of attendance (issued here when the person has not downloaded them yet), so a
transcript and its certificates always agree, and a corrected attendance withdraws both.
"""

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from accounts.language import active_language
from accounts.site import absolute_url
from courses import formatting

from . import certificates, pdf
from .access import course_pages_in_language
from .models import Enrolment, Transcript
from .services import EnrolmentError

ZERO = Decimal("0")


@dataclasses.dataclass
class Entry:
    """One attended course in the record."""

    enrolment: Enrolment
    page: object  # the course page in the reader's language
    start: dt.datetime
    end: dt.datetime
    hours: Decimal | None
    lipus: str

    @property
    def year(self):
        return timezone.localtime(self.start).year


@dataclasses.dataclass
class Year:
    year: int
    hours: Decimal
    courses: int


@dataclasses.dataclass
class Record:
    entries: list  # newest first
    years: list  # newest first

    @property
    def total_hours(self):
        return sum((year.hours for year in self.years), ZERO)


def attended_enrolments(user):
    """The enrolments that count: attendance recorded at an occasion that has started (as for certificates)."""
    return (
        Enrolment.objects.filter(user=user, status=Enrolment.Status.ATTENDED, occasion__start__lte=timezone.now())
        .select_related("occasion", "occasion__course", "certificate")
        .order_by("occasion__start", "pk")
    )


def totals_per_year(entries):
    years = {}
    for entry in entries:
        year = years.setdefault(entry.year, Year(entry.year, ZERO, 0))
        year.hours += entry.hours or ZERO
        year.courses += 1
    return sorted(years.values(), key=lambda year: year.year, reverse=True)


def cpd_record(user, language):
    """The person's record for My CPD. Hours and Lipus number are the certificate's where one was issued (what
    the person holds on paper), otherwise the course's today."""
    enrolments = list(attended_enrolments(user))
    pages = course_pages_in_language([e.occasion.course for e in enrolments], language)
    entries = []
    for enrolment in enrolments:
        course = enrolment.occasion.course
        certificate = getattr(enrolment, "certificate", None)
        source = certificate or course
        entries.append(
            Entry(
                enrolment=enrolment,
                page=pages.get(course.translation_key, course),
                start=enrolment.occasion.start,
                end=enrolment.occasion.end,
                hours=source.cpd_hours,
                lipus=(source.lipus_reference or "").strip(),
            )
        )
    entries.reverse()
    return Record(entries=entries, years=totals_per_year(entries))


# --- The transcript -------------------------------------------------------------------------------------


def _entry_snapshot(certificate):
    return {
        "certificate": certificate.display_code,
        "course_sv": certificate.course_title_sv,
        "course_en": certificate.course_title_en,
        "start": certificate.occasion_start.isoformat(),
        "end": certificate.occasion_end.isoformat(),
        "cpd_hours": None if certificate.cpd_hours is None else str(certificate.cpd_hours),
        "lipus": certificate.lipus_reference,
    }


def _fingerprint(name, snapshots):
    text = repr((name, [sorted(snapshot.items()) for snapshot in snapshots]))
    return hashlib.sha256(text.encode()).hexdigest()


def issue_transcript(user, *, now=None):
    """The person's transcript of everything they attended so far. Downloading again with nothing new returns
    the same transcript (and code); a new course, or a corrected name, issues a new one."""
    now = now or timezone.now()
    certificates_held = [
        certificates.issue_certificate(enrolment, by=user, now=now) for enrolment in attended_enrolments(user)
    ]
    if not certificates_held:
        raise EnrolmentError(_("Your CPD transcript lists the courses you have attended: there are none yet."))
    certificates_held.sort(key=lambda certificate: (certificate.occasion_start, certificate.pk))
    snapshots = [_entry_snapshot(certificate) for certificate in certificates_held]
    name = user.get_full_name().strip()
    fingerprint = _fingerprint(name, snapshots)
    with transaction.atomic():
        existing = Transcript.objects.filter(user=user, fingerprint=fingerprint).first()
        if existing is not None:
            return existing
        transcript = Transcript.objects.create(
            user=user,
            code=certificates.new_code(),
            issued_at=now,
            participant_name=name,
            entries=snapshots,
            total_hours=sum((certificate.cpd_hours or ZERO for certificate in certificates_held), ZERO),
            fingerprint=fingerprint,
        )
        transcript.certificates.set(certificates_held)
        log(instance=transcript, action="enrolment.issue_transcript", user=user, data={"courses": len(snapshots)})
    return transcript


def find_transcript(code):
    """The transcript with a normalised code, or None."""
    return Transcript.objects.filter(code=code).first()


def is_withdrawn(transcript):
    """A transcript stands only while every certificate it lists does."""
    return any(
        certificates.is_withdrawn(certificate) for certificate in transcript.certificates.select_related("enrolment")
    )


def verification_url(transcript, language):
    with translation.override(language):
        path = reverse("verify_certificate")
    return absolute_url(f"{path}?{urlencode({'code': transcript.display_code})}")


def _hours(value, language):
    return "" if value is None else certificates.format_hours(Decimal(value), language)


def details(transcript, language=None):
    """The transcript's facts as text in `language`, for the PDF and the verification page."""
    language = active_language(language)
    rows = []
    for entry in transcript.entries:
        start = dt.datetime.fromisoformat(entry["start"])
        rows.append(
            {
                "course": entry["course_en"] if language == "en" else entry["course_sv"],
                "date": formatting.format_date(start, language),
                "start": start,
                "year": timezone.localtime(start).year,
                "hours": _hours(entry["cpd_hours"], language),
                "lipus": entry["lipus"],
                "certificate": entry["certificate"],
            }
        )
    years = {}
    for row, entry in zip(rows, transcript.entries, strict=True):
        years.setdefault(row["year"], ZERO)
        years[row["year"]] += Decimal(entry["cpd_hours"] or 0)
    return {
        "participant": transcript.participant_name,
        "rows": rows,
        "years": [(year, certificates.format_hours(hours, language)) for year, hours in sorted(years.items())],
        "total_hours": certificates.format_hours(transcript.total_hours, language),
        "issued": formatting.format_date(transcript.issued_at, language),
        "code": transcript.display_code,
        "url": verification_url(transcript, language),
    }


def file_name(transcript, language):
    language = active_language(language)
    with translation.override(language):
        prefix = str(_("cpd-transcript"))
    return f"{prefix}-{timezone.localtime(transcript.issued_at).date().isoformat()}.pdf"


def render_transcript_pdf(transcript, language):
    """The transcript as an A4 PDF (bytes), every word in `language`; the same look as the certificates."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table

    language = active_language(language)
    facts = details(transcript, language)
    with translation.override(language):
        heading = str(_("CPD transcript"))
        sheet = pdf.Sheet(language, title=heading, subject=heading, margins_mm=(20, 20, 20, 18))
        paragraph = sheet.paragraph
        story = [*sheet.letterhead(10), paragraph(heading, "heading")]
        if facts["participant"]:
            story += [paragraph(_("Courses attended by"), "intro"), paragraph(facts["participant"], "name")]

        # The certificate's code under the course title: a column of its own would break the codes across lines.
        header = [_("Date"), _("Course"), _("Hours"), _("Lipus number")]
        rows = [[paragraph(label, "label") for label in header]]
        for row in facts["rows"]:
            rows.append(
                [
                    paragraph(row["date"], "small"),
                    [paragraph(row["course"], "value"), paragraph(f"{_('Certificate')} {row['certificate']}", "small")],
                    paragraph(row["hours"] or "–", "value"),
                    paragraph(row["lipus"] or "–", "small"),
                ]
            )
        columns = [26 * mm, sheet.width - 26 * mm - 18 * mm - 36 * mm, 18 * mm, 36 * mm]
        table = sheet.lined_table(rows, columns, padding=2, vertical_padding=4, last_line=True, repeatRows=1)
        story += [table, Spacer(1, 8 * mm)]

        totals = [[paragraph(_("CPD hours per year"), "label"), ""]]
        totals += [[paragraph(year, "value"), paragraph(hours, "value")] for year, hours in facts["years"]]
        totals.append([paragraph(_("Total"), "label"), paragraph(facts["total_hours"], "code")])
        totals.append([paragraph(_("Issued"), "label"), paragraph(facts["issued"], "value")])
        story += [Table(totals, colWidths=[45 * mm, sheet.width - 45 * mm], hAlign="LEFT"), Spacer(1, 10 * mm)]
        story.append(
            sheet.verification_box(
                facts["code"], facts["url"], _("Anyone can check that this transcript is genuine at")
            )
        )
        return sheet.build(story)
