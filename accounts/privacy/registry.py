"""The privacy registry: one `Handler` per model that holds personal data, filled by each app's privacy.py.

accounts registers the account's own data (accounts/privacy/handlers.py); every other app registers its
models in `<app>/privacy.py`, which AccountsConfig.ready() imports (autodiscover_modules), as pretix's data
shredders do. tests/privacy/test_registry.py fails when a model that points at the user (or stores an e-mail
address) has neither a handler nor a stated reason to be exempt.
"""

import re
import secrets

from allauth.account.models import EmailAddress
from django.utils import timezone

# RFC 2606 reserves .invalid: an address there can never be delivered, so no message reaches anyone.
ANONYMOUS_DOMAIN = "anonymised.invalid"
REDACTED = "[erased]"


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
    """Export and erase the personal data one model holds. Subclasses set `model` ("app_label.Model") and `key`.

    The optional steps let an app take part in an erasure or in retention without accounts knowing its models.
    """

    model = ""
    key = ""
    erase_order = 50  # lower first; the user row itself goes last, others scrub the name it still holds

    def export(self, user):
        raise NotImplementedError

    def erase(self, erasure):
        raise NotImplementedError

    def release(self, user, now):
        """Before an erasure: give back, through the app's own rules, what the person holds in the future."""

    def released_by_erasure(self, user, language_code, now):
        """What `release` would give back, for the person to see before confirming (objects for the template)."""
        return []

    def in_use_after(self, cutoff):
        """An Exists() over this model's rows, per user `OuterRef("pk")`, that keep an account from being
        dormant at `cutoff` (retention); None when the model keeps no account alive."""
        return None

    def expire(self, now):
        """Retention of this model's rows that outlive their purpose, for accounts that stay: {what: count}."""
        return {}

    def logged_objects(self, user):
        """(model, ids, export key) of the person's objects whose audit log entries are theirs too, or None."""
        return None


registry: dict[str, Handler] = {}


def register(handler_class):
    handler = handler_class()
    registry[handler.model] = handler
    return handler_class


def handler_for(model):
    return registry.get(model._meta.label)


def iso(value):
    """Times as people here read them: Stockholm time, with its offset."""
    return timezone.localtime(value).isoformat() if value else None
