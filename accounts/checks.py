"""Settings that would lock every member of staff out of the admin are refused at start-up."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def staff_login_settings(app_configs, **kwargs):
    errors = []
    if settings.STAFF_REQUIRE_OIDC:
        apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
        if not any(app.get("provider_id") == settings.STAFF_OIDC_PROVIDER_ID for app in apps):
            errors.append(
                Error(
                    "STAFF_REQUIRE_OIDC is on but no OpenID Connect provider is configured.",
                    hint="Set OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_SERVER_URL (and OIDC_PROVIDER_ID if not "
                    "'region'), or turn STAFF_REQUIRE_OIDC off: otherwise nobody can enter the admin.",
                    id="accounts.E001",
                )
            )
    return errors
