"""The line manager's answer page: reached from the e-mail's buttons, no account needed.

GET shows the request and changes nothing (mail scanners fetch links); the answer is a POST from this page.
Every refusal (a link that is not ours, replaced, used, or too late) is said in the language of the link.
"""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from . import manager
from .models import Enrolment
from .notifications import enrolment_cost

REFUSAL_STATUS = {"invalid": 400, "answer": 400, "replaced": 410, "expired": 410, "used": 409, "closed": 409}


def _respond(request, template, context, status=200):
    response = render(request, template, context, status=status)
    # The page's address is the key: never cached, never sent to another site as a Referer (same-origin: the
    # form's own POST keeps its Origin for the CSRF check), never indexed.
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, error):
    return _respond(
        request, "enrolment/manager_refused.html", {"error": error}, status=REFUSAL_STATUS.get(error.code, 400)
    )


def _facts(approval, language):
    enrolment = approval.enrolment
    occasion = enrolment.occasion
    course = occasion.course.in_language(language)
    return {
        "approval": approval,
        "person": enrolment.user,
        "occasion": occasion,
        "course": course,
        "cost": enrolment_cost(enrolment),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token):
    now = timezone.now()
    if request.method == "POST":
        decision = request.POST.get("answer", "")
        try:
            enrolment = manager.answer(token, decision, request.POST.get("message", ""), now=now)
        except manager.LinkError as error:
            return _refused(request, error)
        approval = enrolment.manager_approval
        context = {
            **_facts(approval, request.LANGUAGE_CODE),
            "decision": decision,
            "organiser_next": enrolment.status == Enrolment.Status.PENDING,
        }
        return _respond(request, "enrolment/manager_answered.html", context)
    try:
        approval = manager.request_for(token, now)
    except manager.LinkError as error:
        return _refused(request, error)
    chosen = request.GET.get("answer")
    context = {**_facts(approval, request.LANGUAGE_CODE), "chosen": chosen if chosen in manager.ANSWERS else ""}
    return _respond(request, "enrolment/manager_answer.html", context)
