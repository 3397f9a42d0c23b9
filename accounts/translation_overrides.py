"""Third-party strings whose Swedish translation we replace (allauth's says "log in" on a sign-up link).

Listing them here keeps them in our catalogue when `make messages` drops entries not found in our code;
our catalogue is searched before the packages' own.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
]
