"""The line manager's approval: the manager's answer through a signed link, the organisers' resend and
override, and the beat job that reminds managers halfway and releases seats nobody answered for.

A course that asks for it (`CoursePage.requires_manager_approval`) holds the seat as "awaiting the line
manager" (enrolment.services: `_name_manager`, `_hold_for_manager`) and mails the manager two buttons. Each
opens a page that shows the request and asks to confirm by POST, so a mail scanner that fetches the link
changes nothing. The link is `django.core.signing` over {approval id, nonce} with a salt of its own: nobody
without the SECRET_KEY can make one, an answer or the deadline ends it (single use), and a new nonce ends the
links sent before it. Approve → organiser approval next if the course has it, else confirmed; decline or no
answer in time → the seat goes to the waiting list through the usual rules, and the person is told why.
"""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.site import absolute_url
from courses.models import MAX_MANAGER_DAYS

from . import notifications
from .models import Enrolment, EnrolmentEvent, ManagerApproval
from .services import EnrolmentError, _audit, _locked_enrolment, _record, _set_status, course_of, fill_free_seats

Status = Enrolment.Status
Kind = EnrolmentEvent.Kind
Decision = ManagerApproval.Decision

SALT = "enrolment.manager-approval"
# A link is never older than the longest answer period plus a resend's margin; the deadline ends it earlier.
LINK_MAX_AGE = dt.timedelta(days=MAX_MANAGER_DAYS + 30)
MAX_TOKEN_LENGTH = 300
ANSWERS = ("approve", "decline")
# Where the person may name another manager: the seat is held for the answer, or the manager will be asked
# when a seat frees.
MANAGER_CHANGEABLE = (Status.AWAITING_MANAGER, Status.WAITING)


class LinkError(EnrolmentError):
    """A manager's link that cannot be used; `code` says why (invalid, replaced, used, closed, expired)."""


def make_token(approval_id, nonce):
    return signing.dumps({"a": approval_id, "n": nonce}, salt=SALT)


def answer_url(approval_id, nonce, answer=None):
    """The absolute address of the answer page, in the active language (the mail's)."""
    url = absolute_url(reverse("manager_answer", args=[make_token(approval_id, nonce)]))
    return f"{url}?{urlencode({'answer': answer})}" if answer else url


def read_token(token):
    """(approval id, nonce) from a link, or LinkError("invalid") for anything this site did not sign."""
    invalid = LinkError(
        _("This link is not valid. Check that you opened the whole link from the e-mail."), code="invalid"
    )
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise invalid
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkError(_("This link has expired."), code="expired") from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise invalid from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("n"), str):
        raise invalid
    return data["a"], data["n"]


def _check(approval, enrolment, nonce, now):
    """Raise the LinkError that says why this link cannot be answered now; None when it can."""
    if not constant_time_compare(approval.nonce, nonce):
        raise LinkError(
            _("This link has been replaced by a newer one. Use the link in the latest e-mail."), code="replaced"
        )
    if approval.decision:
        raise LinkError(_("This request has already been answered."), code="used")
    if enrolment.status != Status.AWAITING_MANAGER or approval.deadline is None:
        raise LinkError(_("This enrolment no longer awaits an answer (it was cancelled or changed)."), code="closed")
    if now >= approval.deadline:
        raise LinkError(
            _("The time to answer has passed. The seat has gone, or is about to go, to the waiting list."),
            code="expired",
        )


def request_for(token, now=None):
    """What the answer page shows: the approval with its enrolment, person and occasion. Reads only."""
    approval_id, nonce = read_token(token)
    approval = (
        ManagerApproval.objects.select_related("enrolment__user", "enrolment__occasion__course")
        .filter(pk=approval_id)
        .first()
    )
    if approval is None:
        raise LinkError(_("This request no longer exists."), code="closed")
    _check(approval, approval.enrolment, nonce, now or timezone.now())
    return approval


def _lock(approval_id):
    enrolment_id = ManagerApproval.objects.filter(pk=approval_id).values_list("enrolment_id", flat=True).first()
    if enrolment_id is None:
        raise LinkError(_("This request no longer exists."), code="closed")
    enrolment, occasion = _locked_enrolment(enrolment_id)
    approval = ManagerApproval.objects.select_for_update().get(pk=approval_id)
    return approval, enrolment, occasion


def _go_on(enrolment, occasion, approval, action, by=None):
    """Approved: organiser approval next if the course has it, else confirmed."""
    course = course_of(occasion)
    if course.requires_approval:
        status, kind = Status.PENDING, Kind.PENDING
    else:
        status, kind = Status.CONFIRMED, Kind.CONFIRMED
    _set_status(enrolment, status)
    _record(enrolment, kind, action, user=by, by_manager=by is None)
    return enrolment


def _decide(approval, decision, now, *, message="", by_organiser=False):
    approval.decision = decision
    approval.decided_at = now
    approval.by_organiser = by_organiser
    approval.message = message
    approval.save(update_fields=["decision", "decided_at", "by_organiser", "message"])


def answer(token, decision, message="", *, now=None):
    """The line manager's answer through the link ("approve" or "decline"). Returns the enrolment."""
    now = now or timezone.now()
    if decision not in ANSWERS:
        raise LinkError(_("Choose to approve or to decline."), code="answer")
    approval_id, nonce = read_token(token)
    message = (message or "").strip()[:2000]
    with transaction.atomic():
        approval, enrolment, occasion = _lock(approval_id)
        _check(approval, enrolment, nonce, now)
        if decision == "approve":
            _decide(approval, Decision.APPROVED, now)
            return _go_on(enrolment, occasion, approval, "manager_approve")
        _decide(approval, Decision.DECLINED, now, message=message)
        _set_status(enrolment, Status.MANAGER_DECLINED)
        _record(enrolment, Kind.MANAGER_DECLINED, "manager_decline", by_manager=True)
        fill_free_seats(occasion, now=now)
        return enrolment


def _awaiting(enrolment_id):
    enrolment, occasion = _locked_enrolment(enrolment_id)
    approval = ManagerApproval.objects.select_for_update().filter(enrolment=enrolment).first()
    if enrolment.status != Status.AWAITING_MANAGER or approval is None:
        raise EnrolmentError(
            _("Only enrolments awaiting the line manager can be handled here."), code="not_awaiting_manager"
        )
    return approval, enrolment, occasion


def approve_for_manager(enrolment_id, by, message="", *, now=None):
    """An organiser approves on the line manager's behalf (the manager said yes by phone); audited."""
    now = now or timezone.now()
    with transaction.atomic():
        approval, enrolment, occasion = _awaiting(enrolment_id)
        _decide(approval, Decision.APPROVED, now, message=message, by_organiser=True)
        return _go_on(enrolment, occasion, approval, "manager_override", by=by)


def decline_for_manager(enrolment_id, by, message="", *, now=None):
    """An organiser declines on the line manager's behalf (the manager said no by phone): the seat goes to the
    waiting list and the person is told, with the message if one is given; audited."""
    now = now or timezone.now()
    message = (message or "").strip()[:2000]
    with transaction.atomic():
        approval, enrolment, occasion = _awaiting(enrolment_id)
        _decide(approval, Decision.DECLINED, now, message=message, by_organiser=True)
        _set_status(enrolment, Status.MANAGER_DECLINED)
        _record(enrolment, Kind.MANAGER_DECLINED, "manager_override_decline", user=by)
        fill_free_seats(occasion, now=now)
        return enrolment


def resend_request(enrolment_id, by, message="", *, now=None):
    """An organiser sends the manager the request again (same link, same deadline); audited."""
    now = now or timezone.now()
    with transaction.atomic():
        approval, enrolment, occasion = _awaiting(enrolment_id)
        if approval.deadline is None or now >= approval.deadline:
            raise EnrolmentError(_("The time to answer has passed."), code="expired")
        approval.requests_sent += 1
        approval.save(update_fields=["requests_sent"])
        notifications.queue_manager_message(Kind.MANAGER_REQUEST, approval, enrolment)
        _audit(enrolment, "enrolment.manager_resend", by, {"status": enrolment.status, "sent": approval.requests_sent})
        return enrolment


def change_manager(enrolment_id, details, by, *, now=None):
    """The person names another line manager (a mistyped address, a manager away): the new one is asked at
    once if the seat is held, and a new nonce ends the links sent to the old address. The deadline stays: the
    seat is held for the course's days once, however often the manager changes. Remembered on the profile."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, _occasion = _locked_enrolment(enrolment_id)
        approval = ManagerApproval.objects.select_for_update().filter(enrolment=enrolment).first()
        if enrolment.user_id != by.pk:
            raise EnrolmentError(_("This enrolment is not yours."), code="not_yours")
        if approval is None or approval.decision or enrolment.status not in MANAGER_CHANGEABLE:
            raise EnrolmentError(
                _("The line manager can be changed only while the enrolment awaits their answer."),
                code="not_awaiting_manager",
            )
        if approval.deadline is not None and now >= approval.deadline:
            raise EnrolmentError(_("The time to answer has passed."), code="expired")
        approval.manager_name, approval.manager_email = details["name"], details["email"]
        approval.nonce = secrets.token_hex(16)
        fields = ["manager_name", "manager_email", "nonce"]
        if enrolment.status == Status.AWAITING_MANAGER:
            approval.requests_sent += 1
            fields.append("requests_sent")
        approval.save(update_fields=fields)
        if enrolment.status == Status.AWAITING_MANAGER:
            notifications.queue_manager_message(Kind.MANAGER_REQUEST, approval, enrolment)
        get_user_model().objects.filter(pk=by.pk).update(manager_name=details["name"], manager_email=details["email"])
        _audit(enrolment, "enrolment.manager_change", by, {"status": enrolment.status, "sent": approval.requests_sent})
        return enrolment


def expire_requests(now=None):
    """Requests nobody answered by the deadline: the seat goes to the waiting list and the person is told.
    Safe to run any number of times (a beat job)."""
    now = now or timezone.now()
    due = ManagerApproval.objects.filter(
        decision="", deadline__lte=now, enrolment__status=Status.AWAITING_MANAGER
    ).values_list("pk", flat=True)
    expired = 0
    for approval_id in list(due):
        with transaction.atomic():
            approval, enrolment, occasion = _lock(approval_id)
            if approval.decision or enrolment.status != Status.AWAITING_MANAGER or approval.deadline > now:
                continue  # answered, cancelled or given more time meanwhile
            _decide(approval, Decision.EXPIRED, now)
            _set_status(enrolment, Status.MANAGER_EXPIRED)
            _record(enrolment, Kind.MANAGER_EXPIRED, "manager_expire")
            fill_free_seats(occasion, now=now)
            expired += 1
    return expired


def queue_reminders(now=None):
    """One reminder to each manager who has not answered halfway through the period. Idempotent: the row
    records it, and the outbox key is unique per request."""
    now = now or timezone.now()
    open_requests = ManagerApproval.objects.filter(
        decision="",
        reminded_at__isnull=True,
        deadline__gt=now,
        requested_at__isnull=False,
        enrolment__status=Status.AWAITING_MANAGER,
    ).select_related("enrolment__user")
    queued = 0
    with transaction.atomic():
        for approval in open_requests.select_for_update(skip_locked=True, of=("self",)):
            if approval.reminder_due_at > now:
                continue
            key = f"{Kind.MANAGER_REMINDER}:{approval.pk}:{approval.requests_sent}"
            notifications.queue_manager_message(Kind.MANAGER_REMINDER, approval, approval.enrolment, key=key)
            approval.reminded_at = now
            approval.save(update_fields=["reminded_at"])
            queued += 1
    return queued
