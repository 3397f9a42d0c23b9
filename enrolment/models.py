"""What people do with an occasion: the enrolment and its states (see shared DOMAIN.md), and the events
that state changes cause, from which notifications are sent after commit."""

import uuid
from email.utils import make_msgid

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.fees import VatStatus


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Enrolment.ACTIVE_STATUSES)

    def holding_seats(self):
        return self.filter(status__in=Enrolment.SEAT_STATUSES)

    def waiting_in_line(self):
        """The waiting list of an occasion, first come first served (ids rise in arrival order)."""
        return self.filter(status=Enrolment.Status.WAITING).order_by("pk")

    def with_waiting_numbers(self):
        """Annotate `waiting_number`: a waiting enrolment's place in line (1 = next to get a seat), else None."""
        ahead = (
            Enrolment.objects.filter(occasion=OuterRef("occasion"), pk__lte=OuterRef("pk"))
            .waiting_in_line()
            .order_by()
            .values("occasion")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waiting_number=Case(
                When(status=Enrolment.Status.WAITING, then=Subquery(ahead)), output_field=IntegerField()
            )
        )


class Enrolment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a seat")
        CANCELLED = "cancelled", pgettext_lazy("enrolment status", "Cancelled")
        REJECTED = "rejected", _("Not approved")
        EXPIRED = "expired", _("Offer expired")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")
        # The line manager's approval (enrolment/manager.py)
        AWAITING_MANAGER = "awaiting_manager", _("Awaiting the line manager")
        MANAGER_DECLINED = "manager_declined", _("Declined by the line manager")
        MANAGER_EXPIRED = "manager_expired", _("Line manager did not answer")

    ACTIVE_STATUSES = [Status.PENDING, Status.CONFIRMED, Status.WAITING, Status.OFFERED, Status.AWAITING_MANAGER]
    # A seat is held by confirmed and offered people, by those awaiting approval (the course keeps their
    # seat while the organiser or the line manager decides), and after the occasion by those who attended or
    # stayed away.
    SEAT_STATUSES = [
        Status.PENDING,
        Status.CONFIRMED,
        Status.OFFERED,
        Status.ATTENDED,
        Status.NO_SHOW,
        Status.AWAITING_MANAGER,
    ]

    # PROTECT: an occasion people enrolled in is cancelled, never deleted (its history and attendance stay).
    occasion = models.ForeignKey(
        "courses.Occasion", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("occasion")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    message = models.TextField(_("message from the organiser"), blank=True)
    # When attended / no-show was last set (who did it is in the audit log); empty while unmarked.
    attendance_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    # Invoicing (enrolment/invoicing.py): a snapshot taken at enrolment, so a later price change or a new profile
    # default changes nothing the person enrolled for. No fee (None) means free of charge.
    fee = models.DecimalField(_("fee (SEK)"), max_digits=9, decimal_places=2, null=True, blank=True)
    fee_vat = models.CharField(_("VAT"), max_length=10, choices=VatStatus.choices, blank=True)
    invoice_organisation = models.CharField(_("organisation to invoice"), max_length=200, blank=True)
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    # Cancelled after the cancellation deadline: the fee is still invoiced.
    fee_stands = models.BooleanField(_("fee stands after a late cancellation"), default=False)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "user"],
                condition=Q(status__in=["pending", "confirmed", "waiting", "offered", "awaiting_manager"]),
                name="one_active_enrolment_per_person_and_occasion",
            )
        ]
        indexes = [
            models.Index(fields=["occasion", "status"]),
            # The seats an occasion's enrolments hold, counted under the seat lock on every enrolment
            # (services.SEAT_STATE_SQL): read from this index alone, however long the waiting list. The statuses
            # are SEAT_STATUSES, in its order (tests/enrolment/test_round_trips.py holds the two together).
            models.Index(
                fields=["occasion"],
                condition=Q(status__in=["pending", "confirmed", "offered", "attended", "no_show", "awaiting_manager"]),
                name="seats_held_per_occasion",
            ),
        ]
        permissions = [("manage_all_enrolments", _("Can see and manage the participants of every centre"))]

    def __str__(self):
        # The label from the enum: get_status_display() builds a dict of all the (lazy) choices on every call, and
        # every enrolment's audit entry is labelled with this, under the seat lock.
        try:
            status = self.Status(self.status).label
        except ValueError:
            status = self.status
        return f"{self.user} – {self.occasion} ({status})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def certificate_available(self):
        """A certificate exists only for recorded attendance at an occasion that has started (people check in
        on the morning, before the first session: the certificate waits until the course is under way)."""
        return self.status == self.Status.ATTENDED and self.occasion.start <= timezone.now()

    @property
    def has_fee(self):
        return self.fee is not None and self.fee > 0

    @property
    def waiting_position(self):
        """1 for the first in line; None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        return Enrolment.objects.filter(pk=self.pk).with_waiting_numbers().values_list("waiting_number", flat=True)[0]


class Kind(models.TextChoices):
    """What happened to an enrolment, and so the message it sends: an event of each of the first ten kinds
    (EVENT_KINDS) sends the person the message of the same kind; the others are messages no event causes."""

    CONFIRMED = "confirmed", _("Enrolment confirmed")
    PENDING = "pending", _("Enrolment awaiting approval")
    WAITLISTED = "waitlisted", _("Put on the waiting list")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    OFFERED = "offered", _("Offered a seat")
    OFFER_EXPIRED = "offer_expired", _("Offer expired")
    REJECTED = "rejected", _("Enrolment not approved")
    CANCELLED = "cancelled", _("Enrolment cancelled")
    OCCASION_CHANGED = "occasion_changed", _("Occasion changed")
    OCCASION_CANCELLED = "occasion_cancelled", _("Occasion cancelled")
    REMINDER = "reminder", _("Reminder")
    FOLLOW_UP = "follow_up", _("Follow-up after the occasion")
    ORGANISER_NOTICE = "organiser_notice", _("Notice to the course owner")
    ORGANISER_DIGEST = "organiser_digest", _("Daily digest to the course owner")
    ORGANISER_MESSAGE = "organiser_message", _("Message from the course owner")
    EVALUATION = "evaluation", _("Evaluation invitation")
    EVALUATION_REMINDER = "evaluation_reminder", _("Evaluation reminder")
    # The line manager's approval (enrolment/manager.py): three events for the person, two messages to the manager.
    AWAITING_MANAGER = "awaiting_manager", _("Awaiting the line manager's approval")
    MANAGER_DECLINED = "manager_declined", _("Declined by the line manager")
    MANAGER_EXPIRED = "manager_expired", _("Line manager did not answer in time")
    MANAGER_REQUEST = "manager_request", _("Approval request to the line manager")
    MANAGER_REMINDER = "manager_reminder", _("Reminder to the line manager")


EVENT_KINDS = [
    Kind.CONFIRMED,
    Kind.PENDING,
    Kind.WAITLISTED,
    Kind.PROMOTED,
    Kind.OFFERED,
    Kind.OFFER_EXPIRED,
    Kind.REJECTED,
    Kind.CANCELLED,
    Kind.OCCASION_CHANGED,
    Kind.OCCASION_CANCELLED,
    Kind.AWAITING_MANAGER,
    Kind.MANAGER_DECLINED,
    Kind.MANAGER_EXPIRED,
]


class EnrolmentEvent(models.Model):
    """Something a person or organiser should hear about, written in the same transaction as the change.

    The notification pipeline turns these into messages after commit; `kind` names the message.
    """

    Kind = Kind

    kind = models.CharField(_("kind"), max_length=30, choices=[(kind.value, kind.label) for kind in EVENT_KINDS])
    occasion = models.ForeignKey("courses.Occasion", on_delete=models.CASCADE, related_name="events")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["processed_at"], condition=Q(processed_at__isnull=True), name="unprocessed_events")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


def new_message_id():
    """A Message-ID header for a new outbox row (RFC 5322), in the sender's domain."""
    return make_msgid(idstring="atmp", domain=settings.NOTIFICATION_MESSAGE_ID_DOMAIN)


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as the change that causes it.

    `key` is unique: the same message (event or reminder + recipient + kind + occasion version) can never be
    queued twice. A Celery task sends it after commit; a periodic sweep re-sends rows never picked up.
    `message_id` is fixed when the row is written, so every attempt sends the same Message-ID header and a
    copy that arrives twice (a worker died after the server accepted it) is one message to the receiver.
    `attempt_started_at` is set while an attempt is under way; `next_attempt_at` is when a failed one is
    tried again (exponential back-off, see notifications.retry_delay).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    Kind = Kind

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="outbox_messages",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8, default="sv")
    occasion = models.ForeignKey(
        "courses.Occasion", verbose_name=_("occasion"), on_delete=models.CASCADE, related_name="outbox_messages"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )
    event = models.ForeignKey(EnrolmentEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    data = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    attempt_started_at = models.DateTimeField(_("attempt under way since"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True, default=new_message_id)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email} ({self.get_status_display()})"


# --- The line manager's approval ------------------------------------------------------------------------


class ManagerApproval(models.Model):
    """The line manager's answer to one enrolment (see enrolment/manager.py): who was asked, by when, and what
    they said. The manager answers through a signed link that names this row and its `nonce`; a new nonce ends
    every link sent before (a corrected address), and an answer or the deadline ends them all."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("No answer in time")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="manager_approval", verbose_name=_("enrolment")
    )
    manager_name = models.CharField(_("line manager's name"), max_length=200, blank=True)
    manager_email = models.EmailField(_("line manager's e-mail"), blank=True)
    nonce = models.CharField(max_length=32, editable=False)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    requests_sent = models.PositiveSmallIntegerField(_("requests sent"), default=0)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Set when an organiser answered on the manager's behalf (who did it is in the audit log).
    by_organiser = models.BooleanField(_("answered by an organiser"), default=False)
    message = models.TextField(_("message from the line manager"), blank=True)

    class Meta:
        verbose_name = _("line manager's approval")
        verbose_name_plural = _("line managers' approvals")
        ordering = ["pk"]
        indexes = [models.Index(fields=["deadline"], condition=Q(decision=""), name="open_manager_approvals")]

    def __str__(self):
        return f"{self.manager_name} <{self.manager_email}>"

    @property
    def is_open(self):
        return not self.decision and self.deadline is not None

    @property
    def reminder_due_at(self):
        """Halfway between the request and the deadline."""
        return self.requested_at + (self.deadline - self.requested_at) / 2


# --- Certificates of attendance -------------------------------------------------------------------------


class Certificate(models.Model):
    """A certificate of attendance: its verification code and a snapshot of what it certifies.

    The snapshot (name, titles, centres, dates, hours) is what verification shows, so a certificate keeps
    saying what it said when issued after the course page is edited, and still verifies after retention or
    erasure have blanked the participant's name. See enrolment.certificates.
    """

    # SET_NULL: a printed certificate must keep verifying even if its enrolment row is ever deleted.
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    # Stored normalised: 12 Crockford base32 characters, upper case, no dashes (shown as XXXX-XXXX-XXXX).
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    participant_name = models.CharField(_("participant"), max_length=300, blank=True)
    course_title_sv = models.CharField(_("course title (Swedish)"), max_length=255)
    course_title_en = models.CharField(_("course title (English)"), max_length=255)
    centres_sv = models.CharField(_("ATMP-centres (Swedish)"), max_length=500, blank=True)
    centres_en = models.CharField(_("ATMP-centres (English)"), max_length=500, blank=True)
    occasion_start = models.DateTimeField(_("starts"))
    occasion_end = models.DateTimeField(_("ends"))
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    lipus_reference = models.CharField(_("Lipus number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def course_title(self, language):
        return self.course_title_en if language == "en" else self.course_title_sv

    def centres(self, language):
        return self.centres_en if language == "en" else self.centres_sv


class Transcript(models.Model):
    """A CPD transcript: every certificate of attendance a person held when they downloaded it, with the
    totals, under one verification code from the certificates' scheme (see enrolment.cpd).

    Like a certificate it keeps a snapshot (`entries`), so verification shows what the transcript said; it is
    withdrawn when any certificate it lists is.
    """

    # SET_NULL: a printed transcript keeps verifying whatever happens to the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transcripts",
        verbose_name=_("person"),
    )
    # One code space with certificates: the same verification page finds either.
    code = models.CharField(_("verification code"), max_length=12, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    participant_name = models.CharField(_("participant"), max_length=300, blank=True)
    # [{"certificate", "course_sv", "course_en", "start", "end", "cpd_hours", "lipus"}], oldest first
    entries = models.JSONField(_("courses"), default=list)
    total_hours = models.DecimalField(_("CPD hours"), max_digits=7, decimal_places=1, default=0)
    certificates = models.ManyToManyField(Certificate, related_name="transcripts", verbose_name=_("certificates"))
    # The certificates and name it lists: a download with nothing new reuses the transcript instead of
    # issuing another code.
    fingerprint = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("CPD transcript")
        verbose_name_plural = _("CPD transcripts")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["user", "fingerprint"], name="transcript_user_fingerprint")]

    def __str__(self):
        return self.display_code

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


# --- Evaluations (enrolment/evaluations.py) ----------------------------------------------------------------


class EvaluationInvitation(models.Model):
    """One attended participant asked to evaluate their occasion: the personal link's hash, and whether it was
    used. It never says what was answered: `EvaluationResponse` has no link back to it, and `answered_on` keeps
    only the day, so the time of an answer cannot pair it with its response."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="evaluation_invitation", verbose_name=_("enrolment")
    )
    # sha256 of the link's token (derived from the enrolment with the site's secret key, see evaluations.token).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.enrolment_id}: {self.answered_on or '-'}"


class EvaluationResponse(models.Model):
    """One anonymous set of answers to an occasion's evaluation: no person, no invitation, only the day.

    A random primary key, so neither ids nor the order of rows tell who answered first; not even the language
    answered in is kept (at an occasion with one English speaker it would say whose answers these are).
    `answers` is {question block id: 1–5 for a scale, the choice's position for a choice, the text}.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occasion = models.ForeignKey(
        "courses.Occasion",
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("occasion"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        ordering = ["id"]

    def __str__(self):
        return f"{self.occasion_id}: {self.submitted_on}"
