from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from . import checks  # noqa: F401 - registers the settings checks
        from .services import record_new_authenticator

        authenticator_added.connect(record_new_authenticator, dispatch_uid="accounts.record_new_authenticator")
