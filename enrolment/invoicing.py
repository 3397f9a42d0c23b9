"""Fees on enrolments: the invoice details asked at enrolment, what a late cancellation costs, and the invoice
basis organisers export (per occasion or per period, totals per cost centre).

The fee itself is the course's (courses/fees.py); an enrolment keeps a snapshot of the amount, the VAT status
and the invoice details given when enrolling. An enrolment is invoiced when the person held a seat when the
occasion took place (confirmed, attended, no-show) or cancelled after the cancellation deadline (`fee_stands`).
"""

import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import COST_CENTRE_PATTERN
from courses.fees import VatStatus, fee_amount_text, fee_text

from .models import Enrolment
from .organisers.exports import ExportContext, neutralise

Status = Enrolment.Status

# The details a course with a fee asks for, in the form's order; the profile holds defaults of the same names.
INVOICE_FIELDS = ("invoice_organisation", "cost_centre", "invoice_reference")
MAX_LENGTHS = {"invoice_organisation": 200, "cost_centre": 40, "invoice_reference": 100}
COST_CENTRE = re.compile(COST_CENTRE_PATTERN)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

# Who is invoiced: a seat held when the occasion took place, or a cancellation after the deadline.
INVOICED = Q(fee__gt=0) & (
    Q(status__in=[Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW]) | Q(status=Status.CANCELLED, fee_stands=True)
)


REQUIRED_MESSAGES = {
    "invoice_organisation": _("Give the organisation to invoice, for example Region Skåne."),
    "cost_centre": _("Give the cost centre (kostnadsställe) of your unit."),
    "invoice_reference": _("Give the invoice reference your unit wants on the invoice."),
}


def clean_invoice_details(data):
    """({field: text}, {field: message}) from what the person typed: every field required, trimmed."""
    cleaned, errors = {}, {}
    messages = REQUIRED_MESSAGES
    for name in INVOICE_FIELDS:
        raw = (data or {}).get(name)
        value = " ".join(raw.split()) if isinstance(raw, str) else ""
        if CONTROL_CHARACTERS.search(raw if isinstance(raw, str) else ""):
            errors[name] = _("Remove the control characters from this field.")
        elif not value:
            errors[name] = messages[name]
        elif len(value) > MAX_LENGTHS[name]:
            errors[name] = _("At most %(limit)s characters.") % {"limit": MAX_LENGTHS[name]}
        elif name == "cost_centre" and not COST_CENTRE.match(value):
            errors[name] = _("Write the cost centre with letters and digits, for example 51200 or K-5120.")
        else:
            cleaned[name] = value
    return cleaned, errors


def profile_defaults(user):
    """The person's saved invoice details, for the enrolment form."""
    return {name: getattr(user, name, "") for name in INVOICE_FIELDS}


def enrolment_fee_text(enrolment, language=None):
    """The fee the person enrolled for (the snapshot), as a phrase: `Avgift 4 500 kr exkl. moms`."""
    return fee_text(enrolment.fee, enrolment.fee_vat, language)


def fee_stands_if_cancelled(enrolment, now=None):
    """Whether cancelling now keeps the fee: a confirmed seat with a fee, after the cancellation deadline."""
    now = now or timezone.now()
    return (
        enrolment.has_fee
        and enrolment.status == Status.CONFIRMED
        and now >= enrolment.occasion.cancellation_deadline_at
    )


def late_cancellation_allowed(enrolment, now=None):
    """A person may cancel a paid enrolment after the deadline, until the occasion starts (the fee stands)."""
    now = now or timezone.now()
    return enrolment.has_fee and now < enrolment.occasion.start


# --- The invoice basis ------------------------------------------------------------------------------------

BASIS_VALUES = [
    "invoice_organisation",
    "cost_centre",
    "invoice_reference",
    "user__first_name",
    "user__last_name",
    "user__email",
    "course_title",
    "occasion__start",
    "fee",
    "fee_vat",
    "status",
    "fee_stands",
]


def invoiced(enrolments):
    """The enrolments of `enrolments` that are invoiced, in the file's order, as dicts of BASIS_VALUES."""
    return (
        enrolments.filter(INVOICED)
        .annotate(course_title=F("occasion__course__title"))
        .order_by("invoice_organisation", "cost_centre", "occasion__start", "user__last_name", "user__first_name", "pk")
        .values(*BASIS_VALUES)
    )


def _status(row, export):
    if row["status"] == Status.CANCELLED and row["fee_stands"]:
        return gettext("Cancelled after the deadline (the fee stands)")
    return export.status(row)


def basis_headings():
    return [
        str(label)
        for label in (
            _("Organisation"),
            _("Cost centre"),
            _("Invoice reference"),
            _("Person"),
            _("E-mail"),
            _("Course"),
            _("Date"),
            _("Fee (SEK)"),
            _("VAT"),
            _("Status"),
            _("Attendance"),
        )
    ]


def invoice_basis_table(rows):
    """(headings, rows of cells) of the invoice basis: one row per invoiced enrolment, then the totals per
    organisation, cost centre and VAT status. Rows are produced one at a time (the totals as they pass)."""
    export = ExportContext.current()
    vat_labels = {status.value: str(status.label) for status in VatStatus}

    def cells():
        totals = defaultdict(lambda: [0, Decimal(0)])
        for row in rows:
            key = (row["invoice_organisation"], row["cost_centre"], row["fee_vat"])
            totals[key][0] += 1
            totals[key][1] += row["fee"]
            yield [
                neutralise(value)
                for value in (
                    row["invoice_organisation"],
                    row["cost_centre"],
                    row["invoice_reference"],
                    f"{row['user__first_name']} {row['user__last_name']}".strip(),
                    row["user__email"],
                    row["course_title"],
                    export.local(row["occasion__start"]).date(),
                    row["fee"],
                    vat_labels.get(row["fee_vat"], row["fee_vat"]),
                    _status(row, export),
                    export.attendance(row),
                )
            ]
        yield []
        yield [gettext("Totals per cost centre")]
        yield [
            gettext("Organisation"),
            gettext("Cost centre"),
            gettext("Enrolments"),
            "",
            "",
            "",
            "",
            gettext("Fee (SEK)"),
            gettext("VAT"),
        ]
        for (organisation, cost_centre, vat), (count, total) in sorted(totals.items()):
            yield [
                neutralise(organisation),
                neutralise(cost_centre),
                count,
                "",
                "",
                "",
                "",
                total,
                vat_labels.get(vat, vat),
            ]
        yield [
            gettext("Total"),
            "",
            sum(count for count, _total in totals.values()),
            "",
            "",
            "",
            "",
            sum((total for _count, total in totals.values()), Decimal(0)),
            "",
        ]

    return basis_headings(), cells()


def basis_file_name(occasion=None, start=None, end=None):
    """`fakturaunderlag-<course>-<date>` for an occasion, `fakturaunderlag-<from>-<to>` for a period."""
    prefix = slugify(gettext("invoice basis"))
    if occasion is not None:
        day = timezone.localtime(occasion.start).date().isoformat()
        return f"{prefix}-{slugify(occasion.course.title)[:60]}-{day}"
    return f"{prefix}-{start.isoformat()}-{end.isoformat()}"


def fee_summary(enrolment):
    """What the person's enrolment page and e-mails say about the fee and invoice, or None for a free one."""
    if not enrolment.has_fee:
        return None
    return {
        "fee": fee_amount_text(enrolment.fee, enrolment.fee_vat),
        "organisation": enrolment.invoice_organisation,
        "cost_centre": enrolment.cost_centre,
        "reference": enrolment.invoice_reference,
    }
