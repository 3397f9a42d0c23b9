"""Alerts: anyone follows a catalogue view (filters and search) by e-mail and hears of courses and occasions
published afterwards that match, in a weekly digest or at once.

Someone without an account confirms the address first (double opt-in); a logged-in person's alert starts at
once. Every mail has a one-click unsubscribe (a link, and the List-Unsubscribe / List-Unsubscribe-Post headers
of RFC 8058).

The mails do not go through enrolment's outbox: that outbox is about occasions and enrolments (every row has an
occasion) and catalogue may not import enrolment (the layers in docs/STYLE: catalogue and enrolment stand side
by side). Alerts keep their own small outbox, `AlertMessage`, with the same guarantees: a row written in the
transaction that decides the mail, under a unique key; sent after commit by a task with a fixed Message-ID; a
claim under a row lock, so a task delivered twice sends once; a sweep for what the broker lost. What an
alert has told is `AlertMatch` rows, so the beat job can run any number of times and tell each occasion once.
"""

import hashlib
import logging
import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.site import absolute_url, sender, site_root_url
from courses import formatting
from courses.models import CoursePage, Occasion

from . import services
from .forms import CatalogueFilterForm
from .models import Alert, AlertMatch, AlertMessage

logger = logging.getLogger(__name__)

WEEK = timezone.timedelta(days=7)
# An address nobody confirms gets no more than this many confirmation mails, and unconfirmed alerts are
# forgotten after CONFIRM_WITHIN: someone typing another person's address cannot flood their inbox.
MAX_UNCONFIRMED = 3
CONFIRM_WITHIN = timezone.timedelta(days=7)
MAX_ATTEMPTS = 6
SWEEP_AFTER = timezone.timedelta(minutes=2)
# The query-string keys that choose what a view shows; page and sort only change how it is shown.
IGNORED = {"page", "sort"}


class AlertError(Exception):
    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# --- The followed view ----------------------------------------------------------------------------------


def normalise_query(data, language):
    """The view as a canonical query string of its valid filters (unknown values, page and sort left out), so
    the same view is one alert."""
    params = QueryDict(mutable=True)
    filters = CatalogueFilterForm(data, language_code=language).filters
    for name in sorted(filters):
        if name in IGNORED:
            continue
        value = filters[name]
        if name == "month":
            value = f"{value:%Y-%m}"
        elif isinstance(value, bool):
            value = "on"
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        params.setlist(name, sorted(value) if isinstance(value, list) else [value])
    return params.urlencode()


def filters_of(alert):
    filters = CatalogueFilterForm(QueryDict(alert.query), language_code=alert.language).filters
    filters.pop("sort", None)
    return filters


def describe(alert):
    """The followed view in words ("Topic: CAR-T · Search: gene"), in the alert's language (its values are)."""
    with translation.override(alert.language):
        return _describe(alert)


def _describe(alert):
    form = CatalogueFilterForm(QueryDict(alert.query), language_code=alert.language)
    parts = []
    for name, value in form.filters.items():
        if name in IGNORED:
            continue
        field = form.fields[name]
        choices = dict(field.choices) if hasattr(field, "choices") else {}
        values = value if isinstance(value, list) else [value]
        shown = []
        for item in values:
            if name == "month":
                shown.append(f"{item:%Y-%m}")
            elif hasattr(item, "isoformat"):
                shown.append(formatting.format_date(item, alert.language))
            elif isinstance(item, bool):
                shown.append(_("yes"))
            else:
                shown.append(str(choices.get(item, item)))
        parts.append(f"{field.label}: {', '.join(shown)}")
    return " · ".join(parts) or _("All courses")


def catalogue_url(alert, request=None):
    """The followed view on the site, in the alert's language: absolute for mails, relative within the site."""
    from .models import CatalogueIndexPage

    page = CatalogueIndexPage.objects.live().filter(locale__language_code=alert.language).first()
    if page is None:
        base = "/" if request else site_root_url() + "/"
    else:
        base = page.get_url(request) if request else page.get_full_url()
    return f"{base}?{alert.query}" if alert.query else base


def matching_occasions(alert, now=None):
    """Upcoming scheduled occasions of live public courses in the alert's language that the view shows."""
    filters = filters_of(alert)
    courses, _ranks = services.find_courses(filters, alert.language, now=now)
    keys = list(courses.values_list("translation_key", flat=True))
    return services.matching_occasions(filters, now).filter(course__translation_key__in=keys)


# --- Following, confirming, unsubscribing ---------------------------------------------------------------


def _start(alert, now):
    """Confirmed from now: what the view shows today is not news; the first weekly digest is a week away."""
    alert.confirmed_at = now
    alert.next_digest_at = now + WEEK if alert.frequency == Alert.Frequency.WEEKLY else None
    alert.save(update_fields=["confirmed_at", "next_digest_at", "frequency"])
    AlertMatch.objects.bulk_create(
        [
            AlertMatch(alert=alert, occasion_id=pk, told_at=now)
            for pk in matching_occasions(alert, now).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def follow(*, query, language, frequency, user=None, email="", now=None):
    """Follow a view. Logged in: the alert starts at once. Otherwise a confirmation mail goes to `email`.

    Following the same view again changes how often; it never creates a second alert or a second mail.
    Returns (alert, started): `started` is False while the address waits for confirmation.
    """
    now = now or timezone.now()
    if frequency not in Alert.Frequency.values:
        raise AlertError(_("Choose how often you want to hear from us."), code="frequency")
    email = (user.email if user is not None else email or "").strip().lower()
    if not email:
        raise AlertError(_("Enter your e-mail address."), code="email")
    with transaction.atomic():
        alert, created = Alert.objects.select_for_update().get_or_create(
            email=email, language=language, query=query, defaults={"frequency": frequency, "user": user}
        )
        if user is not None and alert.user_id is None:
            alert.user = user
            alert.save(update_fields=["user"])
        if alert.frequency != frequency:
            alert.frequency = frequency
            if alert.confirmed_at:
                alert.next_digest_at = now + WEEK if frequency == Alert.Frequency.WEEKLY else None
            alert.save(update_fields=["frequency", "next_digest_at"])
        if alert.confirmed_at:
            return alert, True
        if user is not None:
            _start(alert, now)
            return alert, True
        if created and Alert.objects.filter(email=email, confirmed_at__isnull=True).count() > MAX_UNCONFIRMED:
            raise AlertError(
                _("This address has alerts waiting for confirmation: please confirm those first (see your e-mail)."),
                code="too_many_unconfirmed",
            )
        _queue(alert, AlertMessage.Kind.CONFIRM, f"confirm:{alert.pk}")
    return alert, False


def confirm(token, now=None):
    """The address is confirmed by the link in the confirmation mail; confirming twice is harmless."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(token=token).first()
        if alert is None:
            raise AlertError(_("This link is no longer valid: the alert has been removed."), code="unknown")
        if not alert.confirmed_at:
            _start(alert, now)
    return alert


def unsubscribe(token):
    """Remove the alert the link names; True if there was one (a second click finds nothing, which is fine)."""
    deleted, _counts = Alert.objects.filter(token=token).delete()
    return bool(deleted)


def delete_for(user, alert_id):
    deleted, _counts = Alert.objects.filter(pk=alert_id).filter(Q(user=user) | Q(email__iexact=user.email)).delete()
    return bool(deleted)


def alerts_of(user):
    return Alert.objects.filter(Q(user=user) | Q(email__iexact=user.email))


# --- The beat job ----------------------------------------------------------------------------------------


def queue_matches(now=None):
    """For every confirmed alert that is due (at once: always; weekly: when its digest is due), write one mail
    listing the occasions published since it last told, and remember them. Safe to run twice, or at once on
    two workers: each alert is locked, and an occasion once told is an AlertMatch row."""
    now = now or timezone.now()
    Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=now - CONFIRM_WITHIN).delete()
    due = Alert.objects.filter(confirmed_at__isnull=False).filter(
        Q(frequency=Alert.Frequency.INSTANT) | Q(next_digest_at__lte=now)
    )
    queued = 0
    for alert_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            alert = Alert.objects.select_for_update(skip_locked=True).filter(pk=alert_id).first()
            if alert is None or not alert.confirmed_at:
                continue
            if alert.frequency == Alert.Frequency.WEEKLY:
                if alert.next_digest_at and alert.next_digest_at > now:
                    continue  # another run sent this week's digest a moment ago
                alert.next_digest_at = now + WEEK
                alert.save(update_fields=["next_digest_at"])
            told = AlertMatch.objects.filter(alert=alert).values("occasion_id")
            new = list(
                matching_occasions(alert, now).exclude(pk__in=told).order_by("start").values_list("pk", flat=True)
            )
            if not new:
                continue
            AlertMatch.objects.bulk_create([AlertMatch(alert=alert, occasion_id=pk, told_at=now) for pk in new])
            digest = hashlib.sha256(",".join(map(str, sorted(new))).encode()).hexdigest()[:16]
            _queue(alert, AlertMessage.Kind.MATCHES, f"matches:{alert.pk}:{digest}", occasion_ids=new)
            queued += 1
    return queued


# --- The alerts' outbox --------------------------------------------------------------------------------


def _message_id():
    domain = getattr(settings, "NOTIFICATION_MESSAGE_ID_DOMAIN", None) or "localhost"
    return make_msgid(domain=domain)


def _queue(alert, kind, key, occasion_ids=()):
    """One row per key, in the caller's transaction; the task is enqueued after commit."""
    try:
        with transaction.atomic():
            message = AlertMessage.objects.create(
                key=key, alert=alert, kind=kind, occasion_ids=list(occasion_ids), message_id=_message_id()
            )
    except IntegrityError:
        return None  # queued before: the key says it is the same mail
    transaction.on_commit(lambda: enqueue(message.pk))
    return message


def enqueue(message_pk):
    from .tasks import send_alert_message

    try:
        send_alert_message.delay(message_pk)
    except Exception:  # noqa: BLE001 - the broker is away; the sweep sends the row later
        logger.warning("alert message %s not enqueued; the sweep will send it", message_pk, exc_info=True)


def unsubscribe_url(alert):
    with translation.override(alert.language):
        return absolute_url(reverse("alert_unsubscribe", args=[alert.token]))


def confirm_url(alert):
    with translation.override(alert.language):
        return absolute_url(reverse("alert_confirm", args=[alert.token]))


def _new_since(alert, occasions):
    """(course page in the alert's language, its new occasions, whether the course itself is new)."""
    keys = {occasion.course.translation_key for occasion in occasions}
    pages = {
        page.translation_key: page
        for page in CoursePage.objects.live().filter(translation_key__in=keys, locale__language_code=alert.language)
    }
    grouped = {}
    for occasion in occasions:
        page = pages.get(occasion.course.translation_key)
        if page is None:
            continue  # unpublished since: nothing to link to
        grouped.setdefault(page.pk, (page, []))[1].append(occasion)
    since = alert.confirmed_at
    return [
        {
            "page": page,
            "url": page.get_full_url(),
            "occasions": [formatting.format_period(o.start, o.end, alert.language) for o in items],
            "is_new_course": bool(page.first_published_at and since and page.first_published_at >= since),
        }
        for page, items in grouped.values()
    ]


def build_email(message):
    alert = message.alert
    with translation.override(alert.language):
        context = {
            "alert": alert,
            "view": describe(alert),
            "view_url": catalogue_url(alert),
            "unsubscribe_url": unsubscribe_url(alert),
            "site_url": site_root_url(),
        }
        if message.kind == AlertMessage.Kind.CONFIRM:
            subject = _("Confirm your course alert")
            context["confirm_url"] = confirm_url(alert)
            template = "email/alert_confirm"
        else:
            occasions = list(
                Occasion.objects.filter(pk__in=message.occasion_ids).select_related("course").order_by("start")
            )
            context["courses"] = _new_since(alert, occasions)
            subject = _("New courses for your alert: %(view)s") % {"view": context["view"]}
            template = "email/alert_matches"
        context["subject"] = subject
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=sender(alert.language),
            to=[alert.email],
            headers={
                "Message-ID": message.message_id,
                "X-ATMP-Message": message.key,
                # RFC 8058: mail software offers its own "unsubscribe" button and POSTs to the address.
                "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        email.attach_alternative(html, "text/html")
    return email


def _claim(message_pk, now):
    with transaction.atomic():
        message = (
            # Only this row: the beat job may hold the alert's lock at this moment.
            AlertMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("alert")
            .filter(pk=message_pk, status=AlertMessage.Status.QUEUED)
            .first()
        )
        if message is None:
            return None
        if message.attempt_started_at and now - message.attempt_started_at < SWEEP_AFTER:
            return None  # another attempt is under way
        message.attempts += 1
        message.attempt_started_at = now
        message.save(update_fields=["attempts", "attempt_started_at"])
    return message


def send(message_pk, now=None):
    """Send one queued alert message; "sent", "skipped" or "failed". A temporary failure raises for a retry."""
    now = now or timezone.now()
    message = _claim(message_pk, now)
    if message is None:
        return "skipped"
    try:
        build_email(message).send()
    except (smtplib.SMTPException, OSError) as error:
        give_up = message.attempts >= MAX_ATTEMPTS or (
            isinstance(error, smtplib.SMTPRecipientsRefused)
            and all(code >= 500 for code, _reply in error.recipients.values())
        )
        AlertMessage.objects.filter(pk=message.pk).update(
            last_error=f"{type(error).__name__}: {error}"[:2000],
            attempt_started_at=None,
            status=AlertMessage.Status.FAILED if give_up else AlertMessage.Status.QUEUED,
        )
        if give_up:
            return "failed"
        raise
    AlertMessage.objects.filter(pk=message.pk).update(
        status=AlertMessage.Status.SENT, sent_at=timezone.now(), attempt_started_at=None, last_error=""
    )
    return "sent"


def sweep(now=None):
    """Enqueue again what the broker lost: queued rows older than a couple of minutes."""
    now = now or timezone.now()
    stale = AlertMessage.objects.filter(status=AlertMessage.Status.QUEUED, created_at__lt=now - SWEEP_AFTER).filter(
        Q(attempt_started_at__isnull=True) | Q(attempt_started_at__lt=now - SWEEP_AFTER)
    )
    pks = list(stale.values_list("pk", flat=True)[:500])
    for pk in pks:
        enqueue(pk)
    return len(pks)
