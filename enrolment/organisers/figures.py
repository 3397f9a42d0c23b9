"""Figures for course owners and network admins: fill rates, enrolments per month, no-shows, who takes part.

Each function takes a queryset of occasions the caller has already scoped (`access.occasions_for(user)`,
perhaps narrowed to one centre with `of_centre`) and aggregates in the database with a fixed number of
queries, however many occasions there are. Months are calendar months in Europe/Stockholm.

Who counts: a person is counted once per occasion. Enrolments that were cancelled, not approved or whose
offer expired are left out of the enrolment and participant figures (they are not people who come).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import profession_label
from accounts.regions import REGIONS
from courses.centres import courses_under_centres
from courses.models import titles_in_language

from ..models import Enrolment

Status = Enrolment.Status
STOCKHOLM = ZoneInfo("Europe/Stockholm")
UPCOMING_DAYS = 30
PERIODS = (3, 6, 12)  # months a report can cover
DEFAULT_PERIOD = 12
# Enrolments that still stand: everything except cancelled, not approved and expired offers.
STANDING_STATUSES = [
    Status.PENDING,
    Status.CONFIRMED,
    Status.WAITING,
    Status.OFFERED,
    Status.ATTENDED,
    Status.NO_SHOW,
    Status.AWAITING_MANAGER,
]


@dataclass
class Share:
    """One bar of a breakdown: a label, a number of people and their share of all counted (0–1)."""

    label: str
    people: int
    share: float = 0.0


@dataclass
class Month:
    start: dt.date  # the first day of the month
    enrolments: int


@dataclass
class NoShows:
    """Attendance marked after ended occasions; `rate` is no-shows / (attended + no-shows), None if none."""

    label: str
    attended: int = 0
    no_shows: int = 0
    courses: list = field(default_factory=list)

    @property
    def marked(self):
        return self.attended + self.no_shows

    @property
    def rate(self):
        return self.no_shows / self.marked if self.marked else None


# --- Helpers ------------------------------------------------------------------------------------------


def _people(condition=None):
    """Count people once per occasion: distinct (occasion, person) pairs among the enrolments."""
    pair = Concat("occasion_id", Value(":"), "user_id", output_field=CharField())
    return Count(pair, filter=condition, distinct=True)


def of_centre(occasions, centre):
    """The occasions of the courses under `centre`'s pages (the centre that manages them)."""
    return occasions.filter(course__in=courses_under_centres([centre.pk]).values("pk"))


def period_start(months, now=None):
    """Midnight on the first day of the month `months - 1` months before the current one, Stockholm time."""
    local = timezone.localtime(now or timezone.now(), STOCKHOLM)
    year, month = divmod(local.year * 12 + local.month - 1 - (months - 1), 12)
    return dt.datetime(year, month + 1, 1, tzinfo=STOCKHOLM)


def _standing_enrolments(occasions, months, now):
    return Enrolment.objects.filter(
        occasion__in=occasions, status__in=STANDING_STATUSES, created_at__gte=period_start(months, now)
    ).order_by()


def _with_shares(shares):
    total = sum(share.people for share in shares)
    for share in shares:
        share.share = share.people / total if total else 0.0
    return sorted(shares, key=lambda share: (-share.people, str(share.label)))


# --- Reports ------------------------------------------------------------------------------------------


def upcoming(occasions, now=None, days=UPCOMING_DAYS):
    """Scheduled occasions starting in the next `days` days, soonest first, each annotated with
    `seats_taken`, `waiting` (waiting-list length), `fill_rate` (0–1, None without a seat limit) and
    `course_title` (in the active language). Two queries."""
    now = now or timezone.now()
    rows = list(
        occasions.scheduled()
        .filter(start__gte=now, start__lt=now + dt.timedelta(days=days))
        .with_seats()
        .annotate(waiting=Count("enrolments", filter=Q(enrolments__status=Status.WAITING)))
        .select_related("course")
        .order_by("start", "pk")
    )
    titles = titles_in_language((row.course.translation_key, row.course.title) for row in rows)
    for row in rows:
        row.course_title = titles[row.course.translation_key]
        row.fill_rate = row.seats_taken / row.capacity if row.capacity else None
    return rows


def enrolments_per_month(occasions, months=DEFAULT_PERIOD, now=None):
    """Standing enrolments by the month they were made, for the last `months` months (this one included),
    empty months included. One query."""
    counts = {}
    rows = (
        _standing_enrolments(occasions, months, now)
        .annotate(month=TruncMonth("created_at", tzinfo=STOCKHOLM))
        .values("month")
        .annotate(enrolments=_people())
        .values_list("month", "enrolments")
    )
    for month, enrolments in rows:
        local = timezone.localtime(month, STOCKHOLM) if timezone.is_aware(month) else month
        counts[(local.year, local.month)] = enrolments
    first = period_start(months, now)
    result = []
    for offset in range(months):
        year, month = divmod(first.year * 12 + first.month - 1 + offset, 12)
        start = dt.date(year, month + 1, 1)
        result.append(Month(start=start, enrolments=counts.get((start.year, start.month), 0)))
    return result


def no_shows(occasions, months=DEFAULT_PERIOD, now=None):
    """No-show rate over scheduled occasions that ended in the period, overall and per course (by title).

    Only marked attendance counts: people whose attendance was never marked are left out. Two queries.
    """
    now = now or timezone.now()
    ended = occasions.scheduled().filter(end__gte=period_start(months, now), end__lt=now)
    rows = list(
        Enrolment.objects.filter(occasion__in=ended, status__in=[Status.ATTENDED, Status.NO_SHOW])
        .order_by()
        .values("occasion__course_id", "occasion__course__translation_key", "occasion__course__title")
        .annotate(attended=_people(Q(status=Status.ATTENDED)), no_shows=_people(Q(status=Status.NO_SHOW)))
    )
    titles = titles_in_language(
        (row["occasion__course__translation_key"], row["occasion__course__title"]) for row in rows
    )
    overall = NoShows(label=_("All courses"))
    for row in rows:
        course = NoShows(
            label=titles[row["occasion__course__translation_key"]], attended=row["attended"], no_shows=row["no_shows"]
        )
        overall.courses.append(course)
        overall.attended += course.attended
        overall.no_shows += course.no_shows
    overall.courses.sort(key=lambda course: str(course.label))
    return overall


def professions(occasions, months=DEFAULT_PERIOD, now=None):
    """People with standing enrolments made in the period, by profession in the active language. One query."""
    counts = (
        _standing_enrolments(occasions, months, now)
        .values("user__profession")
        .annotate(people=_people())
        .values_list("user__profession", "people")
    )
    people_by_code = {}
    for code, people in counts:
        people_by_code[code] = people_by_code.get(code, 0) + people
    return _with_shares(
        [
            Share(label=profession_label(code) or _("Not given"), people=people)
            for code, people in people_by_code.items()
        ]
    )


def regions(occasions, months=DEFAULT_PERIOD, now=None):
    """People with standing enrolments made in the period, by the region they work in. One query."""
    names = dict(REGIONS)
    rows = (
        _standing_enrolments(occasions, months, now)
        .values("user__region")
        .annotate(people=_people())
        .values_list("user__region", "people")
    )
    return _with_shares(
        [Share(label=names.get(region, region) if region else _("Not given"), people=people) for region, people in rows]
    )
