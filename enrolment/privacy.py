"""The enrolment app's personal data, in accounts' privacy registry: enrolments (with their answers and
events), the outbox's messages, certificates of attendance and CPD transcripts.

Deleting an account first cancels the person's upcoming enrolments through the normal rules (the seats go
to the waiting list); retention erases answers once the occasions are long over.
"""

import secrets

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from accounts.privacy import ANONYMOUS_DOMAIN, Handler, iso, months_before, register
from courses.blocks import CHOICE_KINDS
from courses.models import CoursePage

from . import certificates, cpd, invoicing, services
from .access import course_pages_in_language
from .models import (
    Certificate,
    Enrolment,
    EnrolmentEvent,
    EvaluationInvitation,
    Kind,
    ManagerApproval,
    OutboxMessage,
    Transcript,
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


def _fee_export(enrolment):
    """The fee and invoice details kept on an enrolment (None for a free one)."""
    if enrolment.fee is None and not any(getattr(enrolment, name) for name in invoicing.INVOICE_FIELDS):
        return None
    return {
        "amount": str(enrolment.fee) if enrolment.fee is not None else None,
        "currency": "SEK",
        "vat": enrolment.fee_vat,
        "fee_stands_after_late_cancellation": enrolment.fee_stands,
        **{name: getattr(enrolment, name) for name in invoicing.INVOICE_FIELDS},
    }


# Invoice details a bookkeeping record needs are kept on invoiced enrolments (invoicing.INVOICED) for as long as
# Swedish bookkeeping law asks (INVOICE_RETENTION_MONTHS); on the others they serve nothing and go with the
# person's other data.
NO_INVOICE_DETAILS = {"invoice_organisation": "", "cost_centre": "", "invoice_reference": ""}


def _upcoming(user, now):
    return Enrolment.objects.filter(user=user, occasion__end__gt=now).active()


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
                    "start": iso(enrolment.occasion.start),
                    "end": iso(enrolment.occasion.end),
                    "place": enrolment.occasion.place,
                },
                "status": enrolment.status,
                "status_label": enrolment.get_status_display(),
                "enrolled_at": iso(enrolment.created_at),
                "updated_at": iso(enrolment.updated_at),
                "offer_expires_at": iso(enrolment.offer_expires_at),
                "answers": list(enrolment.answers.values()),
                "fee": _fee_export(enrolment),
                "message_from_organiser": enrolment.message,
                "events": [{"kind": event.kind, "at": iso(event.created_at)} for event in enrolment.events.all()],
            }
            for enrolment in enrolments
        ]

    def erase(self, erasure):
        # Kept, with their occasion and status, for the statistics; what the person wrote or was told goes.
        Enrolment.objects.filter(user=erasure.user).update(answers={}, message="")
        # Bookkeeping: an invoiced enrolment keeps who pays (organisation, cost centre, reference) and the fee,
        # without the person's name (the account is anonymised); the others lose their invoice details.
        Enrolment.objects.filter(user=erasure.user).exclude(invoicing.INVOICED).exclude(**NO_INVOICE_DETAILS).update(
            **NO_INVOICE_DETAILS
        )
        for event in EnrolmentEvent.objects.filter(enrolment__user=erasure.user).exclude(data={}):
            scrubbed = erasure.scrub(event.data)
            if scrubbed != event.data:
                EnrolmentEvent.objects.filter(pk=event.pk).update(data=scrubbed)

    def release(self, user, now):
        """Cancel the person's active enrolments on occasions not yet over, through the normal rules: the seats
        go to the waiting list and organisers hear of it as for any cancellation. Enrolments on occasions that
        have ended stay as they are (attendance history, not seats)."""
        for enrolment_id in list(_upcoming(user, now).order_by("occasion_id", "pk").values_list("pk", flat=True)):
            try:
                services.cancel(enrolment_id, user, as_organiser=True, now=now)
            except services.EnrolmentError:
                continue  # no longer active (an organiser or an offer expiry got there first)

    def released_by_erasure(self, user, language_code, now):
        """The active enrolments that deleting the account would cancel, each with its course `page` in the
        given language."""
        enrolments = list(
            _upcoming(user, now).select_related("occasion", "occasion__course").order_by("occasion__start")
        )
        pages = course_pages_in_language([e.occasion.course for e in enrolments], language_code)
        for enrolment in enrolments:
            enrolment.page = pages.get(enrolment.occasion.course.translation_key, enrolment.occasion.course)
        return enrolments

    def in_use_after(self, cutoff):
        # An enrolment on an occasion that ends after the cutoff keeps the account.
        return Exists(Enrolment.objects.filter(user=OuterRef("pk"), occasion__end__gte=cutoff))

    def expire(self, now):
        """Enrolments older than PRIVACY_RETENTION_MONTHS lose their answers and the organiser's message;
        free-text answers (anything not picked from the organiser's options) go after
        PRIVACY_ANSWERS_RETENTION_MONTHS. The enrolments themselves stay (occasion and status), so the counts
        per occasion and status remain."""
        cutoff = months_before(now, settings.PRIVACY_RETENTION_MONTHS)
        answers_cutoff = months_before(now, settings.PRIVACY_ANSWERS_RETENTION_MONTHS)

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
                block_id: answer
                for block_id, answer in enrolment.answers.items()
                if kinds.get(block_id) in CHOICE_KINDS
            }
            if kept != enrolment.answers:
                Enrolment.objects.filter(pk=enrolment.pk).update(answers=kept)
                free_text += 1
        # Invoice details: on enrolments nobody is invoiced for, with the answers; on invoiced ones once the
        # bookkeeping period is over.
        invoice_cutoff = months_before(now, settings.INVOICE_RETENTION_MONTHS)
        with_details = Enrolment.objects.exclude(**NO_INVOICE_DETAILS)
        invoice_details = (
            with_details.filter(occasion__end__lt=cutoff).exclude(invoicing.INVOICED).update(**NO_INVOICE_DETAILS)
        )
        invoice_details += with_details.filter(occasion__end__lt=invoice_cutoff).update(**NO_INVOICE_DETAILS)
        return {"enrolments": enrolments, "free_text_answers": free_text, "invoice_details": invoice_details}

    def logged_objects(self, user):
        return Enrolment, Enrolment.objects.filter(user=user).values_list("pk", flat=True), "enrolment"


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
        # The requests to the person's line manager are about the person (and carry the manager's address).
        about_the_person = Q(enrolment__user=user, kind__in=MANAGER_MESSAGE_KINDS)
        return OutboxMessage.objects.filter(Q(user=user) | by_address | about_the_person)

    def export(self, user):
        return [
            {
                "kind": message.kind,
                "kind_label": message.get_kind_display(),
                "email": message.email,
                "language": message.language,
                "status": message.status,
                "queued_at": iso(message.created_at),
                "sent_at": iso(message.sent_at),
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


# --- The line manager's approval ------------------------------

MANAGER_MESSAGE_KINDS = [Kind.MANAGER_REQUEST, Kind.MANAGER_REMINDER]


@register
class ManagerApprovalHandler(Handler):
    """Whom the person named as their line manager for each enrolment, and what the manager answered. The name
    and address are the person's data (and the manager's): exported, erased with the account, and blanked once
    the occasion is PRIVACY_ANSWERS_RETENTION_MONTHS over (the answer itself stays, for the statistics)."""

    model = "enrolment.ManagerApproval"
    key = "line_manager_approvals"
    erase_order = 12

    def export(self, user):
        return [
            {
                "enrolment": approval.enrolment_id,
                "manager_name": approval.manager_name,
                "manager_email": approval.manager_email,
                "requested_at": iso(approval.requested_at),
                "deadline": iso(approval.deadline),
                "decision": approval.decision,
                "decided_at": iso(approval.decided_at),
                "by_organiser": approval.by_organiser,
                "message_from_manager": approval.message,
            }
            for approval in ManagerApproval.objects.filter(enrolment__user=user).order_by("pk")
        ]

    @staticmethod
    def _blank(approvals):
        # A new nonce with the address: every link already mailed stops working.
        count = 0
        for approval in approvals.exclude(manager_name="", manager_email="", message=""):
            ManagerApproval.objects.filter(pk=approval.pk).update(
                manager_name="", manager_email="", message="", nonce=secrets.token_hex(16)
            )
            count += 1
        return count

    def erase(self, erasure):
        self._blank(ManagerApproval.objects.filter(enrolment__user=erasure.user))

    def expire(self, now):
        cutoff = months_before(now, settings.PRIVACY_ANSWERS_RETENTION_MONTHS)
        approvals = ManagerApproval.objects.filter(enrolment__occasion__end__lt=cutoff)
        messages = OutboxMessage.objects.filter(
            kind__in=MANAGER_MESSAGE_KINDS, enrolment__occasion__end__lt=cutoff
        ).exclude(email__iendswith="@" + ANONYMOUS_DOMAIN)
        anonymised = messages.update(email=f"line-manager@{ANONYMOUS_DOMAIN}")
        return {"line_manager_approvals": self._blank(approvals), "line_manager_messages": anonymised}


@register
class CertificateHandler(Handler):
    """Certificates stay verifiable for whoever holds one (the issue's "issued certificates' verification
    remain"); what goes is the name on the snapshot, so the verification page says the name was removed."""

    model = "enrolment.Certificate"
    key = "certificates"
    erase_order = 15

    def export(self, user):
        language = user.preferred_language
        return [
            {
                "code": certificate.display_code,
                "issued_at": iso(certificate.issued_at),
                "enrolment": certificate.enrolment_id,
                "participant_name": certificate.participant_name,
                "course": certificate.course_title(language),
                "occasion": {"start": iso(certificate.occasion_start), "end": iso(certificate.occasion_end)},
                "centres": certificate.centres(language),
                "cpd_hours": certificate.cpd_hours,
                "verification_url": certificates.verification_url(certificate, language),
            }
            for certificate in Certificate.objects.filter(enrolment__user=user).order_by("pk")
        ]

    def erase(self, erasure):
        Certificate.objects.filter(enrolment__user=erasure.user).exclude(participant_name="").update(
            participant_name=""
        )


# --- CPD transcripts ------------------------------


@register
class TranscriptHandler(Handler):
    """Like certificates: a transcript keeps verifying for whoever holds one; erasure blanks the name on it."""

    model = "enrolment.Transcript"
    key = "cpd_transcripts"
    erase_order = 15

    def export(self, user):
        language = user.preferred_language
        return [
            {
                "code": transcript.display_code,
                "issued_at": iso(transcript.issued_at),
                "participant_name": transcript.participant_name,
                "courses": transcript.entries,
                "total_cpd_hours": transcript.total_hours,
                "verification_url": cpd.verification_url(transcript, language),
            }
            for transcript in Transcript.objects.filter(user=user).order_by("pk")
        ]

    def erase(self, erasure):
        Transcript.objects.filter(user=erasure.user).exclude(participant_name="").update(participant_name="")


# --- Evaluations ------------------------------


@register
class EvaluationInvitationHandler(Handler):
    """Who was asked to evaluate which occasion, and whether they answered. What they answered is not personal
    data: responses point at no one (enrolment/evaluations.py), so there is nothing of theirs to export or erase.
    Erasure deletes the invitations not yet answered (no reminder goes to the erased person); answered ones stay,
    pointing at the kept, nameless enrolment, so the occasion's response rate stays true."""

    model = "enrolment.EvaluationInvitation"
    key = "evaluation_invitations"
    erase_order = 15

    def export(self, user):
        invitations = EvaluationInvitation.objects.filter(enrolment__user=user).select_related(
            "enrolment__occasion__course"
        )
        pages = course_pages_in_language(
            [invitation.enrolment.occasion.course for invitation in invitations], user.preferred_language
        )
        return [
            {
                "course": pages.get(
                    invitation.enrolment.occasion.course.translation_key, invitation.enrolment.occasion.course
                ).title,
                "occasion_start": iso(invitation.enrolment.occasion.start),
                "invited_at": iso(invitation.created_at),
                "reminded_at": iso(invitation.reminded_at),
                "answered": invitation.answered_on is not None,
            }
            for invitation in invitations.order_by("pk")
        ]

    def erase(self, erasure):
        EvaluationInvitation.objects.filter(enrolment__user=erasure.user, answered_on__isnull=True).delete()
