"""Who may enter the admin, and what they must have done at login first.

Everyone logs in through allauth's one login form (rate limits, e-mail verification, second factor). Staff are
the people who may use the Wagtail admin (`wagtailadmin.access_admin`: course owners, check-in helpers,
network admins, superusers). By setting, staff must also have logged in with a second factor
(STAFF_REQUIRE_MFA) or through the region's identity provider (STAFF_REQUIRE_OIDC). allauth keeps a record of
each way a person proved who they are in this session; those records decide.
"""

from enum import StrEnum

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings


class AdminEntry(StrEnum):
    """What stands between a logged-in person and the admin."""

    NO_ACCESS = "no_access"  # not staff: a clinician
    OIDC_REQUIRED = "oidc_required"  # staff who logged in some other way than the identity provider
    MFA_SETUP_REQUIRED = "mfa_setup_required"  # staff without an authenticator app
    MFA_CODE_REQUIRED = "mfa_code_required"  # staff with one, who have not entered a code this session


def may_use_admin(user):
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


def _methods(request):
    return get_authentication_records(request, request.user)


def identity_provider_id():
    return settings.STAFF_OIDC_PROVIDER_ID


def identity_provider_name():
    """The name the login page shows on the identity provider's button, e.g. "Region login"."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    for app in apps:
        if app.get("provider_id") == identity_provider_id():
            return app.get("name") or identity_provider_id()
    return identity_provider_id()


def logged_in_through_identity_provider(request):
    provider_id = identity_provider_id()
    return any(
        record.get("method") == "socialaccount" and record.get("provider") == provider_id
        for record in _methods(request)
    )


def entered_second_factor(request):
    return any(record.get("method") == "mfa" for record in _methods(request))


def admin_entry_problem(request):
    """None when the logged-in person may use the admin now, otherwise what they must do (an AdminEntry)."""
    user = request.user
    if not may_use_admin(user):
        return AdminEntry.NO_ACCESS
    if settings.STAFF_REQUIRE_OIDC and not logged_in_through_identity_provider(request):
        return AdminEntry.OIDC_REQUIRED
    if settings.STAFF_REQUIRE_MFA and not entered_second_factor(request):
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            return AdminEntry.MFA_SETUP_REQUIRED
        return AdminEntry.MFA_CODE_REQUIRED
    return None


def record_new_authenticator(request, user, authenticator, **kwargs):
    """An authenticator app activated in this session counts as a second factor entered in it: the person has
    just typed a valid code from it (and logged in, recently, to get there). Without this, staff sent to set one
    up would be asked for a code again straight away. Connected to allauth's `authenticator_added`."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
