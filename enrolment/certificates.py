"""Certificates of attendance: issued once per attended enrolment, rendered as a PDF in the participant's
language, and verified by anyone through a short code on the public verification page.

A certificate keeps a snapshot of what it certifies (see `Certificate`): verification shows what the
certificate says, whatever happens to the course page or, after retention, to the person's name.
"""

import re
import secrets
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from accounts.language import active_language
from accounts.site import absolute_url
from courses import formatting
from courses.models import CoursePage, localized

from . import pdf
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


def render_certificate_pdf(certificate, language):
    """The certificate as an A4 PDF (bytes), every word in `language` ("sv" or "en")."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    language = active_language(language)
    facts = details(certificate, language)
    with translation.override(language):
        heading = str(_("Certificate of attendance"))
        sheet = pdf.Sheet(
            language, title=f"{heading} – {facts['course']}", subject=heading, margins_mm=(25, 25, 22, 20)
        )
        paragraph = sheet.paragraph
        story = [*sheet.letterhead(28), paragraph(heading, "title")]
        if facts["participant"]:
            story += [paragraph(_("This is to certify that"), "intro"), paragraph(facts["participant"], "name")]
        story += [paragraph(_("has attended the course"), "intro"), paragraph(facts["course"], "course")]

        rows = [(_("Occasion"), facts["occasion"])]
        if facts["cpd_hours"]:
            rows.append((_("CPD hours"), facts["cpd_hours"]))
        if facts["lipus"]:
            rows.append((_("Lipus number"), facts["lipus"]))
        if facts["centres"]:
            rows.append((_("Organised by"), facts["centres"]))
        rows.append((_("Issued"), facts["issued"]))
        table = sheet.lined_table(
            [[paragraph(label, "label"), paragraph(value, "value")] for label, value in rows],
            [45 * mm, sheet.width - 45 * mm],
        )
        story += [table, Spacer(1, 18 * mm)]
        story.append(
            sheet.verification_box(
                facts["code"], facts["url"], _("Anyone can check that this certificate is genuine at")
            )
        )
        return sheet.build(story)
