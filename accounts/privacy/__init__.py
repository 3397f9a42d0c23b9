"""Personal data (GDPR): what we hold about a person, exported on request, erased on deletion or after retention.

Every model that holds personal data has a `Handler` in the registry (registry.py): accounts' own in
handlers.py, every other app's in its `<app>/privacy.py` (enrolment/privacy.py: enrolments, messages,
certificates). The services below only walk the registry, so this layer never imports the apps above it.

Erasure keeps the user row, anonymised (random address at a non-routable domain, no name, no profile, no
password, inactive): enrolments stay on it for statistics and every reference (audit log, outbox) stays valid.
"""

import json

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from ..models import User
from . import handlers  # noqa: F401 - registers the account's own handlers
from .registry import ANONYMOUS_DOMAIN, REDACTED, Erasure, Handler, handler_for, iso, register, registry

__all__ = [
    "ANONYMOUS_DOMAIN",
    "REDACTED",
    "Erasure",
    "Handler",
    "PrivacyError",
    "anonymise_expired",
    "can_delete_itself",
    "delete_account",
    "dormant_accounts",
    "erase_person",
    "export_json",
    "export_person",
    "handler_for",
    "is_anonymised",
    "iso",
    "months_before",
    "register",
    "registry",
    "released_by_erasure",
]


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


def export_person(user, now=None):
    """Everything held about the person, one section per handler, as JSON-ready data."""
    data = {"exported_at": iso(now or timezone.now())}
    for handler in registry.values():
        data[handler.key] = handler.export(user)
    return data


def export_json(user, now=None):
    return json.dumps(export_person(user, now), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def released_by_erasure(user, language_code, now=None):
    """What deleting the account would give back (the upcoming enrolments it cancels), shown before the person
    confirms, in the given language."""
    now = now or timezone.now()
    return [item for handler in registry.values() for item in handler.released_by_erasure(user, language_code, now)]


def erase_person(user, *, reason="request", now=None):
    """Give back what the person holds (their upcoming seats), then erase or anonymise everything the handlers
    know of.

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
        for handler in registry.values():
            handler.release(user, now)
        erasure = Erasure(user, reason=reason, now=now)
        for handler in sorted(registry.values(), key=lambda handler: handler.erase_order):
            handler.erase(erasure)
        # Accountability: that an erasure happened, and why; the entry's label is the anonymous address.
        log(instance=user, action="account.erase", data={"reason": reason})
        return user


def delete_account(user, now=None):
    """The person deletes their own account (after confirming on the deletion page)."""
    return erase_person(user, reason="request", now=now)


def months_before(now, months):
    """`months` calendar months before `now`, in Stockholm time (retention periods are in months)."""
    return timezone.localtime(now) - relativedelta(months=months)


def dormant_accounts(cutoff):
    """Participants not seen since `cutoff` with nothing that keeps the account in use (an enrolment on an
    occasion that ends after it, as enrolment/privacy.py says)."""
    accounts = (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__iendswith="@" + ANONYMOUS_DOMAIN)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    for handler in registry.values():
        in_use = handler.in_use_after(cutoff)
        if in_use is not None:
            accounts = accounts.exclude(in_use)
    return accounts


def anonymise_expired(now=None):
    """Retention, run daily: what is kept about participants after their occasions have ended.

    - Accounts whose every enrolment ended more than PRIVACY_RETENTION_MONTHS ago and that have not logged in
      since: erased as on deletion.
    - Then each handler's own retention (enrolment/privacy.py: answers and the organiser's message after
      PRIVACY_RETENTION_MONTHS, free-text answers after PRIVACY_ANSWERS_RETENTION_MONTHS).

    Safe to run any number of times: a second run finds nothing left to change.
    """
    now = now or timezone.now()
    cutoff = months_before(now, settings.PRIVACY_RETENTION_MONTHS)

    accounts = 0
    for user in dormant_accounts(cutoff).order_by("pk"):
        erase_person(user, reason="retention", now=now)
        accounts += 1

    result = {"accounts": accounts}
    for handler in registry.values():
        result.update(handler.expire(now))
    return result
