"""Evaluations after an occasion: who is asked (each attended participant, once, by a personal link), taking the
answers without the person, and the results organisers read.

Anonymity by construction: an `EvaluationInvitation` knows the enrolment and whether its link was used (the day
only); an `EvaluationResponse` knows the occasion and the answers, with a random id and the day only, and nothing
links the two. Results of an occasion with fewer than MIN_RESPONSES answers are hidden, and a course's combined
figures leave those occasions out, so no one's answers can be picked out by subtraction.

The link's token is derived from the enrolment with the site's secret key (so the outbox can render it at send
time, for the invitation and the reminder alike, without storing it); the invitation stores only its hash.
"""

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.language import active_language
from accounts.site import absolute_url
from courses.evaluation import SCALE, evaluation_of
from courses.models import CoursePage, Occasion

from . import notifications
from .models import Enrolment, EvaluationInvitation, EvaluationResponse, Kind

# The link's address in each language (a lazy route, resolved per active language like verify_route).
EVALUATION_PATHS = {"sv": "utvardering/<str:token>/", "en": "evaluation/<str:token>/"}
evaluation_route = lazy(lambda: EVALUATION_PATHS[active_language()], str)()

MIN_RESPONSES = 3  # fewer answers than this and an occasion's results are hidden
TOKEN = re.compile(r"^[0-9a-f]{64}$")


class EvaluationError(Exception):
    """Why a link cannot be used: `code` is "invalid", "closed" or "answered"; `message` says it to the person."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


# --- The personal link ----------------------------------------------------------------------------------


def token_for(enrolment_id):
    return salted_hmac("enrolment.evaluation", f"evaluation:{enrolment_id}", algorithm="sha256").hexdigest()


def hash_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def link_for(enrolment_id, language):
    with translation.override(language):
        return absolute_url(reverse("evaluation", args=[token_for(enrolment_id)]))


def closes_at(occasion):
    return occasion.end + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS)


def evaluation_of_occasion(occasion):
    """The questions an occasion's participants are asked (in Swedish: the ids every language shares)."""
    return evaluation_of(occasion.course)[1]


def questions_by_course(cache, course):
    """The course's questions in Swedish (the ids every language shares), cached per course for the beat jobs."""
    if course.pk not in cache:
        cache[course.pk] = evaluation_of(course)[1]
    return cache[course.pk]


# --- Asking (periodic, from the database) ----------------------------------------------------------------


def queue_invitations(now=None):
    """Invite each participant marked as attended at an occasion that ended (at least an hour ago, within the
    attendance look-back) and evaluates its occasions. Idempotent: one invitation per enrolment, one outbox key."""
    now = now or timezone.now()
    enrolments = (
        Enrolment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status=Enrolment.Status.ATTENDED,
            evaluation_invitation__isnull=True,
            occasion__status=Occasion.Status.SCHEDULED,
            occasion__end__lte=now - dt.timedelta(hours=1),
            occasion__end__gt=now - dt.timedelta(days=settings.ATTENDANCE_LOOKBACK_DAYS),
        )
        .select_related("occasion__course__locale", "user")
        .order_by("pk")
    )
    cache, queued = {}, 0
    with transaction.atomic():
        for enrolment in enrolments:
            if not questions_by_course(cache, enrolment.occasion.course):
                continue
            _invitation, created = EvaluationInvitation.objects.get_or_create(
                enrolment=enrolment, defaults={"token_hash": hash_of(token_for(enrolment.pk)), "created_at": now}
            )
            if created:
                notifications.queue_personal(f"evaluation:{enrolment.pk}", Kind.EVALUATION, enrolment)
                queued += 1
    return queued


def queue_reminders(now=None):
    """One reminder, EVALUATION_REMINDER_DAYS after the invitation, to those who have not answered while the link
    still works. Idempotent: `reminded_at` and the outbox key."""
    now = now or timezone.now()
    invitations = (
        EvaluationInvitation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            answered_on__isnull=True,
            reminded_at__isnull=True,
            created_at__lte=now - dt.timedelta(days=settings.EVALUATION_REMINDER_DAYS),
            enrolment__occasion__end__gt=now - dt.timedelta(days=settings.EVALUATION_OPEN_DAYS - 1),
            enrolment__status=Enrolment.Status.ATTENDED,
        )
        .select_related("enrolment__user", "enrolment__occasion")
        .order_by("pk")
    )
    queued = 0
    with transaction.atomic():
        for invitation in invitations:
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            enrolment = invitation.enrolment
            notifications.queue_personal(f"evaluation_reminder:{enrolment.pk}", Kind.EVALUATION_REMINDER, enrolment)
            queued += 1
    return queued


# --- Answering ------------------------------------------------------------------------------------------


@dataclass
class Opened:
    """An invitation whose link works: the occasion, its course page and questions in the link's language."""

    invitation: EvaluationInvitation
    occasion: Occasion
    course: CoursePage
    intro: str
    questions: list


INVALID = "invalid"
CLOSED = "closed"
ANSWERED = "answered"


def _errors():
    return {
        INVALID: (_("This evaluation link is not valid. Please use the link in the e-mail exactly as it is."), 404),
        CLOSED: (_("This evaluation has closed; answers are no longer taken. Thank you all the same."), 410),
        ANSWERED: (_("You have already answered this evaluation, and each person answers once. Thank you!"), 409),
    }


def _fail(code):
    message, status = _errors()[code]
    raise EvaluationError(code, message, status)


def _find(token, now, lock=False):
    if not isinstance(token, str) or not TOKEN.match(token):
        _fail(INVALID)
    invitations = EvaluationInvitation.objects.select_related("enrolment__occasion__course__locale")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=hash_of(token)).first()
    if invitation is None:
        _fail(INVALID)
    if invitation.answered_on is not None:
        _fail(ANSWERED)
    # Closed after its time, or when the attendance it was sent for was corrected to a no-show.
    if now >= closes_at(invitation.enrolment.occasion) or invitation.enrolment.status != Enrolment.Status.ATTENDED:
        _fail(CLOSED)
    return invitation


def open_invitation(token, language, now=None):
    """The evaluation behind a link, in `language`; raises EvaluationError when it cannot be answered."""
    invitation = _find(token, now or timezone.now())
    occasion = invitation.enrolment.occasion
    course = occasion.course.in_language(language)
    intro, questions = evaluation_of(course)
    return Opened(invitation, occasion, course, intro, questions)


def submit(token, answers, now=None):
    """Store one anonymous response and mark the link used, in one transaction; a second attempt stores nothing.

    `answers` is {question id: value} as the form cleaned it (only answered questions)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _find(token, now, lock=True)  # the lock: two submissions at once store one response
        EvaluationResponse.objects.create(
            occasion_id=invitation.enrolment.occasion_id,
            answers=answers,
            submitted_on=timezone.localdate(now),
        )
        invitation.answered_on = timezone.localdate(now)
        invitation.save(update_fields=["answered_on"])


# --- Results --------------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    share: float | None = None

    @property
    def percent(self):
        return None if self.share is None else round(self.share * 100)


@dataclass
class QuestionResult:
    question: object  # courses.evaluation.Question
    answered: int = 0
    bars: list = field(default_factory=list)  # scale: 1..5; choice: each choice
    mean: float | None = None
    texts: list = field(default_factory=list)


def summarise(questions, answer_sets):
    """One QuestionResult per question from a list of answers dicts."""
    results = []
    for question in questions:
        values = [answers[question.id] for answers in answer_sets if answers.get(question.id) not in (None, "")]
        result = QuestionResult(question, answered=len(values))
        if question.kind == "scale":
            counts = Counter(value for value in values if value in SCALE)
            result.bars = [
                Bar(str(point), counts[point], counts[point] / len(values) if values else None) for point in SCALE
            ]
            result.mean = sum(counts[p] * p for p in SCALE) / len(values) if values else None
        elif question.kind == "choice":
            counts = Counter(values)
            result.bars = [
                Bar(choice, counts[index], counts[index] / len(values) if values else None)
                for index, choice in enumerate(question.choices)
            ]
        else:
            result.texts = sorted(str(value) for value in values)
        results.append(result)
    return results


@dataclass
class OccasionResults:
    occasion: Occasion
    invited: int
    responses: int
    questions: list  # QuestionResult, empty when hidden

    @property
    def rate(self):
        return self.responses / self.invited if self.invited else None

    @property
    def hidden(self):
        return self.responses < MIN_RESPONSES


def _answers_by_occasion(occasion_ids):
    found = defaultdict(list)
    for occasion_id, answers in EvaluationResponse.objects.filter(occasion_id__in=occasion_ids).values_list(
        "occasion_id", "answers"
    ):
        found[occasion_id].append(answers)
    return found


def _invited_by_occasion(occasion_ids):
    return dict(
        EvaluationInvitation.objects.filter(enrolment__occasion_id__in=occasion_ids)
        .values_list("enrolment__occasion_id")
        .annotate(n=Count("pk"))
    )


def questions_in(course, language):
    """The course's evaluation questions (those of `course`, the page occasions hang on) in the viewer's words
    where its page in that language has them: a question added since the translation shows in the original's."""
    questions = evaluation_of(course)[1]
    translated = course.in_language(language)
    if translated.pk == course.pk:
        return questions
    words = {question.id: question for question in evaluation_of(translated)[1]}
    return [words.get(question.id, question) for question in questions]


def occasion_results(occasion, language):
    questions = questions_in(occasion.course, language)
    answer_sets = _answers_by_occasion([occasion.pk])[occasion.pk]
    invited = _invited_by_occasion([occasion.pk]).get(occasion.pk, 0)
    results = OccasionResults(occasion, invited, len(answer_sets), [])
    if not results.hidden:
        results.questions = summarise(questions, answer_sets)
    return results


@dataclass
class CourseResults:
    course: CoursePage
    occasions: list  # OccasionResults, oldest first, each with its scale questions' means
    questions: list  # QuestionResult over the occasions that are shown
    scale_questions: list

    @property
    def invited(self):
        return sum(row.invited for row in self.occasions)

    @property
    def responses(self):
        return sum(row.responses for row in self.occasions)

    @property
    def rate(self):
        return self.responses / self.invited if self.invited else None


def evaluated_occasions(occasions):
    """Occasions someone was asked to evaluate (or that have answers), oldest first."""
    return (
        occasions.filter(Q(enrolments__evaluation_invitation__isnull=False) | Q(evaluation_responses__isnull=False))
        .distinct()
        .select_related("course")
        .order_by("start", "pk")
    )


def course_results(course, occasions, language):
    """A course over time: each evaluated occasion (its rate and scale means; hidden under MIN_RESPONSES), and
    the distributions over the occasions that are shown."""
    occasions = list(evaluated_occasions(occasions))
    ids = [occasion.pk for occasion in occasions]
    answers, invited = _answers_by_occasion(ids), _invited_by_occasion(ids)
    questions = questions_in(course, language)
    scale_questions = [question for question in questions if question.kind == "scale"]
    rows, shown = [], []
    for occasion in occasions:
        row = OccasionResults(occasion, invited.get(occasion.pk, 0), len(answers[occasion.pk]), [])
        if not row.hidden:
            row.questions = summarise(scale_questions, answers[occasion.pk])
            shown.extend(answers[occasion.pk])
        rows.append(row)
    return CourseResults(course, rows, summarise(questions, shown) if shown else [], scale_questions)


def summary_by_course(occasions):
    """[{course, occasions, invited, responses, rate, last}] for evaluated occasions, the latest course first."""
    ids = [occasion.pk for occasion in occasions]
    invited = _invited_by_occasion(ids)
    answered = dict(
        EvaluationResponse.objects.filter(occasion_id__in=ids).values_list("occasion_id").annotate(n=Count("pk"))
    )
    courses = {}
    for occasion in occasions:
        row = courses.setdefault(
            occasion.course_id,
            {"course": occasion.course, "occasions": 0, "invited": 0, "responses": 0, "last": occasion.start},
        )
        row["occasions"] += 1
        row["invited"] += invited.get(occasion.pk, 0)
        row["responses"] += answered.get(occasion.pk, 0)
        row["last"] = max(row["last"], occasion.start)
    rows = sorted(courses.values(), key=lambda row: row["last"], reverse=True)
    for row in rows:
        row["rate"] = row["responses"] / row["invited"] if row["invited"] else None
    return rows
