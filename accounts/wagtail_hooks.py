"""Admin wiring for accounts: the privacy log action, shown in Wagtail's history and site history report."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    actions.register_action("account.erase", _("Erase personal data"), _("Personal data erased"))
