"""The account's own personal data: the profile, its groups and permissions, allauth's addresses, single
sign-on links and second factors, Wagtail's admin state and the audit log about the person."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import ModelLogEntry

from ..models import User, new_calendar_token
from .registry import Handler, iso, register, registry


@register
class ProfileHandler(Handler):
    model = "accounts.User"
    key = "profile"
    erase_order = 90

    def export(self, user):
        return {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "profession": user.get_profession_display() if user.profession else None,
            "workplace": user.workplace,
            "region": user.get_region_display() if user.region else "",
            "preferred_language": user.preferred_language,
            "invoice_organisation": user.invoice_organisation,
            "cost_centre": user.cost_centre,
            "invoice_reference": user.invoice_reference,
            "manager_name": user.manager_name,
            "manager_email": user.manager_email,
            "privacy_notice_version": user.privacy_notice_version,
            "privacy_accepted_at": iso(user.privacy_accepted_at),
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "is_active": user.is_active,
        }

    def erase(self, erasure):
        user = erasure.user
        user.email = erasure.anonymous_email
        user.first_name = user.last_name = ""
        user.profession = ""
        user.workplace = user.region = user.privacy_notice_version = ""
        user.invoice_organisation = user.cost_centre = user.invoice_reference = ""
        user.manager_name = user.manager_email = ""
        user.privacy_accepted_at = None
        user.preferred_language = settings.LANGUAGE_CODE
        user.last_login = None
        user.is_active = False
        user.set_unusable_password()
        # The calendar subscription URL is the token: a new one ends every old subscription.
        user.calendar_token = new_calendar_token()
        user.save()


@register
class GroupsHandler(Handler):
    model = "accounts.User_groups"
    key = "groups"

    def export(self, user):
        return sorted(user.groups.values_list("name", flat=True))

    def erase(self, erasure):
        erasure.user.groups.clear()


@register
class PermissionsHandler(Handler):
    model = "accounts.User_user_permissions"
    key = "permissions"

    def export(self, user):
        return sorted(user.user_permissions.values_list("codename", flat=True))

    def erase(self, erasure):
        erasure.user.user_permissions.clear()


@register
class EmailAddressHandler(Handler):
    model = "account.EmailAddress"
    key = "email_addresses"

    def export(self, user):
        return list(EmailAddress.objects.filter(user=user).order_by("pk").values("email", "verified", "primary"))

    def erase(self, erasure):
        # Pending confirmations go with them (cascade).
        EmailAddress.objects.filter(user=erasure.user).delete()


@register
class SocialAccountHandler(Handler):
    model = "socialaccount.SocialAccount"
    key = "social_accounts"

    def export(self, user):
        # The provider's own profile (extra_data) and tokens are the provider's data, not exported.
        return list(SocialAccount.objects.filter(user=user).order_by("pk").values("provider", "uid"))

    def erase(self, erasure):
        # Tokens go with them (cascade).
        SocialAccount.objects.filter(user=erasure.user).delete()


@register
class AuthenticatorHandler(Handler):
    model = "mfa.Authenticator"
    key = "second_factors"

    def export(self, user):
        # What kind and since when; never the secret itself (a TOTP seed or recovery codes would be a key).
        return [
            {"type": authenticator["type"], "created_at": iso(authenticator["created_at"])}
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk").values("type", "created_at")
        ]

    def erase(self, erasure):
        Authenticator.objects.filter(user=erasure.user).delete()


@register
class AuditLogHandler(Handler):
    """Wagtail's log entries about the person's account and objects (their enrolments, as the enrolment app
    registers them): labels hold their name at the time."""

    model = "wagtailcore.ModelLogEntry"
    key = "audit_log"
    erase_order = 30

    @staticmethod
    def _logged(user):
        """[(content type, ids, export key)] of the objects other handlers say are the person's."""
        logged = []
        for handler in registry.values():
            if found := handler.logged_objects(user):
                model, ids, key = found
                logged.append((ContentType.objects.get_for_model(model), [str(pk) for pk in ids], key))
        return logged

    @staticmethod
    def _entries(user, logged):
        about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)) | Q(user=user)
        for content_type, ids, _key in logged:
            about |= Q(content_type=content_type, object_id__in=ids)
        return ModelLogEntry.objects.filter(about)

    def export(self, user):
        logged = self._logged(user)
        return [
            {
                "action": entry.action,
                "at": iso(entry.timestamp),
                **{
                    key: int(entry.object_id) if entry.content_type_id == content_type.pk else None
                    for content_type, _ids, key in logged
                },
                # Organisers' names are their personal data, not the participant's.
                "by": "you" if entry.user_id == user.pk else ("organiser" if entry.user_id else "system"),
                "data": entry.data,
            }
            for entry in self._entries(user, logged).order_by("timestamp", "pk")
        ]

    def erase(self, erasure):
        for entry in self._entries(erasure.user, self._logged(erasure.user)):
            label, data = erasure.scrub(entry.label), erasure.scrub(entry.data)
            if (label, data) != (entry.label, entry.data):
                # update(): log entries are history; save() would re-validate the action against the registry.
                ModelLogEntry.objects.filter(pk=entry.pk).update(label=label, data=data)


class AdminStateHandler(Handler):
    """Wagtail admin state kept per user (preferences, open editing sessions, unsaved forms, API tokens)."""

    fields = ()

    def _queryset(self, user):
        return apps.get_model(self.model).objects.filter(user=user)

    def export(self, user):
        return list(self._queryset(user).order_by("pk").values(*self.fields))

    def erase(self, erasure):
        self._queryset(erasure.user).delete()


@register
class AdminPreferencesHandler(AdminStateHandler):
    model = "wagtailusers.UserProfile"
    key = "admin_preferences"
    fields = ("preferred_language", "current_time_zone", "theme", "contrast", "density")

    def erase(self, erasure):
        for profile in self._queryset(erasure.user):
            if profile.avatar:
                profile.avatar.delete(save=False)
        super().erase(erasure)


@register
class EditingSessionHandler(AdminStateHandler):
    model = "wagtailadmin.EditingSession"
    key = "admin_editing_sessions"
    fields = ("content_type__model", "object_id", "last_seen_at")


@register
class FormStateHandler(AdminStateHandler):
    model = "wagtailadmin.FormState"
    key = "admin_unsaved_forms"
    fields = ("content_type__model", "object_id", "last_updated_at")


@register
class APITokenHandler(AdminStateHandler):
    model = "wagtailcore.APIToken"
    key = "api_tokens"
    fields = ("name", "prefix", "created", "revoked_at", "last_used_at")
