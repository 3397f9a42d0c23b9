"""Admin wiring for accounts: the privacy log action (Wagtail's history, site history report); two-factor settings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    actions.register_action("account.erase", _("Erase personal data"), _("Personal data erased"))


@hooks.register("register_account_menu_item")
def two_factor_authentication(request):
    """Staff manage their authenticator app on the site's account pages (allauth.mfa): linked from the admin."""
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor authentication"),
        "help_text": _("Set up or change the authenticator app you log in with, and your recovery codes."),
    }
