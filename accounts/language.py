"""The language a person is served in, as the two-letter code the site's locales use ("sv", "en")."""

from django.conf import settings
from django.utils import translation


def active_language(language=None):
    """`language` when given, else the active one; the site's default when neither is one of the site's
    languages (outside a request, or a code such as "de" that the site does not offer)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
