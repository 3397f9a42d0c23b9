"""Certificates of attendance: issued once per attended enrolment, rendered as a PDF in the participant's
language, and verified by anyone through a short code on the public verification page.

A certificate keeps a snapshot of what it certifies (see `Certificate`): verification shows what the
certificate says, whatever happens to the course page or, after retention, to the person's name.
"""

import functools
import io
import re
import secrets
from pathlib import Path
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from accounts.language import active_language
from accounts.site import absolute_url
from courses import formatting
from courses.models import CoursePage, localized

from .models import Certificate, Enrolment, Transcript
from .services import EnrolmentError

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper has nothing to confuse.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: guessing a valid code is hopeless, reading one out is easy
# Generous room for spaces and dashes; anything longer is not a code someone copied from a certificate.
MAX_INPUT_LENGTH = 40
# Crockford's decoding: letters people type for the digits they resemble.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
EXAMPLE_CODE = "7KQ2-M9XD-4HTR"

# The verification page's address in each language. Not in the gettext catalogue on purpose: it is printed
# on certificates, so no translation edit may ever move it.
VERIFY_PATHS = {"sv": "intyg/", "en": "certificate/"}


# A route that is a lazy string is resolved per active language by Django, as translated URL patterns are.
verify_route = lazy(lambda: VERIFY_PATHS[active_language()], str)()


# --- Codes ------------------------------------------------------------------------------------------------


def new_code():
    while True:
        code = "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))
        # One code space with CPD transcripts: the same verification page finds either.
        if not Certificate.objects.filter(code=code).exists() and not Transcript.objects.filter(code=code).exists():
            return code


def normalise_code(text):
    """The stored form of a code as someone typed it: case, spaces and dashes do not matter."""
    text = text or ""
    if len(text) > MAX_INPUT_LENGTH:
        raise EnrolmentError(
            _("That is too long for a certificate code, which has 12 letters and digits (for example %(example)s).")
            % {"example": EXAMPLE_CODE},
            code="too_long",
        )
    compact = _SEPARATORS.sub("", text).upper().translate(_LOOK_ALIKES)
    if len(compact) != CODE_LENGTH or any(char not in ALPHABET for char in compact):
        raise EnrolmentError(
            _("That is not a certificate code: a code has 12 letters and digits, for example %(example)s.")
            % {"example": EXAMPLE_CODE},
            code="malformed",
        )
    return compact


def find_certificate(text):
    """The certificate with the code someone typed, or None; EnrolmentError when it cannot be a code.

    A withdrawn certificate is found too: verification must say it no longer stands (see `is_withdrawn`),
    not pretend it never existed.
    """
    return Certificate.objects.filter(code=normalise_code(text)).select_related("enrolment").first()


def is_withdrawn(certificate):
    """True when the attendance the certificate rests on was corrected after it was issued (no longer
    "attended"). A certificate whose enrolment row is gone keeps verifying: it was valid when issued."""
    enrolment = certificate.enrolment
    return enrolment is not None and enrolment.status != Enrolment.Status.ATTENDED


# --- Issuing ----------------------------------------------------------------------------------------------


def _centre_names(centres, language):
    with translation.override(language):
        return ", ".join(centre.name for centre in localized(centres))


def _snapshot(enrolment):
    """What the certificate certifies, from the Swedish (canonical) course page and its translations."""
    occasion = enrolment.occasion
    course = CoursePage.objects.get(pk=occasion.course_id)
    owner = course.owning_centre
    # The centre that gives the course first, then any co-organisers.
    centres = sorted(course.centres.all(), key=lambda centre: (owner is None or centre.pk != owner.pk, centre.name))
    return {
        "participant_name": enrolment.user.get_full_name().strip(),
        "course_title_sv": course.in_language("sv").title,
        "course_title_en": course.in_language("en").title,
        "centres_sv": _centre_names(centres, "sv"),
        "centres_en": _centre_names(centres, "en"),
        "occasion_start": occasion.start,
        "occasion_end": occasion.end,
        "cpd_hours": course.cpd_hours,
        "lipus_reference": course.lipus_reference.strip(),
    }


def issue_certificate(enrolment, by=None, *, now=None):
    """The enrolment's certificate, issued on first call (idempotent); only once attendance is recorded and
    the occasion has started (check-in opens on the morning, the certificate waits for the course itself)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            # Two first downloads at once issue one certificate. Only this row: its occasion is the seat lock,
            # which the enrolment services take before the enrolment.
            enrolment = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("user", "occasion")
                .get(pk=enrolment.pk)
            )
            if enrolment.status != Enrolment.Status.ATTENDED:
                raise EnrolmentError(
                    _("A certificate of attendance is issued once your attendance has been recorded."),
                    code="not_attended",
                    enrolment=enrolment,
                )
            if now < enrolment.occasion.start:
                raise EnrolmentError(
                    _("A certificate of attendance is issued once the occasion has started."),
                    code="not_started",
                    enrolment=enrolment,
                )
            existing = Certificate.objects.filter(enrolment=enrolment).first()
            if existing is not None:
                return existing
            certificate = Certificate.objects.create(
                enrolment=enrolment, code=new_code(), issued_at=now, **_snapshot(enrolment)
            )
            log(
                instance=enrolment,
                action="enrolment.issue_certificate",
                user=by,
                data={"status": enrolment.status, "certificate": certificate.display_code},
            )
            return certificate
    except IntegrityError:
        # A database without row locks (SQLite) let a simultaneous first download issue it.
        return Certificate.objects.get(enrolment_id=enrolment.pk)


# --- What a certificate says, in a language ---------------------------------------------------------------


def format_hours(value, language):
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if language == "sv" else text


def verification_url(certificate, language):
    with translation.override(language):
        path = reverse("verify_certificate")
    return absolute_url(f"{path}?{urlencode({'code': certificate.display_code})}")


def details(certificate, language=None):
    """The certificate's facts as text in `language`, for the PDF and the verification page."""
    language = active_language(language)
    return {
        "participant": certificate.participant_name,
        "course": certificate.course_title(language),
        "occasion": formatting.format_period(certificate.occasion_start, certificate.occasion_end, language),
        "centres": certificate.centres(language),
        "cpd_hours": format_hours(certificate.cpd_hours, language) if certificate.cpd_hours is not None else "",
        "lipus": certificate.lipus_reference,
        "issued": formatting.format_date(certificate.issued_at, language),
        "code": certificate.display_code,
        "url": verification_url(certificate, language),
    }


def file_name(certificate, language):
    language = active_language(language)
    with translation.override(language):
        prefix = str(_("certificate"))
    date = timezone.localtime(certificate.occasion_start).date().isoformat()
    return f"{slugify(prefix)}-{slugify(certificate.course_title(language))[:60].strip('-')}-{date}.pdf"


# --- The PDF ----------------------------------------------------------------------------------------------

BLUE = "#1f4e79"
INK_SOFT = "#4a5a6a"
LINE = "#c9d3dd"


@functools.cache
def _register_fonts():
    """Bitstream Vera, which ships with reportlab: embedded, it covers Swedish and most European names."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file, bold, italic in [
        ("Vera", "Vera.ttf", 0, 0),
        ("Vera-Bold", "VeraBd.ttf", 1, 0),
        ("Vera-Italic", "VeraIt.ttf", 0, 1),
        ("Vera-BoldItalic", "VeraBI.ttf", 1, 1),
    ]:
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        addMapping("Vera", bold, italic, name)


def _styles():
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName="Vera", fontSize=11, leading=15, textColor=HexColor("#1a2530"))
    return {
        "network": ParagraphStyle("network", base, fontName="Vera-Bold", fontSize=12, textColor=HexColor(BLUE)),
        "title": ParagraphStyle("title", base, fontName="Vera-Bold", fontSize=28, leading=34, spaceAfter=18),
        "intro": ParagraphStyle("intro", base, textColor=HexColor(INK_SOFT), spaceAfter=4),
        "name": ParagraphStyle("name", base, fontName="Vera-Bold", fontSize=20, leading=26, spaceAfter=14),
        "course": ParagraphStyle(
            "course", base, fontName="Vera-Bold", fontSize=17, leading=22, textColor=HexColor(BLUE), spaceAfter=22
        ),
        "label": ParagraphStyle("label", base, fontSize=10, textColor=HexColor(INK_SOFT)),
        "value": base,
        "small": ParagraphStyle("small", base, fontSize=9, leading=12, textColor=HexColor(INK_SOFT)),
        "code": ParagraphStyle("code", base, fontName="Vera-Bold", fontSize=15, leading=20, spaceAfter=4),
    }


def _qr_code(url, size):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def render_certificate_pdf(certificate, language):
    """The certificate as an A4 PDF (bytes), every word in `language` ("sv" or "en")."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    language = active_language(language)
    facts = details(certificate, language)
    styles = _styles()
    buffer = io.BytesIO()
    with translation.override(language):
        network = str(_("Sweden’s ATMP-centres"))
        heading = str(_("Certificate of attendance"))
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=25 * mm,
            rightMargin=25 * mm,
            topMargin=22 * mm,
            bottomMargin=20 * mm,
            title=f"{heading} – {facts['course']}",
            author=network,
            subject=heading,
            creator=network,
            lang=language,
            displayDocTitle=True,
        )
        width = doc.width

        def paragraph(text, style):
            return Paragraph(escape(text), styles[style])

        story = [
            paragraph(network, "network"),
            Spacer(1, 3 * mm),
            HRFlowable(width="100%", thickness=1.2, color=HexColor(BLUE), spaceAfter=0),
            Spacer(1, 28 * mm),
            paragraph(heading, "title"),
        ]
        if facts["participant"]:
            story += [paragraph(str(_("This is to certify that")), "intro"), paragraph(facts["participant"], "name")]
        story += [paragraph(str(_("has attended the course")), "intro"), paragraph(facts["course"], "course")]

        rows = [(_("Occasion"), facts["occasion"])]
        if facts["cpd_hours"]:
            rows.append((_("CPD hours"), facts["cpd_hours"]))
        if facts["lipus"]:
            rows.append((_("Lipus number"), facts["lipus"]))
        if facts["centres"]:
            rows.append((_("Organised by"), facts["centres"]))
        rows.append((_("Issued"), facts["issued"]))
        table = Table(
            [[paragraph(str(label), "label"), paragraph(value, "value")] for label, value in rows],
            colWidths=[45 * mm, width - 45 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.5, HexColor(LINE)),
                ]
            )
        )
        story += [table, Spacer(1, 18 * mm)]

        url = facts["url"]
        qr_size = 30 * mm
        verification = [
            paragraph(str(_("Verification code")), "label"),
            paragraph(facts["code"], "code"),
            paragraph(str(_("Anyone can check that this certificate is genuine at")), "small"),
            Paragraph(f'<link href="{escape(url)}" color="{BLUE}">{escape(url)}</link>', styles["small"]),
        ]
        box = Table([[verification, _qr_code(url, qr_size)]], colWidths=[width - qr_size - 8 * mm, qr_size + 8 * mm])
        box.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BOX", (0, 0), (-1, -1), 0.75, HexColor(LINE)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
                    ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ]
            )
        )
        story.append(box)
        doc.build(story)
    return buffer.getvalue()
