"""Dates and times as people in Sweden write them, in Europe/Stockholm.

Swedish: `25 nov. 2026 kl. 09.00`; English: `25 Nov 2026, 09:00` (see shared DOMAIN.md).
"""

from django.utils import timezone

from accounts.language import active_language

MONTHS = {
    "sv": ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "dec."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def format_date(value, language=None):
    language = active_language(language)
    local = timezone.localtime(value) if hasattr(value, "hour") else value
    return f"{local.day} {MONTHS[language][local.month - 1]} {local.year}"


def format_time(value, language=None):
    local = timezone.localtime(value)
    separator = "." if active_language(language) == "sv" else ":"
    return f"{local:%H}{separator}{local:%M}"


def format_datetime(value, language=None):
    language = active_language(language)
    joiner = " kl. " if language == "sv" else ", "
    return f"{format_date(value, language)}{joiner}{format_time(value, language)}"


def format_period(start, end, language=None):
    """`25 nov. 2026 kl. 09.00–16.00`, or two full date-times when it spans several days."""
    language = active_language(language)
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return f"{format_datetime(start, language)}–{format_time(end, language)}"
    return f"{format_datetime(start, language)} – {format_datetime(end, language)}"
