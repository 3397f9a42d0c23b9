"""Thin views for clinicians: enrol, see My courses, cancel, accept an offer, subscribe to a calendar.

Each view parses the request, calls one service in `enrolment.services`, and renders or redirects.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document

from courses import formatting
from courses.fees import occasion_fee_text
from courses.ical import calendar_response, occasion_calendar
from courses.library import MaterialDownload
from courses.models import CoursePage, Occasion

from . import access, certificates, cpd, invoicing, manager, services
from .forms import CertificateCodeForm, EnrolmentForm, ManagerChangeForm
from .models import Enrolment, ManagerApproval


def _private(response):
    # Personal pages and private files must never sit in a shared cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def enrol(request, page, occasion):
    """GET: the course's questions. POST: enrol. Reached from the course page's occasion route."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # The user itself, not request.user's lazy stand-in: every attribute of that goes through a proxy, and the
    # enrolment reads the person's many times (auth's middleware keeps the user it loaded here).
    user = getattr(request, "_cached_user", request.user)
    if not user.profile_is_complete:
        messages.info(request, _("Please complete your profile before you enrol."))
        return redirect(f"{reverse('profile')}?next={request.path}")
    # A POST needs no look of its own: the service tells an existing enrolment, under the seat lock.
    existing = None if request.method == "POST" else Enrolment.objects.filter(user=user, occasion=occasion)
    if existing is not None and (existing := existing.active().first()):
        messages.info(request, _("You are already enrolled in this occasion."))
        return redirect("enrolment_detail", pk=existing.pk)

    # Not `request.POST or None`: a course without questions posts no fields, and must still enrol.
    fee, _vat = occasion.fee_for(occasion.course)
    form = EnrolmentForm(
        request.POST if request.method == "POST" else None,
        course=page,
        user=user,
        asks_manager=occasion.course.requires_manager_approval,
        invoice_defaults=invoicing.profile_defaults(user) if fee is not None else None,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(
                user,
                occasion.pk,
                form.answers(),
                page=page,
                course=occasion.course,
                email_verified=getattr(occasion, "email_verified", None),
                invoice=form.invoice_details(),
                manager=form.manager(),
            )
        except services.EnrolmentError as error:
            if error.code == "already_enrolled" and error.enrolment:
                messages.info(request, error.message)
                return redirect("enrolment_detail", pk=error.enrolment.pk)
            if getattr(error, "field_errors", None):
                form.add_answer_errors(error.field_errors)
            elif getattr(error, "invoice_errors", None) and form.asks_invoice_details:
                form.add_invoice_errors(error.invoice_errors)
            else:
                form.add_error(None, error.message)
            status = 409
        else:
            return redirect("enrolment_detail", pk=enrolment.pk)
    elif request.method == "POST":
        status = 400
    if occasion.course.get_deferred_fields():
        # The form again, with what went wrong, on the whole page (enrol_occasion read only what enrolling needs).
        known = getattr(page, "eligible_profession_list", None)
        Occasion.course.field.set_cached_value(
            occasion, CoursePage.objects.select_related("locale").get(pk=occasion.course_id)
        )
        page = occasion.course.in_language(request.LANGUAGE_CODE)
        page.eligible_profession_list = known
    response = page.render(
        request,
        template="enrolment/enrol.html",
        context_overrides={
            "occasion": occasion,
            "form": form,
            "ineligible": services.check_eligibility(user, page),
            "fee_text": occasion_fee_text(occasion, occasion.course),
            "has_fee": fee is not None,
        },
    )
    response.status_code = status
    return _private(response)


def enrol_occasion(request, occasion_id):
    """The enrolment form by occasion id: a plain URL, without walking the page tree on every POST."""
    occasion = _occasion_to_enrol(request, occasion_id) if request.method == "POST" else None
    if occasion is None:
        rules = CoursePage.eligible_professions.through.objects.filter(coursepage_id=OuterRef("course_id"))
        annotations = {"restricted": Exists(rules)}
        if request.user.is_authenticated:
            annotations["email_verified"] = Exists(services.verified_addresses(request.user))
        occasion = get_object_or_404(
            Occasion.objects.select_related("course__locale").annotate(**annotations), pk=occasion_id
        )
    page = occasion.course.in_language(request.LANGUAGE_CODE)
    if not page.live:
        raise Http404
    if not occasion.restricted:
        # Open to every profession (the rule is the same in every language): nothing to look up when enrolling.
        page.eligible_profession_list = []
    return enrol(request, page, occasion)


def _occasion_to_enrol(request, occasion_id):
    """For a POST of someone logged in: what enrolling needs to know before the seat lock, in one query written once
    (a form shown again, after an error, reads the whole page); None for anyone else. Where the database allows,
    the person's own row comes in the same round trip, and auth checks the session against it (as it would
    against the row it reads itself) instead of reading it again."""
    try:
        user_id = int(request.session[SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        user_id = None
    if user_id is not None and not hasattr(request, "_cached_user") and services.reads_together():
        occasion, person = services.occasion_and_person_to_enrol(occasion_id, user_id)
        with get_user_model().objects.known(person):
            authenticated = request.user.is_authenticated
    elif authenticated := request.user.is_authenticated:
        occasion = services.occasion_to_enrol(occasion_id, request.user)
    if not authenticated:
        return None
    if occasion is None:
        raise Http404
    return occasion


@login_required
def my_courses(request):
    enrolments = list(
        Enrolment.objects.filter(user=request.user)
        .select_related("occasion", "occasion__course")
        .order_by("occasion__start")
    )
    now = timezone.now()
    pages = access.course_pages_in_language([e.occasion.course for e in enrolments], request.LANGUAGE_CODE)
    for enrolment in enrolments:
        enrolment.page = pages.get(enrolment.occasion.course.translation_key, enrolment.occasion.course)
    upcoming = [e for e in enrolments if e.occasion.end >= now and e.status in access.UPCOMING_STATUSES]
    waiting = [e for e in enrolments if e.occasion.end >= now and e.status == Enrolment.Status.WAITING]
    past = [
        e
        for e in enrolments
        if e.occasion.end < now and e.status in (Enrolment.Status.ATTENDED, Enrolment.Status.CONFIRMED)
    ]
    ended = [e for e in enrolments if e not in upcoming and e not in waiting and e not in past]
    calendar_url = request.build_absolute_uri(reverse("personal_calendar", args=[request.user.calendar_token]))
    context = {"upcoming": upcoming, "waiting": waiting, "past": past, "ended": ended, "calendar_url": calendar_url}
    context["cpd"] = cpd.cpd_record(request.user, request.LANGUAGE_CODE)
    return _private(render(request, "enrolment/my_courses.html", context))


@login_required
def enrolment_detail(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("occasion", "occasion__course__locale"), pk=pk, user=request.user
    )
    page = enrolment.occasion.course.in_language(request.LANGUAGE_CODE)
    return _private(
        render(
            request,
            "enrolment/enrolment_detail.html",
            {
                "enrolment": enrolment,
                "occasion": enrolment.occasion,
                "course": page,
                "materials": access.materials_for(request.user, page),
                "can_cancel": enrolment.is_active
                and (
                    enrolment.status == Enrolment.Status.WAITING
                    or timezone.now() < enrolment.occasion.cancellation_deadline_at
                    or invoicing.late_cancellation_allowed(enrolment)
                ),
                "fee": invoicing.fee_summary(enrolment),
                "fee_stands_now": enrolment.is_active and invoicing.fee_stands_if_cancelled(enrolment),
                "manager_to_ask": ManagerApproval.objects.filter(enrolment=enrolment, decision="").first()
                if enrolment.status == Enrolment.Status.WAITING
                else None,
            },
        )
    )


@login_required
def cancel_enrolment(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("occasion", "occasion__course__locale"), pk=pk, user=request.user
    )
    if request.method != "POST":
        if not enrolment.is_active:
            return redirect("enrolment_detail", pk=enrolment.pk)
        # Asked once, on a page of its own (works without JavaScript), saying what happens to the seat.
        return _private(
            render(
                request,
                "enrolment/cancel_confirm.html",
                {
                    "enrolment": enrolment,
                    "occasion": enrolment.occasion,
                    "course": enrolment.occasion.course.in_language(request.LANGUAGE_CODE),
                    "consequence": services.cancellation_consequence(enrolment),
                    "fee": invoicing.fee_summary(enrolment),
                    "fee_stands": invoicing.fee_stands_if_cancelled(enrolment),
                },
            )
        )
    try:
        services.cancel(enrolment.pk, request.user)
    except services.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your enrolment has been cancelled."))
    return redirect("enrolment_detail", pk=enrolment.pk)


@login_required
def change_manager(request, pk):
    """Name another line manager while the enrolment awaits the answer (a mistyped address, a manager away)."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("occasion", "occasion__course__locale"), pk=pk, user=request.user
    )
    approval = ManagerApproval.objects.filter(enrolment=enrolment).first()
    if approval is None or approval.decision or enrolment.status not in manager.MANAGER_CHANGEABLE:
        messages.error(request, _("The line manager can be changed only while the enrolment awaits their answer."))
        return redirect("enrolment_detail", pk=enrolment.pk)
    form = ManagerChangeForm(request.POST or None, user=request.user, approval=approval)
    if request.method == "POST" and form.is_valid():
        try:
            manager.change_manager(enrolment.pk, form.manager(), request.user)
        except services.EnrolmentError as error:
            messages.error(request, error.message)
        else:
            if enrolment.status == Enrolment.Status.AWAITING_MANAGER:
                done = _("We have sent the request to %(email)s. The links sent before no longer work.")
            else:
                done = _("We will ask %(email)s when a seat is free for you.")
            messages.success(request, done % {"email": form.manager()["email"]})
        return redirect("enrolment_detail", pk=enrolment.pk)
    context = {
        "form": form,
        "enrolment": enrolment,
        "approval": approval,
        "occasion": enrolment.occasion,
        "course": enrolment.occasion.course.in_language(request.LANGUAGE_CODE),
    }
    return _private(render(request, "enrolment/manager_change.html", context, status=400 if form.errors else 200))


@login_required
@require_POST
def accept_offer(request, pk):
    enrolment = get_object_or_404(Enrolment, pk=pk, user=request.user)
    try:
        services.accept_offer(enrolment.pk, request.user)
    except services.EnrolmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have accepted the seat. Welcome!"))
    return redirect("enrolment_detail", pk=enrolment.pk)


def personal_calendar(request, token):
    """The person's confirmed occasions as a calendar feed; the secret token is the only key."""
    user = access.user_for_calendar_token(token)
    if user is None:
        raise Http404
    enrolments = (
        Enrolment.objects.filter(user=user, status__in=access.UPCOMING_STATUSES)
        .select_related("occasion", "occasion__course")
        .order_by("occasion__start")
    )
    pages = access.course_pages_in_language([e.occasion.course for e in enrolments], user.preferred_language)
    pairs = [(pages.get(e.occasion.course.translation_key, e.occasion.course), e.occasion) for e in enrolments]
    # The feed is read by a calendar app, not the person's browser: its name is in the person's language.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        calendar = occasion_calendar(pairs, request=request, name=_("My ATMP courses"))
    return _private(calendar_response(calendar, "my-courses.ics", inline=True))


@login_required
@require_POST
def reset_calendar_token(request):
    request.user.reset_calendar_token()
    messages.success(request, _("Your calendar link has been replaced. Subscriptions using the old link stop working."))
    return redirect("my_courses")


def serve_document(request, document_id, document_filename):
    """Wagtail's document view behind enrolment.access.document_decision: the only way to a document's file.

    A download of a library material is counted for the material's owners (per month, not per person).
    """
    document = get_object_or_404(get_document_model(), pk=document_id)
    decision, material, refusal = access.document_decision(request.user, document)
    if decision == access.LOGIN:
        return redirect_to_login(request.get_full_path())
    if decision == access.DENY:
        text = " ".join(part for part in (refusal.reason, refusal.how) if part) if refusal else ""
        return _private(HttpResponseForbidden(text or _("This document is for the course’s participants only.")))
    if decision == access.HIDDEN:
        raise Http404  # a private document nobody has published: not even its existence is told
    response = wagtail_serve_document(request, document_id, document_filename)
    if decision == access.PRIVATE:
        _private(response)
    if material is not None and response.status_code == 200:
        MaterialDownload.objects.record(material)
    return response


# --- Certificates of attendance -------------------------------------------------------------------------


@login_required
def download_certificate(request, pk):
    """The person's certificate of attendance as a PDF, in the language of the URL; issued on first download."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("occasion"), pk=pk, user=request.user, status=Enrolment.Status.ATTENDED
    )
    try:
        certificate = certificates.issue_certificate(enrolment, by=request.user)
    except services.EnrolmentError:
        raise Http404 from None  # attendance withdrawn a moment ago, or the occasion has not started
    response = HttpResponse(
        certificates.render_certificate_pdf(certificate, request.LANGUAGE_CODE), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=certificates.file_name(certificate, request.LANGUAGE_CODE)
    )
    return _private(response)


def verify_certificate(request):
    """Public: anyone with a certificate's or CPD transcript's code sees whether it is genuine and what it says."""
    form = CertificateCodeForm(request.GET if "code" in request.GET else None)
    certificate, transcript, withdrawn, status = None, None, False, 200
    if form.is_bound:
        if form.is_valid():
            certificate = certificates.find_certificate(form.cleaned_data["code"])
            if certificate is None:
                transcript = cpd.find_transcript(form.cleaned_data["code"])
            if certificate is not None:
                withdrawn = certificates.is_withdrawn(certificate)
            elif transcript is not None:
                withdrawn = cpd.is_withdrawn(transcript)
            # 410 Gone: a withdrawn certificate existed and no longer stands, whoever reads only the status.
            status = 404 if certificate is None and transcript is None else 410 if withdrawn else 200
        else:
            status = 400
    context = {
        "form": form,
        "checked": form.is_bound and form.is_valid(),
        "certificate": certificate,
        "transcript": transcript,
        "withdrawn": withdrawn,
        "facts": certificates.details(certificate, request.LANGUAGE_CODE) if certificate else None,
        "transcript_facts": cpd.details(transcript, request.LANGUAGE_CODE) if transcript else None,
    }
    # No shared cache: the page shows a name, which retention may remove at any time.
    return _private(render(request, "enrolment/certificate_verify.html", context, status=status))


# --- The CPD record ---------------------------------------------------------------------------------------


@login_required
def download_transcript(request):
    """The person's CPD transcript as a PDF in the language of the URL; a new code only when something changed."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    try:
        transcript = cpd.issue_transcript(request.user)
    except services.EnrolmentError as error:
        messages.info(request, error.message)
        return redirect(f"{reverse('my_courses')}#cpd-heading")
    response = HttpResponse(
        cpd.render_transcript_pdf(transcript, request.LANGUAGE_CODE), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=cpd.file_name(transcript, request.LANGUAGE_CODE)
    )
    return _private(response)


# --- Evaluations ------------------------------------------------------------------------------------------


def evaluate(request, token):
    """Public, by the personal link in the mail (no login: the token is the key). GET: the questions in the
    link's language; POST: the answers, stored once and without the person."""
    from .evaluations import EvaluationError, open_invitation, submit
    from .forms import EvaluationForm

    language = request.LANGUAGE_CODE
    try:
        opened = open_invitation(token, language)
    except EvaluationError as error:
        context = {"problem": error.message, "code": error.code}
        return _private(render(request, "enrolment/evaluation.html", context, status=error.status))
    form = EvaluationForm(request.POST if request.method == "POST" else None, questions=opened.questions)
    if request.method == "POST" and form.is_valid():
        try:
            submit(token, form.answers())
        except EvaluationError as error:
            context = {"problem": error.message, "code": error.code}
            return _private(render(request, "enrolment/evaluation.html", context, status=error.status))
        return _private(render(request, "enrolment/evaluation.html", {"thanks": True, "course": opened.course}))
    context = {
        "form": form,
        "course": opened.course,
        "when": formatting.format_period(opened.occasion.start, opened.occasion.end),
        "intro": opened.intro,
    }
    return _private(render(request, "enrolment/evaluation.html", context, status=400 if form.errors else 200))
