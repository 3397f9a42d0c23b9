"""Personal data (GDPR): what we hold about a person, exported on request, erased on deletion or after retention.

Every model that holds personal data registers a `Handler` here: `export(user)` returns its part of the
person's download, `erase(erasure)` deletes or anonymises it. tests/privacy/test_registry.py walks every model
and fails when one that points at the user (or stores an e-mail address) has neither a handler nor a stated
reason to be exempt, so a new model cannot quietly keep data that the export and erasure miss.

Erasure keeps the user row, anonymised (random address at a non-routable domain, no name, no profile, no
password, inactive): enrolments stay on it for statistics and every reference (audit log, outbox) stays valid.
"""

import json
import re
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from courses.blocks import CHOICE_KINDS
from courses.models import CoursePage
from enrolment import services
from enrolment.access import course_pages_in_language
from enrolment.models import Enrolment, EnrolmentEvent, OutboxMessage

from .models import User, new_calendar_token

# RFC 2606 reserves .invalid: an address there can never be delivered, so no message reaches anyone.
ANONYMOUS_DOMAIN = "anonymised.invalid"
REDACTED = "[erased]"


class PrivacyError(Exception):
    """A rule stopped the operation; `message` is translatable and safe to show to the person."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def is_anonymised(user):
    return user.email.lower().endswith("@" + ANONYMOUS_DOMAIN)


def can_delete_itself(user):
    """Organisers and admins appear in Wagtail's editorial history; a network admin removes their accounts."""
    return not (user.is_staff or user.is_superuser)


# --- The registry -------------------------------------------------------------------------------------------


class Erasure:
    """One person's erasure: who they were (captured before anything is erased) and what they become."""

    def __init__(self, user, *, reason, now):
        self.user = user
        self.reason = reason
        self.now = now
        self.anonymous_email = f"{secrets.token_hex(10)}@{ANONYMOUS_DOMAIN}"
        self.emails = {user.email.lower()} | {
            email.lower() for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        }
        names = {user.get_full_name().strip(), user.first_name.strip(), user.last_name.strip()}
        identifiers = sorted(text for text in self.emails | names if len(text) > 1)
        identifiers.sort(key=len, reverse=True)
        # Whole words only (a surname must not eat half a course title), longest first.
        self._pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(text) for text in identifiers) + r")(?!\w)", re.IGNORECASE
        )

    def scrub(self, value):
        """`value` (text, or JSON data) with the person's addresses and names replaced."""
        if isinstance(value, str):
            return self._pattern.sub(REDACTED, value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value


class Handler:
    """Export and erase the personal data one model holds. Subclasses set `model` ("app_label.Model") and `key`."""

    model = ""
    key = ""
    erase_order = 50  # lower first; the user row itself goes last, others scrub the name it still holds

    def export(self, user):
        raise NotImplementedError

    def erase(self, erasure):
        raise NotImplementedError


registry: dict[str, Handler] = {}


def register(handler_class):
    handler = handler_class()
    registry[handler.model] = handler
    return handler_class


def handler_for(model):
    return registry.get(model._meta.label)


def _iso(value):
    """Times as people here read them: Stockholm time, with its offset."""
    return timezone.localtime(value).isoformat() if value else None


# --- Handlers -----------------------------------------------------------------------------------------------


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
            "profession": user.profession.name if user.profession_id else None,
            "workplace": user.workplace,
            "region": user.get_region_display() if user.region else "",
            "preferred_language": user.preferred_language,
            "privacy_notice_version": user.privacy_notice_version,
            "privacy_accepted_at": _iso(user.privacy_accepted_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
        }

    def erase(self, erasure):
        user = erasure.user
        user.email = erasure.anonymous_email
        user.first_name = user.last_name = ""
        user.profession = None
        user.workplace = user.region = user.privacy_notice_version = ""
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
            {"type": authenticator["type"], "created_at": _iso(authenticator["created_at"])}
            for authenticator in Authenticator.objects.filter(user=user).order_by("pk").values("type", "created_at")
        ]

    def erase(self, erasure):
        Authenticator.objects.filter(user=erasure.user).delete()


@register
class EnrolmentHandler(Handler):
    model = "enrolment.Enrolment"
    key = "enrolments"
    erase_order = 10

    def export(self, user):
        enrolments = list(
            Enrolment.objects.filter(user=user)
            .select_related("occasion", "occasion__course")
            .prefetch_related("events")
            .order_by("pk")
        )
        pages = course_pages_in_language([e.occasion.course for e in enrolments], user.preferred_language)
        return [
            {
                "id": enrolment.pk,
                "course": pages.get(enrolment.occasion.course.translation_key, enrolment.occasion.course).title,
                "occasion": {
                    "start": _iso(enrolment.occasion.start),
                    "end": _iso(enrolment.occasion.end),
                    "place": enrolment.occasion.place,
                },
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "enrolled_at": _iso(enrolment.created_at),
                "updated_at": _iso(enrolment.updated_at),
                "offer_expires_at": _iso(enrolment.offer_expires_at),
                "answers": list(enrolment.answers.values()),
                "message_from_organiser": enrolment.message,
                "events": [{"kind": event.kind, "at": _iso(event.created_at)} for event in enrolment.events.all()],
            }
            for enrolment in enrolments
        ]

    def erase(self, erasure):
        # Kept, with their occasion and status, for the statistics; what the person wrote or was told goes.
        Enrolment.objects.filter(user=erasure.user).update(answers={}, message="")
        for event in EnrolmentEvent.objects.filter(enrolment__user=erasure.user).exclude(data={}):
            scrubbed = erasure.scrub(event.data)
            if scrubbed != event.data:
                EnrolmentEvent.objects.filter(pk=event.pk).update(data=scrubbed)


@register
class OutboxHandler(Handler):
    model = "enrolment.OutboxMessage"
    key = "messages"
    erase_order = 20

    @staticmethod
    def _rows(user, emails):
        by_address = Q()
        for email in emails:
            by_address |= Q(email__iexact=email)
        return OutboxMessage.objects.filter(Q(user=user) | by_address)

    def export(self, user):
        return [
            {
                "kind": message.kind,
                "kind_label": message.get_kind_display(),
                "email": message.email,
                "language": message.language,
                "status": message.status,
                "queued_at": _iso(message.created_at),
                "sent_at": _iso(message.sent_at),
                "enrolment": message.enrolment_id,
            }
            for message in self._rows(user, {user.email}).order_by("pk")
        ]

    def erase(self, erasure):
        Status = OutboxMessage.Status
        for message in self._rows(erasure.user, erasure.emails):
            fields = {
                "email": erasure.anonymous_email,
                "data": erasure.scrub(message.data),
                "last_error": erasure.scrub(message.last_error),
            }
            if message.status == Status.QUEUED:
                # Nobody is left to read it (the cancellation notices of the deletion itself among them).
                fields.update(status=Status.FAILED, last_error="Not sent: the recipient's personal data was erased.")
            OutboxMessage.objects.filter(pk=message.pk).update(**fields)


@register
class AuditLogHandler(Handler):
    """Wagtail's log entries about the person's enrolments and account: labels hold their name at the time."""

    model = "wagtailcore.ModelLogEntry"
    key = "audit_log"
    erase_order = 30

    @staticmethod
    def _entries(user):
        enrolment_ids = [str(pk) for pk in Enrolment.objects.filter(user=user).values_list("pk", flat=True)]
        return ModelLogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Enrolment), object_id__in=enrolment_ids)
            | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
            | Q(user=user)
        )

    def export(self, user):
        enrolment_type = ContentType.objects.get_for_model(Enrolment)
        return [
            {
                "action": entry.action,
                "at": _iso(entry.timestamp),
                "enrolment": int(entry.object_id) if entry.content_type_id == enrolment_type.pk else None,
                # Organisers' names are their personal data, not the participant's.
                "by": "you" if entry.user_id == user.pk else ("organiser" if entry.user_id else "system"),
                "data": entry.data,
            }
            for entry in self._entries(user).order_by("timestamp", "pk")
        ]

    def erase(self, erasure):
        for entry in self._entries(erasure.user):
            label, data = erasure.scrub(entry.label), erasure.scrub(entry.data)
            if (label, data) != (entry.label, entry.data):
                # update(): log entries are history; save() would re-validate the action against the registry.
                ModelLogEntry.objects.filter(pk=entry.pk).update(label=label, data=data)


def _enrolment_model():
    return Enrolment


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


# --- Services -----------------------------------------------------------------------------------------------


def export_person(user, now=None):
    """Everything held about the person, one section per handler, as JSON-ready data."""
    data = {"exported_at": _iso(now or timezone.now())}
    for handler in registry.values():
        data[handler.key] = handler.export(user)
    return data


def export_json(user, now=None):
    return json.dumps(export_person(user, now), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _cancel_upcoming(user, now):
    """Cancel the person's active enrolments on occasions not yet over, through the normal rules: the seats
    go to the waiting list and organisers hear of it as for any cancellation. Enrolments on occasions that
    have ended stay as they are (attendance history, not seats)."""
    enrolment_ids = (
        Enrolment.objects.filter(user=user, occasion__end__gt=now)
        .active()
        .order_by("occasion_id", "pk")
        .values_list("pk", flat=True)
    )
    cancelled = 0
    for enrolment_id in list(enrolment_ids):
        try:
            services.cancel(enrolment_id, user, as_organiser=True, now=now)
        except services.EnrolmentError:
            continue  # no longer active (an organiser or an offer expiry got there first)
        cancelled += 1
    return cancelled


def upcoming_enrolments(user, language_code, now=None):
    """The active enrolments that deleting the account would cancel, each with its course `page` in the
    given language (shown before the person confirms)."""
    enrolments = list(
        Enrolment.objects.filter(user=user, occasion__end__gt=now or timezone.now())
        .active()
        .select_related("occasion", "occasion__course")
        .order_by("occasion__start")
    )
    pages = course_pages_in_language([e.occasion.course for e in enrolments], language_code)
    for enrolment in enrolments:
        enrolment.page = pages.get(enrolment.occasion.course.translation_key, enrolment.occasion.course)
    return enrolments


def erase_person(user, *, reason="request", now=None):
    """Cancel the person's upcoming enrolments, then erase or anonymise everything the handlers know of.

    One transaction: the messages the cancellations cause go out after commit, to the people moving up the
    waiting list, never to the erased address. Running it again on an erased account changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Serialises two erasures of the same person (a double submit: the second finds it done). NO KEY: an
        # enrolment being written meanwhile only needs a key-share lock on the row, so this cannot deadlock it.
        user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if is_anonymised(user):
            return user
        if not can_delete_itself(user):
            raise PrivacyError(
                _("Accounts of organisers and administrators are deleted by a network administrator."), code="staff"
            )
        _cancel_upcoming(user, now)
        erasure = Erasure(user, reason=reason, now=now)
        for handler in sorted(registry.values(), key=lambda handler: handler.erase_order):
            handler.erase(erasure)
        # Accountability: that an erasure happened, and why; the entry's label is the anonymous address.
        log(instance=user, action="account.erase", data={"reason": reason})
        return user


def delete_account(user, now=None):
    """The person deletes their own account (after confirming on the deletion page)."""
    return erase_person(user, reason="request", now=now)


def _months_before(now, months):
    return timezone.localtime(now) - relativedelta(months=months)


def dormant_accounts(cutoff):
    """Participants not seen since `cutoff` whose every enrolment is on an occasion that ended before it."""
    recent = Enrolment.objects.filter(user=OuterRef("pk"), occasion__end__gte=cutoff)
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__iendswith="@" + ANONYMOUS_DOMAIN)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(Exists(recent))
    )


def _question_kinds(course, cache):
    """{question block id: kind} over every language version of the course (ids are kept in translations)."""
    if course.translation_key not in cache:
        kinds = {}
        for page in CoursePage.objects.filter(translation_key=course.translation_key):
            for block in page.enrolment_questions:
                kinds[block.id] = block.value["kind"]
        cache[course.translation_key] = kinds
    return cache[course.translation_key]


def anonymise_expired(now=None):
    """Retention, run daily: what is kept about participants after their occasions have ended.

    - Accounts whose every enrolment ended more than PRIVACY_RETENTION_MONTHS ago and that have not logged in
      since: erased as on deletion.
    - Other enrolments that old: answers and the organiser's message erased.
    - Free-text answers (anything not picked from the organiser's options) after
      PRIVACY_ANSWERS_RETENTION_MONTHS.

    Enrolments themselves stay (occasion and status), so the counts per occasion and status remain. Safe to
    run any number of times: a second run finds nothing left to change.
    """
    now = now or timezone.now()
    cutoff = _months_before(now, settings.PRIVACY_RETENTION_MONTHS)
    answers_cutoff = _months_before(now, settings.PRIVACY_ANSWERS_RETENTION_MONTHS)

    accounts = 0
    for user in dormant_accounts(cutoff).order_by("pk"):
        erase_person(user, reason="retention", now=now)
        accounts += 1

    expired = Enrolment.objects.filter(occasion__end__lt=cutoff).exclude(answers={}, message="")
    enrolments = expired.update(answers={}, message="")

    free_text = 0
    kinds_cache = {}
    recent_answers = (
        Enrolment.objects.filter(occasion__end__lt=answers_cutoff)
        .exclude(answers={})
        .select_related("occasion__course")
        .order_by("pk")
    )
    for enrolment in recent_answers.iterator(chunk_size=500):
        kinds = _question_kinds(enrolment.occasion.course, kinds_cache)
        kept = {
            block_id: answer for block_id, answer in enrolment.answers.items() if kinds.get(block_id) in CHOICE_KINDS
        }
        if kept != enrolment.answers:
            Enrolment.objects.filter(pk=enrolment.pk).update(answers=kept)
            free_text += 1
    return {"accounts": accounts, "enrolments": enrolments, "free_text_answers": free_text}


# --- Certificates of attendance ---------------------------------------------------------------------------


@register
class CertificateHandler(Handler):
    """Certificates stay verifiable for whoever holds one (the issue's "issued certificates' verification
    remain"); what goes is the name on the snapshot, so the verification page says the name was removed."""

    model = "enrolment.Certificate"
    key = "certificates"
    erase_order = 15

    def export(self, user):
        from enrolment import certificates
        from enrolment.models import Certificate

        language = user.preferred_language
        return [
            {
                "code": certificate.display_code,
                "issued_at": _iso(certificate.issued_at),
                "enrolment": certificate.enrolment_id,
                "participant_name": certificate.participant_name,
                "course": certificate.course_title(language),
                "occasion": {"start": _iso(certificate.occasion_start), "end": _iso(certificate.occasion_end)},
                "centres": certificate.centres(language),
                "cpd_hours": certificate.cpd_hours,
                "verification_url": certificates.verification_url(certificate, language),
            }
            for certificate in Certificate.objects.filter(enrolment__user=user).order_by("pk")
        ]

    def erase(self, erasure):
        from enrolment.models import Certificate

        Certificate.objects.filter(enrolment__user=erasure.user).exclude(participant_name="").update(
            participant_name=""
        )


# --- CPD transcripts (issue 17; moves to enrolment/privacy.py with the registry) ------------------------------


@register
class TranscriptHandler(Handler):
    """Like certificates: a transcript keeps verifying for whoever holds one; erasure blanks the name on it."""

    model = "enrolment.Transcript"
    key = "cpd_transcripts"
    erase_order = 15

    def export(self, user):
        from enrolment import cpd
        from enrolment.models import Transcript

        language = user.preferred_language
        return [
            {
                "code": transcript.display_code,
                "issued_at": _iso(transcript.issued_at),
                "participant_name": transcript.participant_name,
                "courses": transcript.entries,
                "total_cpd_hours": transcript.total_hours,
                "verification_url": cpd.verification_url(transcript, language),
            }
            for transcript in Transcript.objects.filter(user=user).order_by("pk")
        ]

    def erase(self, erasure):
        from enrolment.models import Transcript

        Transcript.objects.filter(user=erasure.user).exclude(participant_name="").update(participant_name="")


# --- Course alerts (issue 17; moves to catalogue/privacy.py with the registry) --------------------------------


def _alerts_of(user, emails=None):
    from catalogue.models import Alert

    emails = emails or {user.email.lower()}
    return Alert.objects.filter(Q(user=user) | Q(email__in=emails))


@register
class AlertHandler(Handler):
    """A person's alerts (also those made before they had an account, by address) are exported and deleted."""

    model = "catalogue.Alert"
    key = "course_alerts"
    erase_order = 10

    def export(self, user):
        from catalogue import alerts

        return [
            {
                "email": alert.email,
                "view": alerts.describe(alert),
                "filters": alert.query,
                "language": alert.language,
                "frequency": alert.frequency,
                "created_at": _iso(alert.created_at),
                "confirmed_at": _iso(alert.confirmed_at) if alert.confirmed_at else None,
                "mails_sent": alert.messages.filter(status="sent").count(),
            }
            for alert in _alerts_of(user).order_by("pk")
        ]

    def erase(self, erasure):
        # Their matches and mails go with them (CASCADE).
        _alerts_of(erasure.user, erasure.emails).delete()


@register
class AlertMessageHandler(Handler):
    """Alert mails hold no address of their own (the alert's): exported with the alerts, deleted with them."""

    model = "catalogue.AlertMessage"
    key = "course_alert_mails"
    erase_order = 10

    def export(self, user):
        from catalogue.models import AlertMessage

        return [
            {
                "kind": message.kind,
                "status": message.status,
                "sent_at": _iso(message.sent_at) if message.sent_at else None,
            }
            for message in AlertMessage.objects.filter(alert__in=_alerts_of(user)).order_by("pk")
        ]

    def erase(self, erasure):
        from catalogue.models import AlertMessage

        AlertMessage.objects.filter(alert__in=_alerts_of(erasure.user, erasure.emails)).delete()
