"""What a course costs: the fee per occasion (the course's, or an occasion's own) and its VAT status, written as
people in Sweden write amounts: "Avgift 4 500 kr exkl. moms" in Swedish, "Fee SEK 4,500 excl. VAT" in English.

The fee is set on the course (Enrolment tab) and may be overridden per occasion (an evening occasion that costs
less); the VAT status is the course's. Enrolments keep a snapshot of both (enrolment.models.Enrolment.fee), so
a later change of price never changes what someone enrolled for. Any layer may call these functions: the manager
approval mail, the confirmation mail, the course page and the invoice basis all say the fee the same way.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.language import active_language

NO_BREAK_SPACE = "\u00a0"


class VatStatus(models.TextChoices):
    """How VAT applies to a fee. Courses between public bodies are often VAT exempt; the others add 25 %."""

    EXCLUDED = "excluded", _("Excluding VAT (25 per cent is added)")
    INCLUDED = "included", _("Including VAT (25 per cent)")
    EXEMPT = "exempt", _("VAT exempt")


VAT_RATE = Decimal("0.25")


def fee_field(verbose_name, help_text):
    """An amount in SEK (a course's or an occasion's fee), never negative; empty means "not set here"."""
    return models.DecimalField(
        verbose_name,
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def has_fee(amount):
    return amount is not None and amount > 0


def effective_fee(occasion, course=None):
    """(amount or None, VAT status) of an occasion: its own amount if set, else the course's.

    `course` is the course page the caller already holds (any language version: fees are synchronised), so no
    query is made for it."""
    course = course if course is not None else occasion.course
    amount = occasion.fee if occasion.fee is not None else course.fee
    return (amount if has_fee(amount) else None), course.fee_vat


def format_amount(amount, language=None):
    """`4 500 kr` (Swedish, no-break spaces) or `SEK 4,500` (English); öre only when there are any."""
    language = active_language(language)
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    if language == "sv":
        text = text.replace(",", NO_BREAK_SPACE).replace(".", ",")
        return f"{text}{NO_BREAK_SPACE}kr"
    return f"SEK{NO_BREAK_SPACE}{text}"


def vat_note(vat, language=None):
    """`exkl. moms` / `excl. VAT`, `inkl. moms` / `incl. VAT`, `momsfri` / `VAT exempt`."""
    with translation.override(active_language(language)):
        if vat == VatStatus.INCLUDED:
            return pgettext("fee", "incl. VAT")
        if vat == VatStatus.EXEMPT:
            return pgettext("fee", "VAT exempt")
        return pgettext("fee", "excl. VAT")


def fee_amount_text(amount, vat, language=None):
    """`4 500 kr exkl. moms` / `SEK 4,500 excl. VAT`, or `Kostnadsfri` / `Free of charge`."""
    language = active_language(language)
    with translation.override(language):
        if not has_fee(amount):
            return gettext("Free of charge")
        return f"{format_amount(amount, language)} {vat_note(vat, language)}"


def fee_text(amount, vat, language=None):
    """The fee as a phrase of its own: `Avgift 4 500 kr exkl. moms` / `Fee SEK 4,500 excl. VAT`, or
    `Kostnadsfri` / `Free of charge`."""
    language = active_language(language)
    with translation.override(language):
        if not has_fee(amount):
            return gettext("Free of charge")
        return gettext("Fee %(amount)s") % {"amount": fee_amount_text(amount, vat, language)}


def occasion_fee_text(occasion, course=None, language=None):
    """What an occasion costs, as a phrase (see fee_text): for pages, mails (the manager's too) and exports."""
    amount, vat = effective_fee(occasion, course)
    return fee_text(amount, vat, language)
