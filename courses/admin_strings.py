"""Wagtail's and wagtail-localize's admin strings that their Swedish catalogues leave in English, which course
owners meet every day. Listed here so makemessages keeps them in locale/sv (whose translations come first,
LOCALE_PATHS before the apps' catalogues); the admin itself uses Wagtail's own gettext calls."""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = [
    gettext_noop("Exploring"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("Maximum filesize: %(max_upload_size)s."),
    gettext_noop("Supported formats: %(supported_formats)s. Maximum filesize: %(max_upload_size)s."),
    # The explorer's filters, and the keyboard shortcuts notice ("manage your account to disable them").
    gettext_noop("Date updated"),
    gettext_noop("Any"),
    gettext_noop("account"),
]
