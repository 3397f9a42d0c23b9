"""Build the network's demo content with the factories: centres, taxonomies, courses in Swedish and English,
occasions over the coming year, people and enrolments. Safe to run again: it only adds what is missing.

The texts come from the data files beside this module (content.py). The work is a list of steps (`STEPS`),
each a function of the `DemoSite` being built, run in order in one transaction: add a step to load more.

Occasions are planned relative to the Monday of the current week (Stockholm time), so runs within the same
week plan the same dates; a course that already has occasions from an earlier week keeps them.
"""

import datetime as dt
import random
import secrets
import uuid
from collections import Counter
from decimal import Decimal
from functools import cache

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Collection, Locale, Revision

from accounts.factories import UserFactory
from accounts.models import Profession, User
from accounts.regions import REGIONS
from atmp.demo import content
from atmp.demo_materials import load_materials
from catalogue.models import SiteLinks, StandardPage
from catalogue.setup import ensure_site, follow_base_url
from courses.centres import centre_page, centre_team, ensure_centre, network_admins
from courses.factories import (
    AudienceFactory,
    CentreFactory,
    OccasionFactory,
    TopicFactory,
    create_course,
    default_evaluation,
    translate_course,
    translate_snippet,
)
from courses.library import MaterialPage
from courses.models import (
    Audience,
    Centre,
    CentreTeam,
    CourseFormat,
    CoursePage,
    Occasion,
    OrganiserNotices,
    Topic,
    WaitingListMode,
)
from enrolment import evaluations, notifications
from enrolment.factories import EnrolmentFactory
from enrolment.models import Enrolment, EvaluationInvitation, EvaluationResponse, ManagerApproval, OutboxMessage

SEED = 2026
PAST_DAYS, FUTURE_DAYS = 85, 360  # occasions start between ~3 months ago and ~12 months ahead
ENROLMENT_OPENS_DAYS = 240  # enrolment opens this long before an occasion starts
ONLINE_LINK = "https://meet.example.se/atmp/{slug}-{day:%Y%m%d}"
SELF_PACED_LINK = "https://learn.example.se/atmp/{slug}"
# How full an upcoming occasion open for enrolment gets: drawn per occasion, so the catalogue shows a mix
# and an occasion's share does not depend on any other occasion.
FILL_PATTERN = ["nearly_full", "nearly_full", "nearly_full", "some", "some", "some", "full", "few"]

Status = Enrolment.Status
# What the demo's participants write in the evaluation's free-text question (answers are stored as written).
DEMO_EVALUATION_TEXTS = [
    "Mer tid för praktiska övningar i grupp.",
    "Gärna fler patientfall från verkligheten.",
    "Bra föreläsare, men lokalen var för varm.",
    "Skicka ut kursmaterialet några dagar i förväg.",
    "Mycket bra kurs, inget att ändra på.",
    "More time for questions after each session, please.",
]


def rich_list(items):
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def stream(blocks):
    """A data file's body blocks as StreamField raw data for BodyBlock."""
    data = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "programme":
            value = {"title": value.get("title", ""), "items": [{**item, "speaker": ""} for item in value["items"]]}
        elif kind == "faq":
            value = {"items": value}
        data.append({"type": kind, "value": value})
    return data


def local(day, hhmm):
    """An aware datetime in Europe/Stockholm from a date and "09.00"."""
    hour, minute = (int(part) for part in hhmm.split("."))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def end_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def teaching_day(day, days):
    """Move a start date off the summer and Christmas holidays and onto a weekday that fits the course.

    Multi-day courses start Monday–Thursday so they end within the week; self-paced ones open on a Monday.
    """
    if day.month == 7:
        day += dt.timedelta(weeks=-4 if day.day <= 14 else 5)
    elif day.month == 8 and day.day <= 14:
        day += dt.timedelta(weeks=2)
    elif (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
        day += dt.timedelta(weeks=3)
    last_weekday = 0 if days > 5 else 5 - days
    if day.weekday() > last_weekday:
        # To the next week, keeping the distance from the last allowed weekday: Sat → Tue, Sun → Wed.
        to_monday = 7 - day.weekday()
        day += dt.timedelta(days=to_monday if days > 5 else to_monday + day.weekday() - last_weekday)
    return day


# The professions (accounts) each demo audience is for: who may enrol where a course is open to some only.
AUDIENCE_PROFESSIONS = {
    "physicians": [Profession.PHYSICIAN],
    "nurses": [Profession.NURSE],
    "pharmacists": [Profession.PHARMACIST],
    "gmp-and-laboratory-staff": [Profession.GMP_STAFF, Profession.BIOMEDICAL_SCIENTIST],
    "researchers": [Profession.RESEARCHER],
    "quality-assurance": [Profession.QUALITY_ASSURANCE],
}


class DemoSite:
    """One run of the loader: the content it reads and what the steps have built so far."""

    def __init__(self, content, now):
        self.content = content
        self.now = now
        self.skeleton = ensure_site()
        follow_base_url(self.skeleton.site)  # `make run PORT=...`: links in mails and feeds name that port
        self.sv, self.en = Locale.objects.get(language_code="sv"), Locale.objects.get(language_code="en")

    # People ---------------------------------------------------------------------------------------

    def load_people(self):
        content, passwords = self.content, self.content.passwords
        password_hash = cache(make_password)  # hashing is slow by design; once per password is enough

        def person(email, first_name, last_name, password, **extra):
            user = User.objects.filter(email=email).first()
            if user is None:
                user = UserFactory(
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    password=factory.Transformer.Force(password_hash(password)),
                    **extra,
                )
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            return user

        self.admin = person(**content.admin, password=passwords["admin"], is_staff=True, is_superuser=True)
        self.check_in_helper = person(**content.check_in_helper, password=passwords["owner"], is_staff=True)
        self.owners = {
            centre["slug"]: person(**centre["owner"], password=passwords["owner"], is_staff=True)
            for centre in content.centres
        }
        self.clinicians = [
            person(
                f"klinisk{number}@atmp.example",
                clinician["first_name"],
                clinician["last_name"],
                passwords["clinician"],
                preferred_language=clinician["language"],
            )
            for number, clinician in enumerate(content.clinicians, start=1)
        ]

    WORKPLACES = [
        ("Skånes universitetssjukhus, hematologen", "skane"),
        ("Akademiska sjukhuset, sjukhusapoteket", "uppsala"),
        ("Karolinska Universitetssjukhuset, Huddinge, CAR-T-enheten", "stockholm"),
        ("Sahlgrenska Universitetssjukhuset, cellterapienheten", "vastra-gotaland"),
        ("Norrlands universitetssjukhus, onkologen", "vasterbotten"),
        ("Universitetssjukhuset i Linköping, barnonkologen", "ostergotland"),
    ]

    def complete_profiles(self):
        """Give every demo person a complete profile (profession, workplace, region, consent), so they
        can enrol at once; people who already have one are left alone."""
        professions = [code for code in Profession.values if code != Profession.OTHER]
        for number, user in enumerate([*self.owners.values(), *self.clinicians]):
            if user.profile_is_complete:
                continue
            workplace, region = self.WORKPLACES[number % len(self.WORKPLACES)]
            user.profession = professions[number % len(professions)]
            user.workplace, user.region = workplace, region
            user.accept_privacy_notice()
            user.save()
        # Invoice defaults for courses with a fee: the region pays, each unit its own cost centre.
        regions = dict(REGIONS)
        for number, user in enumerate(self.clinicians, start=1):
            if user.cost_centre:
                continue
            user.invoice_organisation = regions.get(user.region, "Region Stockholm")
            user.cost_centre = f"{51000 + (number % 6) * 100}"
            user.invoice_reference = f"ATMP-{user.last_name}"
            user.save(update_fields=["invoice_organisation", "cost_centre", "invoice_reference"])

    # Centres, topics, audiences -------------------------------------------------------------------

    def load_taxonomies(self):
        root = Collection.get_first_root_node()
        self.centres = {}
        for data in self.content.centres:
            name = data["sv"]["name"]
            collection = root.get_children().filter(name=name).first() or root.add_child(name=name)
            centre = CentreFactory(
                slug=data["slug"],
                locale=self.sv,
                **data["sv"],
                region=data["region"],
                city=data["city"],
                contact_email=data["contact_email"],
                website=data["website"],
                collection=collection,
            )
            if centre.collection_id is None:
                centre.collection = collection
                centre.save(update_fields=["collection"])
            translate_snippet(centre, self.en, **data["en"])
            self.centres[data["slug"]] = centre
            # The centre's pages and groups; its demo course owner joins the course owners.
            ensure_centre(centre)
            centre_team(centre, CentreTeam.Role.COURSE_OWNER).user_set.add(self.owners[data["slug"]])
        first_centre = self.centres[self.content.centres[0]["slug"]]
        centre_team(first_centre, CentreTeam.Role.CHECK_IN_HELPER).user_set.add(self.check_in_helper)
        network_admins().user_set.add(self.admin)

        self.topics, self.audiences = {}, {}
        for model_factory, rows, found in (
            (TopicFactory, self.content.topics, self.topics),
            (AudienceFactory, self.content.audiences, self.audiences),
        ):
            for row in rows:
                extra = {"professions": AUDIENCE_PROFESSIONS[row["slug"]]} if model_factory is AudienceFactory else {}
                entry = model_factory(slug=row["slug"], locale=self.sv, name=row["sv"], **extra)
                translate_snippet(entry, self.en, name=row["en"])
                found[row["slug"]] = entry

    # Courses and occasions ------------------------------------------------------------------------

    def load_courses(self):
        catalogue = self.skeleton.catalogue["sv"]
        rng = random.Random(SEED)
        today = timezone.localdate()
        anchor = today - dt.timedelta(days=today.weekday())
        self.courses = []
        self.kept_schedules = 0
        counter = 0
        for index, data in enumerate(self.content.courses):
            # Plan first, whatever exists, so the random sequence (and every later course's dates) never
            # depends on what is already in the database.
            planned = self.plan_occasions(rng, index, data, anchor)
            for fields in planned:
                counter += 1
                # A few occasions are called off, never a course's last one (it must stay in the catalogue).
                if counter % 19 == 7 and fields is not planned[-1] and data["format"] != CourseFormat.SELF_PACED:
                    fields["status"] = Occasion.Status.CANCELLED

            centre_home = centre_page(self.centres[data["centres"][0]])
            page = CoursePage.objects.descendant_of(catalogue).filter(slug=data["sv"]["slug"]).first()
            if page is None:
                # Fetched again: the factory's instance still carries the draft state of its saved revision.
                page = CoursePage.objects.get(pk=self.create_course(centre_home, data).pk)
            elif page.get_parent().pk == catalogue.pk:
                # A database from before centre pages: the course moves under its centre (both languages).
                self.move_under_centre(page, data)
                page.refresh_from_db()
            self.add_occasions(page, planned)
            if page.get_translation_or_none(self.en) is None:
                en = data["en"]
                translate_course(
                    page,
                    self.en,
                    title=en["title"],
                    slug=en["slug"],
                    summary=en["summary"],
                    body=stream(en["body"]),
                    learning_objectives=rich_list(en["objectives"]),
                    prerequisites=en["prerequisites"],
                )
            self.apply_rules(page, data.get("rules"))
            self.apply_fee(page, data.get("fee"))
            self.courses.append(page)

    def apply_rules(self, page, rules):
        """The Enrolment tab's rules on the demo courses that show them (a course file's `[rules]`).

        Set once, on a course that still has the default rules: what an owner changed later stays.
        """
        page = CoursePage.objects.get(pk=page.pk)
        untouched = (
            not page.enrolment_questions
            and not page.requires_approval
            and not page.requires_manager_approval
            and page.waiting_list_mode == WaitingListMode.AUTOMATIC
            and page.organiser_notices == OrganiserNotices.NONE
            and not page.evaluation_url
            and not page.eligible_professions.exists()
        )
        if rules is None or not untouched:
            return
        # The same block ids in both languages (wagtail-localize keeps them), so answers line up.
        questions = rules.get("questions", [])
        ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"atmp-demo/{page.slug}/{n}")) for n in range(len(questions))]
        for language, version in (("sv", page), ("en", page.get_translation_or_none(self.en))):
            if version is None:
                continue
            version = version.specific
            version.requires_approval = rules.get("requires_approval", False)
            version.requires_manager_approval = rules.get("requires_manager_approval", False)
            version.manager_days = rules.get("manager_days", version.manager_days)
            version.eligible_professions = [self.audiences[slug] for slug in rules.get("eligible_professions", [])]
            version.waiting_list_mode = rules.get("waiting_list_mode", WaitingListMode.AUTOMATIC)
            version.offer_hours = rules.get("offer_hours", version.offer_hours)
            version.organiser_notices = rules.get("organiser_notices", OrganiserNotices.NONE)
            if rules.get("evaluation"):
                version.evaluation_url = self.content.evaluation_url.format(slug=page.slug)
            version.enrolment_questions = [
                {
                    "type": "question",
                    "id": block_id,
                    "value": {
                        "label": question[language]["label"],
                        "help_text": question[language]["help_text"],
                        "kind": question["kind"],
                        "choices": question[language]["choices"],
                        "required": question["required"],
                    },
                }
                for block_id, question in zip(ids, questions, strict=True)
            ]
            version.save_revision().publish()

    def apply_fee(self, page, fee):
        """A course file's `[fee]` on the course (both languages), once: a fee an owner changed later stays."""
        page = CoursePage.objects.get(pk=page.pk)
        if fee is None or page.fee is not None:
            return
        for version in CoursePage.objects.filter(translation_key=page.translation_key):
            version.fee, version.fee_vat = Decimal(fee["amount"]), fee["vat"]
            version.save_revision().publish()

    def invoice_snapshot(self, occasion, user):
        """What a paid enrolment keeps (enrolment/invoicing.py): the fee and the person's invoice defaults."""
        fee, vat = occasion.fee_for(occasion.course)
        if fee is None:
            return {}
        return {
            "fee": fee,
            "fee_vat": vat,
            "invoice_organisation": user.invoice_organisation,
            "cost_centre": user.cost_centre,
            "invoice_reference": user.invoice_reference,
        }

    def demo_answers(self, course, user):
        """Answers to a demo course's questions, the same for a person on every run."""
        rng = random.Random(f"{SEED}:{course.slug}:{user.email}")
        answers = {}
        for block in course.enrolment_questions:
            question = block.value
            choices = list(question["choices"])
            if question["kind"] == "choice":
                answer = rng.choice(choices)
            elif question["kind"] == "multiple_choice":
                answer = [choice for choice in choices if rng.random() < 0.5] or choices[:1]
            elif question["kind"] == "yes_no":
                answer = rng.choice(["yes", "yes", "no"])
            elif question["kind"] == "long_text":
                answer = rng.choice(self.content.long_answers)
            else:
                answer = user.workplace or rng.choice(self.content.long_answers)
            if question["required"] or rng.random() < 0.7:
                answers[block.id] = {"question": question["label"], "answer": answer}
        return answers

    def move_under_centre(self, page, data):
        centre = self.centres[data["centres"][0]]
        for translation in CoursePage.objects.filter(translation_key=page.translation_key):
            translation.move(centre_page(centre, translation.locale.language_code), pos="last-child")

    def create_course(self, parent, data):
        sv = data["sv"]
        owner = self.owners[data["centres"][0]]
        return create_course(
            parent,
            title=sv["title"],
            slug=sv["slug"],
            summary=sv["summary"],
            body=stream(sv["body"]),
            learning_objectives=rich_list(sv["objectives"]),
            prerequisites=sv["prerequisites"],
            centres=[self.centres[slug] for slug in data["centres"]],
            topics=[self.topics[slug] for slug in data["topics"]],
            audiences=[self.audiences[slug] for slug in data["audiences"]],
            format=data["format"],
            language_of_instruction=data["language"],
            cpd_hours=Decimal(data["cpd_hours"]),
            lipus_reference=data["lipus"],
            contact_name=owner.get_full_name(),
            contact_email=owner.email,
        )

    def plan_occasions(self, rng, index, data, anchor):
        """The occasions of one course as field dicts, spread from about 3 months ago to 12 months ahead."""
        days, start_time, end_time = (data["schedule"][key] for key in ("days", "start", "end"))
        count = data["occasions"]
        first = rng.randint(-PAST_DAYS, -5) if rng.random() < 0.8 else rng.randint(3, 25)
        step = min((FUTURE_DAYS - 20 - first) / max(count - 1, 1), 180)
        planned, previous = [], None
        for number in range(count):
            # Draw every random value for every occasion, used or not, to keep the sequence stable.
            jitter = rng.uniform(-0.12, 0.12) * step if number else 0
            english, capacity_draw = rng.random(), rng.random()
            closes_days, cancel_days = rng.choice([3, 5, 7, 7, 10]), rng.choice([7, 7, 10, 14])

            offset = min(round(first + number * step + jitter), FUTURE_DAYS)
            day = teaching_day(anchor + dt.timedelta(days=offset), days)
            if previous and day <= previous:
                continue
            previous = day
            centre = data["centres"][number % len(data["centres"])]
            venues = self.content.centre(centre)["venues"]
            venue = venues[(index + number) % len(venues)]
            mode = data["format"]
            if mode == CourseFormat.HYBRID and number % 3 == 2:
                mode = CourseFormat.IN_PERSON
            slug = data["sv"]["slug"]
            fields = {
                "start": local(day, start_time),
                "end": local(day + dt.timedelta(days=days - 1), end_time),
                "mode": mode,
                "language": "en" if data["language"] == "en" or english < 0.1 else "sv",
                "status": Occasion.Status.SCHEDULED,
                "enrolment_opens": local(day - dt.timedelta(days=ENROLMENT_OPENS_DAYS), "08.00"),
            }
            if mode == CourseFormat.SELF_PACED:
                fields.update(
                    venue="",
                    address="",
                    city="",
                    online_link=SELF_PACED_LINK.format(slug=slug),
                    capacity=None,
                    enrolment_closes=end_of_day(day + dt.timedelta(days=days - 15)),
                    cancellation_deadline=None,
                )
            else:
                capacities = {
                    CourseFormat.IN_PERSON: [12, 16, 20, 24, 24, 30],
                    CourseFormat.HYBRID: [20, 24, 30, 40],
                    CourseFormat.ONLINE: [30, 30, 40, 40, 40, None],
                }[mode]
                online = mode == CourseFormat.ONLINE
                fields.update(
                    venue="" if online else venue["name"],
                    address="" if online else venue["address"],
                    city="" if online else venue["city"],
                    online_link=ONLINE_LINK.format(slug=slug, day=day) if mode != CourseFormat.IN_PERSON else "",
                    capacity=capacities[int(capacity_draw * len(capacities))],
                    enrolment_closes=end_of_day(day - dt.timedelta(days=closes_days)),
                    cancellation_deadline=end_of_day(day - dt.timedelta(days=cancel_days)),
                )
            planned.append(fields)
        return planned

    def add_occasions(self, page, planned):
        """Create the planned occasions the course lacks, looked up by start."""
        existing = set(page.occasions.values_list("start", flat=True))
        if existing and not existing & {fields["start"] for fields in planned}:
            self.kept_schedules += 1  # dates from an earlier week: keep them rather than add a second set
            return
        if page.has_unpublished_changes:
            # Publishing a draft saved before these occasions existed would delete them (and, by cascade,
            # their enrolments): leave a course an editor is working on alone.
            self.kept_schedules += 1
            return
        for fields in planned:
            if fields["start"] not in existing:
                OccasionFactory(course=page, **fields)

    # Enrolments -----------------------------------------------------------------------------------

    def load_enrolments(self):
        occasions = list(
            Occasion.objects.filter(course__in=self.courses).select_related("course").order_by("start", "pk")
        )
        taken = set(Enrolment.objects.filter(occasion__in=occasions).values_list("occasion_id", "user_id"))
        seats = Counter(
            Enrolment.objects.filter(occasion__in=occasions, status__in=Enrolment.SEAT_STATUSES).values_list(
                "occasion_id", flat=True
            )
        )
        new = []
        for occasion in occasions:
            rng = random.Random(f"{SEED}:{occasion.course.slug}:{timezone.localtime(occasion.start):%Y%m%d}")
            kind = rng.choice(FILL_PATTERN) if self.accepts_enrolment(occasion) else None
            statuses = self.plan_statuses(occasion, kind, rng)
            people = rng.sample(self.clinicians, len(statuses))
            moments = self.enrolment_moments(occasion, len(statuses), rng)
            if occasion.course.requires_approval and occasion.end >= self.now:
                # The newest confirmed enrolments of an approval course wait for the owner's decision instead.
                newest = [n for n, status in enumerate(statuses) if status == Status.CONFIRMED][-3:]
                statuses = [Status.PENDING if n in newest else status for n, status in enumerate(statuses)]
            made = []
            for user, status, moment in zip(people, statuses, moments, strict=True):
                if (occasion.pk, user.pk) in taken:
                    continue
                full = occasion.capacity is not None and seats[occasion.pk] >= occasion.capacity
                if (status in Enrolment.SEAT_STATUSES and full) or (status == Status.WAITING and not full):
                    continue  # someone enrolled outside the demo: never overbook or queue for a free seat
                answers = self.demo_answers(occasion.course, user) if occasion.course.enrolment_questions else {}
                made.append(
                    EnrolmentFactory.build(
                        occasion=occasion,
                        user=user,
                        status=status,
                        created_at=moment,
                        answers=answers,
                        **self.invoice_snapshot(occasion, user),
                    )
                )
                taken.add((occasion.pk, user.pk))
                if status in Enrolment.SEAT_STATUSES:
                    seats[occasion.pk] += 1
            new.extend(made)
        # One insert for all (saving ~1,500 rows one by one costs seconds); auto_now_add overwrites
        # created_at on insert, so the enrolment times are written back afterwards.
        moments = [enrolment.created_at for enrolment in new]
        Enrolment.objects.bulk_create(new)
        for enrolment, moment in zip(new, moments, strict=True):
            enrolment.created_at = moment
        Enrolment.objects.bulk_update(new, ["created_at"], batch_size=500)

    def hold_for_line_managers(self):
        """On a course that needs the line manager's approval, the newest seats of its next occasion await the
        manager (the request counted as sent a day ago), so organisers see who awaits whom and can resend or
        approve on the manager's behalf. Once: an occasion with approvals already is left alone."""
        for course in self.courses:
            if not CoursePage.objects.filter(pk=course.pk, requires_manager_approval=True).exists():
                continue
            occasion = (
                Occasion.objects.filter(course=course, start__gt=self.now + dt.timedelta(days=7))
                .scheduled()
                .order_by("start")
                .first()
            )
            if occasion is None or ManagerApproval.objects.filter(enrolment__occasion=occasion).exists():
                continue
            newest = Enrolment.objects.filter(occasion=occasion, status=Status.CONFIRMED).order_by("-created_at")[:2]
            for enrolment in newest:
                user = enrolment.user
                if not user.manager_email:
                    user.manager_name = "Birgitta Chefsdotter"
                    user.manager_email = f"chef.{user.email.split('@')[0]}@region.example"
                    user.save(update_fields=["manager_name", "manager_email"])
                requested = self.now - dt.timedelta(days=1)
                ManagerApproval.objects.create(
                    enrolment=enrolment,
                    manager_name=user.manager_name,
                    manager_email=user.manager_email,
                    nonce=secrets.token_hex(16),
                    requested_at=requested,
                    deadline=min(requested + dt.timedelta(days=course.manager_days), occasion.start),
                    requests_sent=1,
                )
                enrolment.status = Status.AWAITING_MANAGER
                enrolment.save(update_fields=["status"])

    def settle_past_mail(self):
        """The demo's enrolments were made in the past, so reminders, thank-you mails and digests fall due at
        once. Record those as already sent: the first start of the worker then sends none, and a newcomer's
        mailbox holds only what they do themselves."""
        notifications.queue_reminders(self.now)
        notifications.queue_follow_ups(self.now)
        notifications.queue_organiser_digests(self.now)
        Kind = OutboxMessage.Kind
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED,
            kind__in=[Kind.REMINDER, Kind.FOLLOW_UP, Kind.ORGANISER_DIGEST],
            created_at__gte=self.now,
        ).update(status=OutboxMessage.Status.SENT, sent_at=self.now)

    def accepts_enrolment(self, occasion):
        return (
            not occasion.is_cancelled
            and occasion.end >= self.now
            and (occasion.enrolment_opens is None or occasion.enrolment_opens <= self.now)
        )

    def plan_statuses(self, occasion, kind, rng):
        """The statuses of the enrolments an occasion should have, in the order people enrolled."""
        capacity = occasion.capacity
        most = len(self.clinicians)
        if occasion.is_cancelled:
            return [Status.CANCELLED] * rng.randint(3, 8)
        if occasion.end < self.now:
            count = rng.randint(8, 25) if capacity is None else round(min(capacity, most) * rng.uniform(0.6, 1))
            return [Status.ATTENDED if rng.random() < 0.88 else Status.NO_SHOW for _ in range(count)]
        if kind is None:
            return []  # enrolment not open yet
        if capacity is None:
            return [Status.CONFIRMED] * rng.randint(6, 18)
        if kind == "full" and capacity <= most - 2:
            return [Status.CONFIRMED] * capacity + [Status.WAITING] * rng.randint(2, min(4, most - capacity))
        if kind in ("full", "nearly_full"):
            return [Status.CONFIRMED] * (capacity - rng.randint(1, 3))
        if kind == "some":
            statuses = [Status.CONFIRMED] * round(capacity * rng.uniform(0.25, 0.6))
            if rng.random() < 0.5:
                statuses.append(Status.CANCELLED)  # someone who changed their mind
            return statuses
        return [Status.CONFIRMED] * rng.randint(0, 3)

    def enrolment_moments(self, occasion, count, rng):
        """When each person enrolled: in order, before the occasion (and before now)."""
        if occasion.end < self.now:
            first, last = occasion.start - dt.timedelta(days=45), occasion.start - dt.timedelta(days=2)
        else:
            first = max(self.now - dt.timedelta(days=40), occasion.enrolment_opens or self.now)
            last = min(self.now - dt.timedelta(hours=1), occasion.closes_at)
        last = max(first, last)
        span = (last - first).total_seconds()
        return [first + dt.timedelta(seconds=offset) for offset in sorted(rng.uniform(0, span) for _ in range(count))]

    # Evaluations ----------------------------------------------------------------------------------

    def load_evaluations(self):
        """The network's default evaluation, and for every past occasion its invitations (as the beat job would
        have sent them, so it sends none now) and answers from about two in three, the same on every run."""
        default_evaluation()
        occasions = (
            Occasion.objects.filter(course__in=self.courses, end__lt=self.now, status=Occasion.Status.SCHEDULED)
            .exclude(enrolments__evaluation_invitation__isnull=False)
            .select_related("course")
            .order_by("start", "pk")
        )
        for occasion in occasions:
            questions = evaluations.evaluation_of_occasion(occasion)
            attended = list(occasion.enrolments.filter(status=Status.ATTENDED).order_by("pk"))
            if not questions or not attended:
                continue
            rng = random.Random(f"{SEED}:evaluation:{occasion.course.slug}:{timezone.localtime(occasion.start):%Y%m%d}")
            invited_at = occasion.end + dt.timedelta(hours=2)
            answering = [enrolment for enrolment in attended if rng.random() < 0.65]
            EvaluationInvitation.objects.bulk_create(
                EvaluationInvitation(
                    enrolment=enrolment,
                    token_hash=evaluations.hash_of(evaluations.token_for(enrolment.pk)),
                    created_at=invited_at,
                    reminded_at=invited_at + dt.timedelta(days=4) if enrolment not in answering else None,
                    answered_on=timezone.localdate(invited_at) if enrolment in answering else None,
                )
                for enrolment in attended
            )
            EvaluationResponse.objects.bulk_create(
                EvaluationResponse(
                    occasion=occasion,
                    answers=self.demo_evaluation_answers(questions, rng),
                    submitted_on=timezone.localdate(invited_at),
                )
                for enrolment in answering
            )

    @staticmethod
    def demo_evaluation_answers(questions, rng):
        answers = {}
        for question in questions:
            if question.kind == "scale":
                answers[question.id] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 6, 14, 12])[0]
            elif question.kind == "choice":
                answers[question.id] = rng.choices(
                    range(len(question.choices)), weights=[8, 3, 1][: len(question.choices)]
                )[0]
            elif rng.random() < 0.35:
                answers[question.id] = rng.choice(DEMO_EVALUATION_TEXTS)
        return answers

    # Pages ----------------------------------------------------------------------------------------

    def load_pages(self):
        homes = self.skeleton.home
        for code, home in homes.items():
            if not home.intro:
                home.intro = self.content.home_intro[code]
                home.save_revision().publish()
        for data in self.content.pages:
            sv = StandardPage.objects.child_of(homes["sv"]).filter(slug=data["sv"]["slug"]).first()
            if sv is None:
                sv = StandardPage(locale=self.sv, **self.page_fields(data["sv"]))
                homes["sv"].add_child(instance=sv)
                sv.save_revision().publish()
            if sv.get_translation_or_none(self.en) is None:
                en = sv.copy_for_translation(self.en)
                for name, value in self.page_fields(data["en"]).items():
                    setattr(en, name, value)
                en.save()
                en.save_revision().publish()
        self.link_site_pages(homes["sv"])

    @staticmethod
    def link_site_pages(home):
        """Point the footer's privacy notice and accessibility statement at their demo pages."""
        links = SiteLinks.load()
        pages = {page.slug: page for page in StandardPage.objects.child_of(home)}
        changed = False
        if links.privacy_notice_id is None and "personuppgifter" in pages:
            links.privacy_notice = pages["personuppgifter"]
            changed = True
        if links.accessibility_statement_id is None and "tillganglighetsredogorelse" in pages:
            links.accessibility_statement = pages["tillganglighetsredogorelse"]
            changed = True
        if changed:
            links.save()

    @staticmethod
    def page_fields(data):
        return {"title": data["title"], "slug": data["slug"], "intro": data["intro"], "body": stream(data["body"])}


def load_library(demo):
    """The materials library (atmp/demo/materials.toml)."""
    load_materials()


STEPS = [
    DemoSite.load_people,
    DemoSite.load_taxonomies,
    DemoSite.complete_profiles,
    DemoSite.load_courses,
    DemoSite.load_enrolments,
    DemoSite.load_evaluations,
    DemoSite.hold_for_line_managers,
    load_library,
    DemoSite.load_pages,
    DemoSite.settle_past_mail,
]


def load(steps=STEPS):
    """Run the steps in one transaction and return the DemoSite they built."""
    # A translation is copied under the original's slug and then given its own; Wagtail would record
    # each rename as a redirect from an address that was never published (in a task run on commit).
    with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False), transaction.atomic():
        demo = DemoSite(content.load(), timezone.now())
        for step in steps:
            step(demo)
    return demo


# Report -------------------------------------------------------------------------------------------


def counts():
    return {
        "ATMP-centres (sv + en)": Centre.objects.count(),
        "topics (sv + en)": Topic.objects.count(),
        "audiences (sv + en)": Audience.objects.count(),
        "collections": Collection.objects.count(),
        "course pages (sv + en)": CoursePage.objects.count(),
        "standard pages (sv + en)": StandardPage.objects.count(),
        "materials (sv + en)": MaterialPage.objects.count(),
        "page revisions": Revision.page_revisions.count(),
        "occasions": Occasion.objects.count(),
        "users": User.objects.count(),
        "verified e-mail addresses": EmailAddress.objects.filter(verified=True).count(),
        "enrolments": Enrolment.objects.count(),
    }


def report(demo, before, after, seconds, out, style):
    """What the run added, the demo's occasions and enrolments in figures, and the demo logins."""
    out.write(style.MIGRATE_HEADING("Demo content"))
    out.write(f"  {'':28} {'total':>7} {'new':>6}")
    for label, total in after.items():
        out.write(f"  {label:28} {total:7} {total - before[label]:+6}")

    occasions = Occasion.objects.filter(course__in=demo.courses).with_seats()
    upcoming = [occasion for occasion in occasions if occasion.end >= demo.now]
    scheduled = [occasion for occasion in upcoming if not occasion.is_cancelled]
    statuses = Counter(Enrolment.objects.filter(occasion__in=occasions).values_list("status", flat=True))
    out.write(
        f"  Occasions: {len(occasions) - len(upcoming)} past, {len(upcoming)} upcoming "
        f"({sum(o.is_cancelled for o in occasions)} cancelled in all, "
        f"{sum(o.language == 'en' for o in occasions)} in English, "
        f"{sum(o.capacity is None for o in occasions)} without a seat limit); upcoming and scheduled: "
        f"{sum(o.is_full for o in scheduled)} full, "
        f"{sum(o.seats_left is not None and 1 <= o.seats_left <= 3 for o in scheduled)} with 1–3 seats left."
    )
    out.write("  Enrolments: " + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())))
    if demo.kept_schedules:
        out.write(
            f"  {demo.kept_schedules} courses kept the occasions they had (from an earlier week, or a draft "
            "in progress); start from an empty database for dates around today."
        )
    out.write(style.SUCCESS(f"Done in {seconds:.1f} s."))

    content, passwords = demo.content, demo.content.passwords
    first_centre = content.centres[0]["sv"]["name"]
    out.write(style.MIGRATE_HEADING("Demo logins"))
    out.write(f"  {content.admin['email']:38} {passwords['admin']:17} network admin (superuser)")
    out.write(f"  {content.check_in_helper['email']:38} {passwords['owner']:17} check-in helper, {first_centre}")
    for centre in content.centres:
        out.write(f"  {centre['owner']['email']:38} {passwords['owner']:17} course owner, {centre['sv']['name']}")
    last = len(content.clinicians)
    out.write(f"  {'klinisk1 … klinisk' + str(last) + '@atmp.example':38} {passwords['clinician']:17} clinicians")
