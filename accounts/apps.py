from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401 - registers the settings checks
        from .services import record_new_authenticator

        authenticator_added.connect(record_new_authenticator, dispatch_uid="accounts.record_new_authenticator")
        # Each app's privacy.py registers its models' export and erasure (accounts.privacy's registry).
        autodiscover_modules("privacy")
