"""E-mail from enrolment events: the outbox, the messages, sending, reminders and follow-ups.

Reliability follows pretix: a message is first an `OutboxMessage` row written in the same transaction as the
change that causes it, under a unique key, so it is queued exactly once, with the Message-ID every attempt
will use. After commit a Celery task gets the row's id, records that an attempt is under way (committed),
sends outside any transaction, and marks the row sent; a row that is sent or being sent (a task delivered
twice) is skipped. A failed attempt stores when to try again (exponential back-off). If the broker is down at
commit time the row simply waits: `sweep` re-enqueues rows nobody picked up and attempts cut short by a
crash. Reminders are found by a periodic job from the database, never scheduled as far-future tasks.
"""

import contextlib
import datetime as dt
import functools
import logging
import os
import re
import smtplib
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from icalendar import Event, vCalAddress, vText
from icalendar.parser import Contentline
from wagtail.models import Site

from accounts.site import absolute_url, sender, site_root_url
from courses import formatting
from courses.fees import fee_amount_text
from courses.ical import occasion_calendar
from courses.models import CoursePage, Occasion, OrganiserNotices

from . import invoicing
from .models import Enrolment, EnrolmentEvent, Kind, OutboxMessage
from .rows import AT_ONCE

logger = logging.getLogger(__name__)

MessageStatus = OutboxMessage.Status

# Messages that carry a calendar invitation, and with which iTIP method.
CALENDAR_METHODS = {
    Kind.CONFIRMED: "REQUEST",
    Kind.PROMOTED: "REQUEST",
    Kind.OCCASION_CHANGED: "REQUEST",
    Kind.REMINDER: "REQUEST",
    Kind.CANCELLED: "CANCEL",
    Kind.OCCASION_CANCELLED: "CANCEL",
}

TEMPORARY_ERRORS = (smtplib.SMTPException, OSError)


def is_permanent(error):
    """A 5xx answer about this recipient or message ("no such user", "rejected"): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


class SendFailed(Exception):
    """Sending failed for a reason that may pass; the row records the error and `retry_at`, when the task retries."""

    def __init__(self, error, retry_at):
        super().__init__(error)
        self.retry_at = retry_at


# --- Queueing (inside the caller's transaction) --------------------------------------------------------


def _queue(key, kind, enrolment, *, event=None, data=None, new_key=False, rows=AT_ONCE):
    """Write one outbox row (once per key) and enqueue it after commit.

    `new_key`: the key cannot exist yet (it names a new event), so skip the lookup and make the row with `rows`
    (written with the event's other rows, see enrolment.rows).
    """
    user = enrolment.user
    fields = {
        "kind": kind,
        "user": user,
        "email": user.email,
        "language": user.preferred_language or settings.LANGUAGE_CODE,
        "occasion_id": enrolment.occasion_id,
        "enrolment": enrolment,
        "event": event,
        "data": data or {},
    }
    if new_key:
        message, created = rows.create(OutboxMessage, key=key, **fields), True
    else:
        message, created = OutboxMessage.objects.get_or_create(key=key, defaults=fields)
    if created:
        transaction.on_commit(lambda: enqueue(message.pk))
    return message


def queue_personal(key, kind, enrolment, data=None):
    """A message of `kind` to the enrolled person, once per key (for the app's other modules: evaluations)."""
    return _queue(key, kind, enrolment, data=data)


def queue_for_event(event, rows=AT_ONCE):
    """The messages an enrolment event causes. Called in the transaction that wrote the event."""
    # Every event sends the person the message of its own kind (one Kind names both).
    kind = Kind(event.kind)
    if event.enrolment_id is None:
        return None
    enrolment = event.enrolment
    sequence = event.data.get("sequence", "")
    key = f"event:{event.pk}:{enrolment.user_id}:{kind}:{sequence}"
    message = _queue(key, kind, enrolment, event=event, new_key=True, rows=rows)
    if event.kind in ORGANISER_NOTICE_EVENTS:
        _queue_organiser_notice(event, enrolment, rows)
    return message


# The changes course owners can ask to hear about, one e-mail each or in a daily digest.
ORGANISER_NOTICE_EVENTS = {
    EnrolmentEvent.Kind.CONFIRMED,
    EnrolmentEvent.Kind.PENDING,
    EnrolmentEvent.Kind.WAITLISTED,
    EnrolmentEvent.Kind.CANCELLED,
    EnrolmentEvent.Kind.AWAITING_MANAGER,
}


def _organiser_message(key, kind, course, occasion_id, *, enrolment=None, event=None, data=None, rows=AT_ONCE):
    message = rows.create(
        OutboxMessage,
        key=key,
        kind=kind,
        email=course.contact_email,
        language=course.locale.language_code,
        occasion_id=occasion_id,
        enrolment=enrolment,
        event=event,
        data=data or {},
    )
    transaction.on_commit(lambda: enqueue(message.pk))
    return message


def _queue_organiser_notice(event, enrolment, rows=AT_ONCE):
    course = enrolment.occasion.course
    if course.organiser_notices != OrganiserNotices.EACH or not course.contact_email:
        return None
    key = f"notice:{event.pk}"
    return _organiser_message(
        key, Kind.ORGANISER_NOTICE, course, enrolment.occasion_id, enrolment=enrolment, event=event, rows=rows
    )


def queue_organiser_digests(now=None):
    """Once a day from 07.00 Stockholm time: each opted-in course's enrolments and cancellations of the
    last 24 hours, in one e-mail to its contact person. Idempotent (one key per course and day)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < 7:
        return 0
    since = now - dt.timedelta(hours=24)
    queued = 0
    courses = CoursePage.objects.filter(organiser_notices=OrganiserNotices.DAILY).exclude(contact_email="")
    with transaction.atomic():
        for course in courses.filter(occasions__isnull=False).distinct():
            key = f"digest:{course.pk}:{local.date().isoformat()}"
            if OutboxMessage.objects.filter(key=key).exists():
                continue
            events = list(
                EnrolmentEvent.objects.filter(
                    occasion__course=course, kind__in=ORGANISER_NOTICE_EVENTS, created_at__gte=since, created_at__lt=now
                ).values_list("pk", "occasion_id")
            )
            if not events:
                continue
            _organiser_message(
                key, Kind.ORGANISER_DIGEST, course, events[0][1], data={"events": [pk for pk, _ in events]}
            )
            queued += 1
    return queued


def queue_organiser_message(batch, enrolment, subject, body):
    """One participant's copy of an organiser's message (`batch` names the sending, so it is queued once)."""
    key = f"message:{batch}:{enrolment.user_id}"
    return _queue(key, Kind.ORGANISER_MESSAGE, enrolment, data={"subject": subject, "body": body}, new_key=True)


def queue_manager_message(kind, approval, enrolment, key=None):
    """The approval request (or its reminder) to the person's line manager, in the person's language: the
    manager has no account, so the row names no user and resending never picks another address. The link's
    nonce is fixed here, so a message queued before the address was corrected carries a link that no longer
    works."""
    key = key or f"{kind}:{approval.pk}:{approval.requests_sent}"
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "user": None,
            "email": approval.manager_email,
            "language": enrolment.user.preferred_language or settings.LANGUAGE_CODE,
            "occasion_id": enrolment.occasion_id,
            "enrolment": enrolment,
            "data": {"nonce": approval.nonce},
        },
    )
    if created:
        transaction.on_commit(lambda: enqueue(message.pk))
    return message


def _person_line(enrolment):
    user = enrolment.user
    profession = user.get_profession_display() if user else ""
    parts = [part for part in (user.get_full_name(), user.email, profession, user.workplace) if part]
    return ", ".join(parts)


def enqueue(message_id, eta=None):
    """Hand a row to the task queue; if the broker is down, the sweep will find the row later.

    While a task is waiting that will send every due message (see "One task for a burst" below), the row is
    left to it instead.
    """
    from .tasks import send_outbox_message  # tasks imports this module: the one cycle left, inside the app

    flag = None
    try:
        flag = _waiting_flag() if eta is None else None
        if flag is not None and not flag.set(WAITING_FLAG, "1", nx=True, ex=WAITING_TASK_SECONDS):
            return  # a task is waiting; it sends this row too
        # retry=False: called in web requests, so a broker that is down must not hold the response.
        send_outbox_message.apply_async((message_id,), retry=False, eta=eta)
    except Exception as error:  # noqa: BLE001 - any broker failure: the row stays queued for the sweep
        if flag is not None:
            with contextlib.suppress(Exception):
                flag.delete(WAITING_FLAG)  # no task is waiting after all
        # One line, no traceback: an outage is expected and would otherwise log one per enrolment.
        reason = f"{type(error).__name__}: {error}"
        logger.warning("Broker unavailable; outbox message %s waits for the sweep (%s)", message_id, reason)


# One task for a burst. When a course opens, hundreds of enrolments commit within seconds; with a task each, the
# worker spent more time taking tasks from the broker than sending mail. Now a commit enqueues a task only when
# none is waiting (a flag on the broker, set with NX): the waiting task, once it starts, lowers the flag and
# sends every due message in batches (`drain`), and wakes a second worker while it finds full batches. A row
# committed before the flag came down is claimed by that task; one committed after enqueues a task of its own.
# If a waiting task is lost, the flag expires after WAITING_TASK_SECONDS and the sweep sends what it held.
# Only with batches, no rate limit (each message its own task, so the limit counts messages) and a Redis broker.
WAITING_FLAG = "atmp:outbox:task-waiting"
WAITING_TASK_SECONDS = 30
_flag_clients = {}
# Whether tasks are coalesced, and the broker's URL, per the settings they come from. Celery resolves each read
# of its conf through its layers of settings (tens of microseconds a read, on every enrolment's commit): read
# once per combination of what they depend on, so a change (conf.update(), a test's settings) is still seen.
_coalesced = {}


def _broker():
    """(whether tasks are coalesced, the broker's URL)."""
    from .tasks import send_outbox_message

    conf = send_outbox_message.app.conf
    changes = conf.changes  # conf.update() and assignments land here, over Django's CELERY_* settings
    depends_on = (
        settings.NOTIFICATION_SEND_BATCH,
        settings.NOTIFICATION_RATE_LIMIT,
        changes.get("task_always_eager"),
        changes.get("broker_url"),
        getattr(settings, "CELERY_TASK_ALWAYS_EAGER", None),
        getattr(settings, "CELERY_BROKER_URL", None),
        os.environ.get("CELERY_BROKER_URL"),  # Celery reads this before any setting
    )
    if (known := _coalesced.get(depends_on)) is not None:
        return known
    url = conf.broker_url
    coalesced = (
        settings.NOTIFICATION_SEND_BATCH > 1
        and not settings.NOTIFICATION_RATE_LIMIT
        and not conf.task_always_eager
        and str(url or "").startswith(("redis://", "rediss://"))
    )
    _coalesced[depends_on] = coalesced, url
    return coalesced, url


def coalescing():
    return _broker()[0]


def _waiting_flag():
    """The broker's Redis, where the flag lives (None when tasks are not coalesced)."""
    coalesced, url = _broker()
    if not coalesced:
        return None
    if url not in _flag_clients:
        import redis

        _flag_clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return _flag_clients[url]


def lower_waiting_flag():
    """A task starts: rows committed from now on enqueue a task of their own."""
    if (flag := _waiting_flag()) is not None:
        with contextlib.suppress(Exception):  # the broker just gave us this task; if it is gone, the flag expires
            flag.delete(WAITING_FLAG)


# --- Rendering -----------------------------------------------------------------------------------------


def participant_list_url(occasion, event=None):
    """The organisers' participant list filtered to `occasion`, and to those awaiting approval when the notice
    is about someone who waits for it (the owner opens the mail to decide)."""
    query = {"occasion": occasion.pk}
    if event is not None and event.kind == EnrolmentEvent.Kind.PENDING:
        query["status"] = Enrolment.Status.PENDING
    return f"{reverse('enrolments:index')}?{urlencode(query)}"


@dataclass
class Content:
    """What one message says: its subject, its paragraphs and a call to action (label, URL) or None."""

    subject: str
    paragraphs: list
    button: tuple | None = None
    more_buttons: list = field(default_factory=list)
    footer: str = ""  # instead of the enrolment's own footer (a message to someone who did not enrol)
    greeting_name: str = ""  # for a recipient without an account


@dataclass(frozen=True)
class About:
    """What every message's text draws on, looked up once per message (in the recipient's language)."""

    message: OutboxMessage
    enrolment: Enrolment | None
    occasion: object
    course: CoursePage
    values: dict  # course, when, place: for the texts' placeholders
    detail_url: str | None  # the person's own enrolment page

    @classmethod
    def of(cls, message, batch=None):
        batch = batch or Batch()
        occasion = message.occasion
        course = batch.course_in_language(occasion.course, message.language)
        when = formatting.format_period(occasion.start, occasion.end)
        enrolment = message.enrolment
        detail_url = batch.absolute_url(reverse("enrolment_detail", args=[enrolment.pk])) if enrolment else None
        values = {"course": course.title, "when": when, "place": occasion.place}
        return cls(message, enrolment, occasion, course, values, detail_url)

    @property
    def see_enrolment(self):
        return (_("See your enrolment"), self.detail_url) if self.detail_url else None

    @property
    def deadline(self):
        return formatting.format_datetime(self.occasion.cancellation_deadline_at)

    def fee_paragraphs(self, *, deadline=True):
        """The fee the person enrolled for and who is invoiced; that it stands after the deadline."""
        fee = invoicing.fee_summary(self.enrolment) if self.enrolment else None
        if fee is None:
            return []
        paragraphs = [
            _("Fee: %(fee)s, invoiced to %(organisation)s, cost centre %(cost_centre)s, reference %(reference)s.") % fee
        ]
        if deadline:
            paragraphs.append(
                _("If you cancel after %(deadline)s, the fee still stands.") % {"deadline": self.deadline}
            )
        return paragraphs

    def owner_message(self, text):
        """The course owner's own words, if any, as a paragraph."""
        return [_("Message from the course owner: %(message)s") % {"message": text}] if text else []


# kind -> function(About) -> Content: one entry per kind of message (a test checks every Kind has one).
CONTENT = {}


def content_of(kind):
    def register(function):
        CONTENT[kind] = function
        return function

    return register


@content_of(Kind.CONFIRMED)
def _confirmed(about):
    return Content(
        _("Enrolment confirmed: %(course)s") % about.values,
        [
            _("You have a seat at %(course)s, %(when)s, %(place)s.") % about.values,
            _("The attached calendar invitation keeps itself up to date if the time or place changes."),
            _("If you cannot come, cancel by %(deadline)s so someone on the waiting list gets your seat.")
            % {"deadline": about.deadline},
            *about.fee_paragraphs(),
        ],
        about.see_enrolment,
    )


@content_of(Kind.PENDING)
def _pending(about):
    return Content(
        _("Enrolment received: %(course)s") % about.values,
        [
            _("We have received your enrolment in %(course)s, %(when)s.") % about.values,
            _("The course owner approves enrolments; you will get an e-mail when they have decided."),
            *about.fee_paragraphs(deadline=False),
        ],
        about.see_enrolment,
    )


@content_of(Kind.WAITLISTED)
def _waitlisted(about):
    position = about.enrolment.waiting_position if about.enrolment else None
    return Content(
        _("You are on the waiting list: %(course)s") % about.values,
        [
            _("%(course)s, %(when)s, is full, so you are on the waiting list.") % about.values,
            _("You are number %(position)s in line. Seats go to the waiting list in the order people joined.")
            % {"position": position or "–"},
        ],
        about.see_enrolment,
    )


@content_of(Kind.PROMOTED)
def _promoted(about):
    return Content(
        _("You have a seat: %(course)s") % about.values,
        [
            _("A seat has become free and it is yours: %(course)s, %(when)s, %(place)s.") % about.values,
            _("If you cannot come, cancel by %(deadline)s so the next person gets the seat.")
            % {"deadline": about.deadline},
            *about.fee_paragraphs(),
        ],
        about.see_enrolment,
    )


@content_of(Kind.OFFERED)
def _offered(about):
    enrolment = about.enrolment
    expires = (
        formatting.format_datetime(enrolment.offer_expires_at) if enrolment.offer_expires_at else about.values["when"]
    )
    return Content(
        _("A seat is offered to you: %(course)s") % about.values,
        [
            _("A seat has become free at %(course)s, %(when)s.") % about.values,
            _("Accept it before %(expires)s; after that it goes to the next person in line.") % {"expires": expires},
        ],
        (_("Accept the seat"), about.detail_url),
    )


@content_of(Kind.OFFER_EXPIRED)
def _offer_expired(about):
    return Content(
        _("The offered seat has passed on: %(course)s") % about.values,
        [_("The seat offered to you at %(course)s was not accepted in time and has passed on.") % about.values],
        about.see_enrolment,
    )


@content_of(Kind.REJECTED)
def _rejected(about):
    return Content(
        _("Enrolment not approved: %(course)s") % about.values,
        [
            _("Your enrolment in %(course)s, %(when)s, was not approved.") % about.values,
            *about.owner_message(about.enrolment.message),
        ],
        about.see_enrolment,
    )


@content_of(Kind.CANCELLED)
def _cancelled(about):
    return Content(
        _("Cancellation confirmed: %(course)s") % about.values,
        [
            _("Your enrolment in %(course)s, %(when)s, is cancelled.") % about.values,
            *(
                [
                    _("You cancelled after the cancellation deadline, so the fee of %(fee)s is still invoiced.")
                    % {"fee": invoicing.fee_summary(about.enrolment)["fee"]}
                ]
                if about.enrolment.fee_stands and about.enrolment.has_fee
                else []
            ),
            *about.owner_message(about.enrolment.message),
        ],
        about.see_enrolment,
    )


@content_of(Kind.OCCASION_CHANGED)
def _occasion_changed(about):
    return Content(
        _("Changed time or place: %(course)s") % about.values,
        [
            _("%(course)s has a new time or place: %(when)s, %(place)s.") % about.values,
            _("The attached calendar invitation updates the event in your calendar."),
        ],
        about.see_enrolment,
    )


@content_of(Kind.OCCASION_CANCELLED)
def _occasion_cancelled(about):
    event = about.message.event
    return Content(
        _("Cancelled: %(course)s") % about.values,
        [
            _("%(course)s, %(when)s, has been cancelled by the organiser. We are sorry for the inconvenience.")
            % about.values,
            *about.owner_message(event.data.get("reason") if event else ""),
        ],
        about.see_enrolment,
    )


@content_of(Kind.REMINDER)
def _reminder(about):
    link = about.occasion.online_link
    return Content(
        _("Reminder: %(course)s, %(when)s") % about.values,
        [
            _("Welcome to %(course)s, %(when)s, %(place)s.") % about.values,
            *([_("Join online: %(link)s") % {"link": link}] if link else []),
            _("If you cannot come, please cancel so someone else gets your seat."),
        ],
        about.see_enrolment,
    )


# --- The line manager's approval (enrolment/manager.py) ---


def enrolment_cost(enrolment):
    """What taking part costs, for the line manager to weigh: the fee the person enrolled for (its snapshot: an
    occasion's own fee, 0 = free, included), as pages and other mails write it (`4 500 kr exkl. moms`)."""
    if not enrolment.has_fee:
        return _("free of charge")  # inside a sentence ("Cost: free of charge.")
    return fee_amount_text(enrolment.fee, enrolment.fee_vat)


def _manager_values(about):
    from .manager import answer_url  # manager imports services, which imports this module

    approval = about.enrolment.manager_approval
    person = about.enrolment.user
    nonce = about.message.data.get("nonce", approval.nonce)
    values = {
        **about.values,
        "person": person.get_full_name() or person.email,
        "workplace": person.workplace or "–",
        "deadline": formatting.format_datetime(approval.deadline) if approval.deadline else "–",
        "cost": enrolment_cost(about.enrolment),
    }
    return approval, values, answer_url(approval.pk, nonce, "approve"), answer_url(approval.pk, nonce, "decline")


def _manager_request_content(about, subject):
    approval, values, approve, decline = _manager_values(about)
    return Content(
        subject % values,
        [
            _(
                "%(person)s (%(workplace)s) has enrolled in %(course)s, %(when)s, %(place)s, and has named you as "
                "their line manager."
            )
            % values,
            _("Cost: %(cost)s.") % values,
            _(
                "Please approve or decline by %(deadline)s. Without an answer by then the seat goes to the next "
                "person on the waiting list."
            )
            % values,
            _("Each button opens a page where you confirm your answer. You need no account."),
        ],
        (_("Approve"), approve),
        more_buttons=[(_("Decline"), decline)],
        footer=_("You get this e-mail because %(person)s named you as their line manager when enrolling.") % values,
        greeting_name=approval.manager_name,
    )


@content_of(Kind.MANAGER_REQUEST)
def _manager_request(about):
    return _manager_request_content(about, _("Approval requested: %(person)s, %(course)s"))


@content_of(Kind.MANAGER_REMINDER)
def _manager_reminder(about):
    return _manager_request_content(about, _("Reminder, approval requested: %(person)s, %(course)s"))


@content_of(Kind.AWAITING_MANAGER)
def _awaiting_manager(about):
    approval = about.enrolment.manager_approval
    event = about.message.event
    values = {
        **about.values,
        "manager": approval.manager_name,
        "deadline": formatting.format_datetime(approval.deadline) if approval.deadline else "–",
    }
    promoted = bool(event and event.data.get("promoted"))
    return Content(
        _("Waiting for your line manager: %(course)s") % values,
        [
            (
                _("A seat has become free at %(course)s, %(when)s, and is held for you.")
                if promoted
                else _("We have received your enrolment in %(course)s, %(when)s, and hold a seat for you.")
            )
            % values,
            _(
                "We have asked %(manager)s to approve it by %(deadline)s. Without an answer by then the seat goes "
                "to the waiting list."
            )
            % values,
        ],
        about.see_enrolment,
    )


@content_of(Kind.MANAGER_DECLINED)
def _manager_declined(about):
    approval = about.enrolment.manager_approval
    return Content(
        _("Not approved by your line manager: %(course)s") % about.values,
        [
            _(
                "Your line manager did not approve your enrolment in %(course)s, %(when)s, so the seat has gone to "
                "the waiting list."
            )
            % about.values,
            *(
                about.owner_message(approval.message)  # an organiser declined for the manager, and said why
                if approval.by_organiser
                else [_("Message from your line manager: %(message)s") % {"message": approval.message}]
                if approval.message
                else []
            ),
        ],
        about.see_enrolment,
    )


@content_of(Kind.MANAGER_EXPIRED)
def _manager_expired(about):
    approval = about.enrolment.manager_approval
    values = {**about.values, "deadline": formatting.format_datetime(approval.deadline) if approval.deadline else "–"}
    return Content(
        _("No answer from your line manager: %(course)s") % values,
        [
            _(
                "Your line manager did not answer by %(deadline)s, so your enrolment in %(course)s, %(when)s, has "
                "ended and the seat has gone to the waiting list."
            )
            % values,
            _("You are welcome to enrol again while seats are left."),
        ],
        about.see_enrolment,
    )


@content_of(Kind.ORGANISER_NOTICE)
def _organiser_notice(about):
    event, enrolment, occasion = about.message.event, about.enrolment, about.occasion
    values = {
        **about.values,
        "person": _person_line(enrolment),
        "status": event.get_kind_display() if event else enrolment.get_status_display(),
    }
    return Content(
        _("%(status)s: %(course)s") % values,
        [
            _("%(person)s – %(status)s.") % values,
            _("Occasion: %(when)s, %(place)s.") % values,
            _("Seats taken: %(taken)s of %(capacity)s.")
            % {"taken": occasion._seats_taken, "capacity": occasion.capacity or "–"},
            *about.fee_paragraphs(deadline=False),
            *(
                [_("Cancelled after the cancellation deadline: the fee still stands.")]
                if enrolment.fee_stands and enrolment.has_fee
                else []
            ),
        ],
        (_("Enrolments in the admin"), absolute_url(participant_list_url(occasion, event))),
    )


@content_of(Kind.ORGANISER_DIGEST)
def _organiser_digest(about):
    events = EnrolmentEvent.objects.filter(pk__in=about.message.data.get("events", [])).select_related(
        "occasion", "enrolment__user"
    )
    # A digest covers the course's occasions: the list filtered to the course.
    digest_list = f"{reverse('enrolments:index')}?{urlencode({'course': about.occasion.course_id})}"
    return Content(
        _("Enrolments and cancellations, last 24 hours: %(course)s") % about.values,
        [
            f"{formatting.format_datetime(event.created_at)}: {_person_line(event.enrolment)} – "
            f"{event.get_kind_display()} ({formatting.format_date(event.occasion.start)})"
            for event in events
        ],
        (_("Enrolments in the admin"), absolute_url(digest_list)),
    )


@content_of(Kind.ORGANISER_MESSAGE)
def _organiser_message_content(about):
    # The organiser's own words, as written; the course and date say what it is about.
    data = about.message.data
    return Content(
        f"{data.get('subject', '')} – {about.course.title}",
        [
            _("About %(course)s, %(when)s, %(place)s:") % about.values,
            *[part.strip() for part in data.get("body", "").split("\n\n") if part.strip()],
        ],
        about.see_enrolment,
    )


@content_of(Kind.FOLLOW_UP)
def _follow_up(about):
    from courses.evaluation import evaluation_of

    # A course that evaluates its occasions here sends its attended participants their own link instead.
    evaluation = about.course.evaluation_url if not evaluation_of(about.course)[1] else ""
    return Content(
        _("Thank you for taking part: %(course)s") % about.values,
        [
            _("Thank you for taking part in %(course)s.") % about.values,
            *([_("Please tell us what you thought: %(link)s") % {"link": evaluation}] if evaluation else []),
            _("Course materials and your certificate of attendance are under My courses."),
        ],
        (_("My courses"), absolute_url(reverse("my_courses"))),
    )


def _evaluation_link(about):
    from .evaluations import closes_at, link_for

    return link_for(about.enrolment.pk, about.message.language), formatting.format_date(closes_at(about.occasion))


@content_of(Kind.EVALUATION)
def _evaluation(about):
    link, closes = _evaluation_link(about)
    return Content(
        _("What did you think of %(course)s?") % about.values,
        [
            _("Thank you for taking part in %(course)s, %(when)s.") % about.values,
            _("Please tell us what you thought: it takes a few minutes and helps us improve the course."),
            _(
                "Your answers are anonymous: the course owner sees everyone's answers together, never who said what. "
                "The link is yours and can be used once, until %(closes)s."
            )
            % {"closes": closes},
        ],
        (_("Answer the evaluation"), link),
    )


@content_of(Kind.EVALUATION_REMINDER)
def _evaluation_reminder(about):
    link, closes = _evaluation_link(about)
    return Content(
        _("Reminder: what did you think of %(course)s?") % about.values,
        [
            _("A few days ago we asked what you thought of %(course)s, %(when)s.") % about.values,
            _("If you have a few minutes, your answers help us improve the course. They are anonymous."),
            _("The link works until %(closes)s.") % {"closes": closes},
        ],
        (_("Answer the evaluation"), link),
    )


def message_content(message, batch=None):
    """Subject, paragraphs and an optional call to action, in the active language."""
    about = About.of(message, batch)
    content = CONTENT[message.kind](about)
    return {
        "subject": content.subject,
        "paragraphs": content.paragraphs,
        "button": content.button,
        "more_buttons": content.more_buttons,
        "footer": content.footer,
        "greeting_name": content.greeting_name,
        "course": about.course,
    }


class Batch:
    """What the messages one task sends have in common, looked up once for all of them: the site's address and
    the course pages in the recipients' languages. A message rendered on its own gets a batch of its own."""

    def __init__(self, messages=(), site_root=None):
        self.site_root = site_root
        self.translations = {}
        wanted = {
            (message.occasion.course.translation_key, message.language)
            for message in messages
            if message.occasion.course.locale.language_code != message.language or not message.occasion.course.live
        }
        if wanted:
            pages = CoursePage.objects.live().filter(
                translation_key__in={key for key, _language in wanted},
                locale__language_code__in={language for _key, language in wanted},
            )
            # Only (key, language) pairs asked for are used; a page in another pairing is never looked at.
            self.translations = {
                (page.translation_key, page.locale.language_code): page for page in pages.select_related("locale")
            }
            self.looked_up = wanted
        else:
            self.looked_up = set()

    def root(self):
        if self.site_root is None:
            self.site_root = site_root_url()
        return self.site_root

    def absolute_url(self, path):
        return self.root() + path

    def course_in_language(self, course, language):
        """As CoursePage.in_language, from the batch's one query when the batch looked it up."""
        if (course.translation_key, language) in self.looked_up:
            if course.live and course.locale.language_code == language:
                return course
            return self.translations.get((course.translation_key, language), course)
        return course.in_language(language)


def _calendar_method(message):
    method = CALENDAR_METHODS.get(message.kind)
    if method == "REQUEST" and getattr(message.enrolment, "status", None) != Enrolment.Status.CONFIRMED:
        return None  # told of a change while waiting or awaiting approval: no seat, no calendar event
    return method


def _calendar(course, message, method, attendee):
    return occasion_calendar(
        [(course, message.occasion)],
        method=method,
        sequence=message.occasion.ical_sequence,
        attendee=attendee,
        cancelled=method == "CANCEL",
    ).to_ical()


def build_email(message, batch=None):
    """The e-mail for an outbox row: text and HTML, in the recipient's language, with an .ics if it fits."""
    batch = batch or Batch()
    with translation.override(message.language):
        method = _calendar_method(message)
        if message.kind in FRAMED_KINDS:
            return _framed_email(message, batch, method)
        content = message_content(message, batch)
        context = {**content, "site_url": batch.root() + "/", "message": message}
        text = render_to_string("email/message.txt", context)
        html = render_to_string("email/message.html", context)
        ics = _calendar(content["course"], message, method, message.email) if method else None
        return _email(
            EmailMultiAlternatives,
            message.language,
            content["subject"],
            text,
            html,
            ics,
            method,
            {"to": message.email, "key": message.key, "message_id": message.message_id},
        )


def _email(cls, language, subject, text, html, ics, method, recipient):
    email = cls(
        subject=subject,
        body=text,
        from_email=sender(language),
        to=[recipient["to"]],
        headers={
            "X-ATMP-Message": recipient["key"],
            "Message-ID": recipient["message_id"],
            **({"Date": recipient["date"]} if "date" in recipient else {}),
        },
    )
    email.attach_alternative(html, "text/html")
    if ics:
        email.attach("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    return email


# Most messages say the same to everyone told about one occasion in one language (a confirmation, a reminder):
# only the name in the greeting, the link to the person's own enrolment and the invitation's attendee differ.
# Those kinds are rendered once per language and what they say (a frame, kept FRAME_SECONDS in this process, so
# the invitation's DTSTAMP stays recent), with stand-ins that each recipient's own values replace.
FRAMED_KINDS = {Kind.CONFIRMED, Kind.PENDING, Kind.PROMOTED, Kind.OCCASION_CHANGED, Kind.REMINDER, Kind.FOLLOW_UP}
FRAME_SECONDS = 60
FRAMES_KEPT = 200
# Not ASCII, so a part that greets by name is always 8bit: any name goes into its bytes as UTF-8 (see MimeFrame).
_NAME = "STANDIN-NAMN-Å-5e2f"
_DETAIL_URL = "https://standin-detail-5e2f.invalid/"
_ATTENDEE = "standin-5e2f@example.invalid"
# In the HTML the name and the link go in escaped: stand-ins of their own in the frame's MIME bytes.
_NAME_HTML = "STANDIN-HTML-NAMN-Å-5e2f"
_DETAIL_URL_HTML = "https://standin-html-detail-5e2f.invalid/"
_TO = "standin-to-5e2f@example.invalid"
_KEY = "standin-key-5e2f"
_MESSAGE_ID = "<standin-message-id-5e2f@example.invalid>"
_DATE = "standin-date-5e2f"
_frames = {}
_frames_lock = threading.Lock()


@dataclass
class _StandInUser:
    first_name: str


@dataclass
class _StandInMessage:
    """What the content and the templates read of a message, with stand-ins for the recipient's own parts."""

    kind: str
    language: str
    occasion: object
    enrolment: object
    event: object
    data: dict
    user: _StandInUser


_ATTENDEE_PREFIX = "ATTENDEE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:"
# An address that needs no quoting anywhere: in the To header, in the envelope and in the invitation.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")


def _attendee_line(email):
    """The invitation's ATTENDEE line for `email`, as icalendar writes (and folds) it in occasion_event."""
    if _PLAIN_ADDRESS.fullmatch(email):
        # What icalendar writes for such an address (checked against it for the stand-in, see _render_frame),
        # without building a component: this runs for every recipient.
        return Contentline(_ATTENDEE_PREFIX + email).to_ical() + b"\r\n"
    return _icalendar_attendee_line(email)


def _icalendar_attendee_line(email):
    guest = vCalAddress(f"mailto:{email}")
    guest.params["role"] = vText("REQ-PARTICIPANT")
    guest.params["partstat"] = vText("ACCEPTED")
    event = Event()
    event.add("attendee", guest)
    return event.to_ical().removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")


@functools.cache
def _stand_in_attendee_line():
    line = _icalendar_attendee_line(_ATTENDEE)
    if line != _attendee_line(_ATTENDEE):
        raise RuntimeError("icalendar writes the ATTENDEE line otherwise than _attendee_line expects")
    return line


def _frame_key(message, batch, method):
    occasion, course = message.occasion, batch.course_in_language(message.occasion.course, message.language)
    has_name = bool(message.user and message.user.first_name)
    return (
        message.kind,
        message.language,
        batch.root(),
        settings.DEFAULT_FROM_EMAIL,
        has_name,
        method,
        message.enrolment is not None,
        course.pk,
        course.title,
        course.summary,
        course.url_path,
        course.evaluation_url,
        occasion.pk,
        occasion.start,
        occasion.end,
        occasion.mode,
        occasion.venue,
        occasion.address,
        occasion.city,
        occasion.status,
        occasion.online_link,
        occasion.ical_sequence,
        occasion.cancellation_deadline_at,
    )


@dataclass
class _Frame:
    subject: str
    text: str
    html: str
    ics: bytes | None
    mime: "MimeFrame | None"


def _frame(message, batch, method):
    key = _frame_key(message, batch, method)
    now = time.monotonic()
    with _frames_lock:
        found = _frames.get(key)
    if found is None or now - found[0] > FRAME_SECONDS:
        found = (now, _render_frame(message, batch, method))
        with _frames_lock:
            if len(_frames) >= FRAMES_KEPT:
                _frames.clear()
            _frames[key] = found
    return found[1]


def _framed_email(message, batch, method):
    frame = _frame(message, batch, method)
    name = message.user.first_name if message.user else ""
    detail_url = (
        batch.absolute_url(reverse("enrolment_detail", args=[message.enrolment.pk])) if message.enrolment else ""
    )
    html_name, html_detail_url = str(conditional_escape(name)), str(conditional_escape(detail_url))
    attendee = _attendee_line(message.email) if frame.ics else b""
    recipient = {"to": message.email, "key": message.key, "message_id": message.message_id}
    email = _email(
        FramedEmail,
        message.language,
        frame.subject,
        frame.text.replace(_NAME, name).replace(_DETAIL_URL, detail_url),
        frame.html.replace(_NAME, html_name).replace(_DETAIL_URL, html_detail_url),
        frame.ics.replace(_stand_in_attendee_line(), attendee) if frame.ics else None,
        method,
        recipient,
    )
    if frame.mime is not None:
        email.mime = frame.mime.fill(
            {
                _NAME: name,
                _DETAIL_URL: detail_url,
                _NAME_HTML: html_name,
                _DETAIL_URL_HTML: html_detail_url,
                _TO: message.email,
                _KEY: message.key,
                _MESSAGE_ID: message.message_id,
                _DATE: formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            },
            attendee,
        )
        email.envelope_from = frame.mime.envelope_from
    return email


def _render_frame(message, batch, method):
    has_name = bool(message.user and message.user.first_name)
    stand_in = _StandInMessage(
        kind=message.kind,
        language=message.language,
        occasion=message.occasion,
        enrolment=message.enrolment,
        event=message.event,
        data=message.data,
        user=_StandInUser(_NAME if has_name else ""),
    )
    about = About.of(stand_in, batch)
    about = About(
        stand_in,
        about.enrolment,
        about.occasion,
        about.course,
        about.values,
        _DETAIL_URL if message.enrolment else None,
    )
    content = CONTENT[message.kind](about)
    context = {
        "subject": content.subject,
        "paragraphs": content.paragraphs,
        "button": content.button,
        "course": about.course,
        "site_url": batch.root() + "/",
        "message": stand_in,
    }
    text = render_to_string("email/message.txt", context)
    html = render_to_string("email/message.html", context)
    ics = _calendar(about.course, message, method, _ATTENDEE) if method else None
    if ics and _stand_in_attendee_line() not in ics:
        raise RuntimeError("the invitation's attendee line is not where the frame expects it")
    mime = MimeFrame.build(message.language, content.subject, text, html, ics, method)
    return _Frame(content.subject, text, html, ics, mime)


class FramedEmail(EmailMultiAlternatives):
    """A framed message whose MIME bytes were put together from its frame's (`mime`; None: built as usual).

    Its text, HTML and invitation are set as on any e-mail, for the mail backends that read them (the tests'
    outbox, the files in development); over SMTP the bytes go out as they are (see _deliver)."""

    mime = None
    envelope_from = None

    def message(self, *args, **kwargs):
        if self.mime is None:
            return super().message(*args, **kwargs)
        return _MimeBytes(self.mime)


class _MimeBytes:
    """The message as bytes for a mail backend: as_bytes() gives them back; anything else reads them parsed."""

    def __init__(self, data):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n"):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n"):
        return self._parsed.as_string(unixfrom, linesep=linesep)

    @functools.cached_property
    def _parsed(self):
        return message_from_bytes(self.data)

    def __getitem__(self, name):
        return self._parsed[name]

    def __getattr__(self, name):
        return getattr(self._parsed, name)


# A frame's MIME message is built once too: Python's e-mail package spent more CPU on each message (headers
# encoded and folded, parts assembled, boundaries checked) than everything else it takes. Each recipient's own
# values go into the frame's bytes in place of stand-ins, which holds because of what the frame checks when it
# is built (an unexpected layout: no MIME frame, each message built in full as before):
# - the parts that hold a stand-in are 8bit or 7bit, not quoted-printable or base64, and a part that greets by
#   name is 8bit (the name's stand-in is not ASCII), so the name goes in as UTF-8;
# - the headers that differ (To, Date, Message-ID, X-ATMP-Message) are whole lines of plain ASCII; the headers
#   with words that are not ASCII (the subject, the sender's name) are the frame's, RFC 2047 encoded once;
# and of what each message checks (else it too is built in full): an address that needs no quoting, header
# values without spaces, commas or semicolons (so never folded) and nothing that could end a line, look like a
# boundary or make a line longer than SMTP allows.
_BODY_STAND_INS = (_NAME, _DETAIL_URL, _NAME_HTML, _DETAIL_URL_HTML)
_HEADER_STAND_INS = {_TO: "To", _KEY: "X-ATMP-Message", _MESSAGE_ID: "Message-ID", _DATE: "Date"}
_STAND_IN_PATTERN = re.compile(
    b"(" + b"|".join(re.escape(value.encode()) for value in (*_BODY_STAND_INS, *_HEADER_STAND_INS)) + b")"
)
_PLAIN_HEADER_VALUE = re.compile(r"[\x21-\x2b\x2d-\x3a\x3c-\x7e]+")  # printable ASCII but for space, comma, ;
_MAX_LINE = 998  # octets, RFC 5322


@dataclass
class MimeFrame:
    pieces: list  # bytes, the stand-ins' (str) at odd positions
    attendee: bytes | None  # the invitation's stand-in attendee line
    room: int  # octets a line that holds stand-ins may grow by
    envelope_from: str

    @classmethod
    def build(cls, language, subject, text, html, ics, method):
        html = html.replace(_NAME, _NAME_HTML).replace(_DETAIL_URL, _DETAIL_URL_HTML)
        recipient = {"to": _TO, "key": _KEY, "message_id": _MESSAGE_ID, "date": _DATE}
        email = _email(EmailMultiAlternatives, language, subject, text, html, ics, method, recipient)
        data = email.message().as_bytes(linesep="\r\n")
        head = data.partition(b"\r\n\r\n")[0] + b"\r\n"
        expected = {
            _NAME: text.count(_NAME),
            _DETAIL_URL: text.count(_DETAIL_URL),
            _NAME_HTML: html.count(_NAME_HTML),
            _DETAIL_URL_HTML: html.count(_DETAIL_URL_HTML),
        }
        found = [stand_in.decode() for stand_in in _STAND_IN_PATTERN.findall(data)]
        fits = (
            all(found.count(stand_in) == count for stand_in, count in expected.items())
            and all(
                head.count(f"\r\n{header}: {stand_in}\r\n".encode()) == 1 and found.count(stand_in) == 1
                for stand_in, header in _HEADER_STAND_INS.items()
            )
            and (ics is None or data.count(_stand_in_attendee_line()) == 1)
            and cls._parts_fit(data)
        )
        if not fits:
            logger.warning("A %s frame's MIME layout is not as expected: its messages are built in full", language)
            return None
        lines = [line for line in data.split(b"\r\n") if _STAND_IN_PATTERN.search(line)]
        most = max(len(_STAND_IN_PATTERN.findall(line)) for line in lines)
        room = (_MAX_LINE - max(len(line) for line in lines)) // most
        encoding = email.encoding or settings.DEFAULT_CHARSET
        pieces = _STAND_IN_PATTERN.split(data)
        pieces[1::2] = [stand_in.decode() for stand_in in pieces[1::2]]
        envelope_from = sanitize_address(email.from_email, encoding)
        return cls(pieces, _stand_in_attendee_line() if ics else None, room, envelope_from)

    @staticmethod
    def _parts_fit(data):
        for part in message_from_bytes(data).walk():
            if part.is_multipart():
                continue
            encoding = (part["Content-Transfer-Encoding"] or "7bit").lower()
            payload = part.get_payload()
            if encoding not in ("7bit", "8bit"):
                return False
            if (_NAME in payload or _NAME_HTML in payload) and encoding != "8bit":
                return False
        return True

    def fill(self, values, attendee):
        """This frame's message with a recipient's `values` (stand-in: value) and ATTENDEE line, as bytes; None
        where they cannot go into the bytes as they are (the message is then built in full)."""
        if not _PLAIN_ADDRESS.fullmatch(values[_TO]):
            return None
        if not all(_PLAIN_HEADER_VALUE.fullmatch(values[stand_in]) for stand_in in (_KEY, _MESSAGE_ID)):
            return None
        encoded = {stand_in: value.encode() for stand_in, value in values.items()}
        for stand_in in _BODY_STAND_INS:
            value = values[stand_in]
            if len(encoded[stand_in]) > self.room or "==" in value or not value.isprintable():
                return None
        data = b"".join(encoded[piece] if index % 2 else piece for index, piece in enumerate(self.pieces))
        if self.attendee is not None:
            data = data.replace(self.attendee, attendee, 1)
        return data


# --- Sending -------------------------------------------------------------------------------------------


def retry_delay(attempts):
    """Seconds to wait after failed attempt number `attempts`: base, 2×base, 4×base, ... up to the cap."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return min(base * 2 ** min(attempts - 1, 20), settings.NOTIFICATION_RETRY_MAX_SECONDS)


def _claim_ids(message_id, now, batch):
    """Claim the row and, with `batch` > 1, other due rows nobody holds; their ids (empty if the row is not free).
    Without a row (None), up to `batch` due rows.

    One statement claims them all (an UPDATE of the rows it locks, skipping those another worker is claiming:
    that worker sends them, nobody waits and nothing goes twice), committed at once, instead of a transaction of
    five statements.
    """
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    claimable = "status = %(queued)s AND attempt_started_at IS NULL"
    sql = f"""
        WITH own AS (
            SELECT id FROM {table} WHERE id = %(own)s AND {claimable} FOR UPDATE SKIP LOCKED
        ), others AS (
            SELECT id FROM {table}
            WHERE {claimable} AND (next_attempt_at IS NULL OR next_attempt_at <= %(now)s)
              AND id IS DISTINCT FROM %(own)s AND (%(own)s IS NULL OR EXISTS (SELECT 1 FROM own))
            ORDER BY id LIMIT %(others)s FOR UPDATE SKIP LOCKED
        )
        UPDATE {table}
        SET attempts = attempts + 1, last_attempt_at = %(now)s, attempt_started_at = %(now)s, next_attempt_at = NULL
        WHERE id IN (SELECT id FROM own UNION ALL SELECT id FROM others)
        RETURNING id
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    if connection.vendor != "postgresql":
        return _claim_ids_in_transaction(message_id, now, batch)
    others = batch if message_id is None else batch - 1
    params = {"own": message_id, "queued": MessageStatus.QUEUED, "now": now, "others": others}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _claim_ids_in_transaction(message_id, now, batch):
    """As _claim_ids, for databases without UPDATE ... RETURNING and SKIP LOCKED (SQLite in development)."""
    with transaction.atomic():
        claimable = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            status=MessageStatus.QUEUED, attempt_started_at__isnull=True
        )
        ids = []
        if message_id is not None:
            if not claimable.filter(pk=message_id).exists():
                return []
            ids.append(message_id)
        if batch > len(ids):
            due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
            others = claimable.filter(due).exclude(pk=message_id).order_by("pk").values_list("pk", flat=True)
            ids += others[: batch - len(ids)]
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, last_attempt_at=now, attempt_started_at=now, next_attempt_at=None
        )
    return ids


def _claim(message_id, now, batch=1):
    """Record that an attempt is under way, committed before SMTP is spoken: a worker that dies after the server
    accepted the message leaves a trace the sweep finds.

    Returns the claimed rows, this one first (empty if someone else has it or it is done), with what their texts
    need. With `batch` > 1 the worker also takes other rows that are due and nobody holds, up to `batch` in all,
    and sends them over the same connection; their own tasks then find them sent and skip them.
    """
    ids = _claim_ids(message_id, now, batch)
    if not ids or (message_id is not None and message_id not in ids):
        return []
    default_site = Site.objects.filter(is_default_site=True)
    rows = OutboxMessage.objects.select_related("occasion", "enrolment", "event", "user").annotate(
        site_hostname=Subquery(default_site.values("hostname")[:1]), site_port=Subquery(default_site.values("port")[:1])
    )
    messages = sorted(rows.filter(pk__in=ids), key=lambda message: (message.pk != message_id, message.pk))
    # The batch's courses, read once each: a course page is a wide row (a Wagtail page), and a batch is mostly
    # about one or two courses. One page object for all its messages; the texts only read it.
    courses = CoursePage.objects.select_related("locale").in_bulk({message.occasion.course_id for message in messages})
    for message in messages:
        Occasion.course.field.set_cached_value(message.occasion, courses[message.occasion.course_id])
    return messages


def _attempt_failed(message, error, permanent=False):
    """Record the failure and when to try again, or give up. Returns the time of the next attempt (None: failed).

    Only the attempt that still owns the row writes (the sweep may have handed a cut-short one to another)."""
    last_error = f"{type(error).__name__}: {error}"[:2000]
    if permanent or message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        retry_at, changes = None, {"status": MessageStatus.FAILED}
    else:
        retry_at = timezone.now() + dt.timedelta(seconds=retry_delay(message.attempts))
        changes = {"next_attempt_at": retry_at}
    OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.QUEUED, attempt_started_at=message.attempt_started_at
    ).update(attempt_started_at=None, last_error=last_error, **changes)
    message.last_error = last_error
    return retry_at


# One connection to the mail server per worker (process or thread), opened once and reused for every message it
# sends: connecting, greeting and saying goodbye cost more than sending a confirmation. A connection idle longer
# than the server is likely to wait is not trusted, and one that failed in any way is not reused.
MAIL_IDLE_SECONDS = 10
_mail = threading.local()


def _mail_settings():
    return tuple(
        getattr(settings, name, None)
        for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
    )


def _mail_connection():
    connection = getattr(_mail, "connection", None)
    stale = connection is not None and (
        _mail.settings != _mail_settings() or time.monotonic() - _mail.used > MAIL_IDLE_SECONDS
    )
    if stale:
        close_mail_connection()
        connection = None
    if connection is None:
        connection = get_connection()
        connection.open()
        _mail.connection, _mail.settings = connection, _mail_settings()
    _mail.used = time.monotonic()
    return connection


def close_mail_connection():
    connection, _mail.connection = getattr(_mail, "connection", None), None
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


def _deliver(email):
    """Send over this worker's open connection."""
    try:
        try:
            _send_over(_mail_connection(), email)
        except smtplib.SMTPServerDisconnected:
            # The server closed the connection while it idled; it accepted nothing on it. Once more, on a new one.
            close_mail_connection()
            _send_over(_mail_connection(), email)
    except Exception:
        close_mail_connection()
        raise


def _send_over(connection, email):
    mime = getattr(email, "mime", None)
    if mime is not None and isinstance(connection, SMTPBackend) and connection.connection is not None:
        # A framed message's bytes and addresses are ready (plain addresses, see MimeFrame.fill): what the backend
        # would do, without formatting both addresses again for every message.
        connection.connection.sendmail(email.envelope_from, email.to, mime)
    else:
        connection.send_messages([email])


def send(message_id, now=None, batch=1, drain=False):
    """Send one outbox row if it is queued and nobody is sending it. Returns "sent", "skipped" or "failed" (given
    up), or raises SendFailed with the time of the next attempt. With `batch` (the worker's task), also up to
    `batch` - 1 other due rows over the same connection (see _claim); their outcomes are recorded on their rows.
    With `drain`, then every other due row, `batch` at a time (see "One task for a burst").

    Three steps, so no transaction is open while SMTP is spoken: claim the rows (committed), send each with its
    Message-ID, mark those the server took as sent (one statement). A crash between the second and the third
    leaves attempts under way that the sweep resends with the same Message-IDs: the receiver may get two copies,
    which mail software treats as one.
    """
    messages = _claim(message_id, now or timezone.now(), batch) if message_id is not None else []
    outcome, failure = "skipped", None
    if messages:
        outcome, failure = _send_claimed_batch(messages, own=messages[0])
    while drain:
        others = _claim(None, now or timezone.now(), batch)
        if not others:
            break
        if len(others) == batch:
            enqueue(None)  # more than a batch is due: wake another worker, unless a task is waiting already
        _send_claimed_batch(others, own=None)
    if failure is not None:
        raise failure
    return outcome


def _send_claimed_batch(messages, own):
    """Send claimed rows over this worker's connection and mark the sent ones in one statement. Returns the
    outcome for `own` and the error it raised (raised by the caller once the others had their attempt)."""
    shared = Batch(messages, site_root=_site_root_of(messages[0]))
    outcome, failure, sent = None, None, []
    for message in messages:
        try:
            result = _send_claimed(message, shared)
        except SendFailed as error:
            if message is own:
                failure = error  # the task retries its own message at the time the row records
            else:
                enqueue(message.pk, eta=error.retry_at)  # its own task may never have been queued (a burst)
            continue
        except Exception as error:
            if message is own:
                failure = error
            else:
                # Recorded on the row; the sweep tries again after the back-off.
                logger.exception("Outbox message %s failed in a batch", message.pk)
            continue
        if result == "sent":
            sent.append(message.pk)
        if message is own:
            outcome = result
    if sent:
        OutboxMessage.objects.filter(pk__in=sent, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            last_error="",
            attempt_started_at=None,
            next_attempt_at=None,
        )
    return outcome, failure


def _site_root_of(message):
    """The default Site's address, as read alongside the claimed rows (None: ask accounts.site)."""
    if getattr(message, "site_hostname", None) is None:
        return None
    return Site(hostname=message.site_hostname, port=message.site_port).root_url


def _send_claimed(message, batch):
    """Send one claimed row: "sent" (the caller marks it), "failed" (given up), or raises SendFailed."""
    try:
        _deliver(build_email(message, batch))
    except TEMPORARY_ERRORS as error:
        retry_at = _attempt_failed(message, error, permanent=is_permanent(error))
        if retry_at is None:
            return "failed"
        raise SendFailed(message.last_error, retry_at) from error
    except Exception as error:
        # A bug (rendering, a deleted row): the attempt ends with the reason on the row and the traceback in the
        # log; the sweep tries again after the back-off and the row fails after the last attempt.
        _attempt_failed(message, error)
        raise
    return "sent"


def resend(message_id):
    """An organiser asks to send a message again (a failed one, or a copy of a sent one)."""
    with transaction.atomic():
        original = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if original.status == MessageStatus.FAILED:
            # Same row, same Message-ID: if an earlier attempt did arrive, the receiver sees one message.
            original.status = MessageStatus.QUEUED
            original.attempts = 0
            original.attempt_started_at = original.next_attempt_at = None
            original.save(update_fields=["status", "attempts", "attempt_started_at", "next_attempt_at"])
            message = original
        else:
            copies = OutboxMessage.objects.filter(key__startswith=f"resend:{original.pk}:").count()
            message = OutboxMessage.objects.create(
                key=f"resend:{original.pk}:{copies + 1}",
                kind=original.kind,
                user=original.user,
                email=original.user.email if original.user else original.email,
                language=original.language,
                occasion=original.occasion,
                enrolment=original.enrolment,
                event=original.event,
                data=original.data,
            )
        transaction.on_commit(lambda: enqueue(message.pk))
    return message


CUT_SHORT = "AttemptCutShort: no outcome recorded within {seconds:g} s (the worker stopped?)"


def sweep(now=None):
    """Re-enqueue what nobody is sending: rows the broker never got, retries lost with a stopped worker, and
    attempts cut short (started longer ago than NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS, never finished). These
    go out again with the Message-ID of the first attempt; after the last attempt the row is "failed"."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)
    timeout = settings.NOTIFICATION_ATTEMPT_TIMEOUT_SECONDS
    ids = []
    with transaction.atomic():
        cut_short = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            status=MessageStatus.QUEUED, attempt_started_at__lt=now - dt.timedelta(seconds=timeout)
        )
        for message in cut_short[:1000]:
            message.attempt_started_at = None
            message.last_error = CUT_SHORT.format(seconds=timeout)
            if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            else:
                ids.append(message.pk)
            message.save(update_fields=["attempt_started_at", "last_error", "status"])
    # Due since before `stale` (never tried: since it was queued) and not taken: its task was lost.
    waiting = (
        OutboxMessage.objects.filter(status=MessageStatus.QUEUED, attempt_started_at__isnull=True)
        .annotate(due_at=Coalesce("next_attempt_at", "created_at"))
        .filter(due_at__lt=stale)
        .exclude(pk__in=ids)
        .order_by("pk")
    )
    ids += waiting.values_list("pk", flat=True)[: 1000 - len(ids)]
    for message_id in ids:
        enqueue(message_id)
    return len(ids)


# --- Reminders and follow-ups (periodic, from the database) --------------------------------------------


def reminder_due_at(start, days):
    """The same wall-clock time `days` before the start, in Stockholm (so DST changes don't shift it)."""
    local_start = timezone.localtime(start)
    return (local_start - dt.timedelta(days=days)).astimezone(dt.UTC)


def queue_reminders(now=None):
    """Queue the reminders that are due. Idempotent: each (enrolment, days) reminder has one key."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=91)
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.CONFIRMED,
            occasion__start__gt=now,
            occasion__start__lte=horizon,
            occasion__status="scheduled",
        )
        .select_related("occasion", "user")
        .order_by("pk")
    )
    schedules = {}
    queued = 0
    with transaction.atomic():
        for enrolment in enrolments:
            course_id = enrolment.occasion.course_id
            if course_id not in schedules:
                schedules[course_id] = CoursePage.objects.get(pk=course_id).reminder_schedule
            due = [
                days
                for days in schedules[course_id]
                if enrolment.created_at < reminder_due_at(enrolment.occasion.start, days) <= now
            ]
            if not due:
                continue
            days = min(due)  # only the latest reminder that is due; older ones have lost their point
            message = _queue(f"reminder:{enrolment.pk}:{days}", Kind.REMINDER, enrolment, data={"days": days})
            queued += message.created_at >= now - dt.timedelta(seconds=5)
    return queued


def queue_follow_ups(now=None):
    """Thank-you e-mails with the evaluation link, for occasions that ended in the last week."""
    now = now or timezone.now()
    enrolments = Enrolment.objects.filter(
        status__in=[Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED],
        occasion__end__lte=now - dt.timedelta(hours=1),
        occasion__end__gt=now - dt.timedelta(days=7),
        occasion__status="scheduled",
    ).select_related("occasion", "user")
    with transaction.atomic():
        for enrolment in enrolments:
            _queue(f"follow_up:{enrolment.pk}", Kind.FOLLOW_UP, enrolment)
    return enrolments.count()
