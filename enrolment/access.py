"""Who may see what: participants-only materials, online links, personal calendars, and the
participants of each centre's courses.

Personal data and private materials are shown only to the person, the course's organisers and admins.
A course belongs to the centre whose page it sits under (see courses.centres); a centre's course owners
manage its participants, its check-in helpers only mark attendance, and network admins do both everywhere.
"""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language as translation_language
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from accounts.models import User
from courses.centres import courses_under_centres
from courses.formatting import format_datetime
from courses.library import MaterialAccess, MaterialDecision, MaterialPage
from courses.models import CentreTeam, CoursePage, Occasion, audiences_naming, profession_among

from .models import Enrolment

UPCOMING_STATUSES = [
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.PENDING,
    Enrolment.Status.OFFERED,
    Enrolment.Status.AWAITING_MANAGER,
]
PARTICIPANT_STATUSES = [Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED]

# document_access decisions
PUBLIC, PRIVATE, LOGIN, DENY, HIDDEN = "public", "private", "login", "deny", "hidden"


def course_pages_in_language(courses, language_code):
    """{translation_key: live page in that language} for the given course pages, in one query."""
    keys = {course.translation_key for course in courses}
    pages = CoursePage.objects.live().filter(translation_key__in=keys, locale__language_code=language_code)
    return {page.translation_key: page for page in pages}


# What someone wants to do with a centre's participants, and the roles that may.
MANAGE = "manage"  # see the lists, export them, approve, move, message, raise capacity, reports
CHECK_IN = "check_in"  # mark attendance
ROLES_FOR = {
    MANAGE: [CentreTeam.Role.COURSE_OWNER],
    CHECK_IN: [CentreTeam.Role.COURSE_OWNER, CentreTeam.Role.CHECK_IN_HELPER],
}


def is_network_admin(user):
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("enrolment.manage_all_enrolments"))
    )


def centre_ids_for(user, purpose=MANAGE):
    """Ids of the centres (default language) whose participants `user` may handle for `purpose`."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        CentreTeam.objects.filter(group__user=user, role__in=ROLES_FOR[purpose])
        .values_list("centre_id", flat=True)
        .distinct()
    )


def courses_for(user, purpose=MANAGE):
    """Course pages (every language) whose participants `user` may handle for `purpose`."""
    if is_network_admin(user):
        return CoursePage.objects.all()
    return courses_under_centres(centre_ids_for(user, purpose))


def occasions_for(user, purpose=MANAGE):
    return Occasion.objects.filter(course__in=courses_for(user, purpose).values("pk"))


def may_handle(user, occasion, purpose=MANAGE):
    return occasions_for(user, purpose).filter(pk=occasion.pk).exists()


def may_handle_any(user, purpose=MANAGE):
    """Whether `user` has the role anywhere (for menus); what they see is scoped by `occasions_for`."""
    return is_network_admin(user) or bool(centre_ids_for(user, purpose))


def user_for_calendar_token(token):
    if not token or len(token) > 64:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def is_organiser(user, course):
    """Network admins and the course owners of the course's centre."""
    if not user.is_authenticated:
        return False
    return courses_for(user, MANAGE).filter(pk=course.pk).exists()


def is_participant(user, course):
    if not user.is_authenticated:
        return False
    return Enrolment.objects.filter(
        user=user, status__in=PARTICIPANT_STATUSES, occasion__course__translation_key=course.translation_key
    ).exists()


def materials_for(user, page):
    """The course's materials from the library with, for each, whether this person may open it now."""
    materials = page.course_materials
    checker = MaterialAccessChecker(user)
    checker.prepare(materials)
    for material in materials:
        material.decision = checker.decide(material)
        material.can_open = bool(material.decision)
        material.not_yet_released = material.decision.not_yet_released
    return materials


class MaterialAccessChecker:
    """Who may open the library's materials, for one person.

    Everyone, logged-in people whose profession is among the material's audiences, or the participants of the
    named courses (once released); the staff of the material's centre and network admins always. A few queries
    about the person, then none per material when their audiences and courses are prefetched, so a listing
    costs the same whatever its length.
    """

    def __init__(self, user, now=None):
        self.user = user
        self.now = now or timezone.now()
        self.known = user.is_authenticated and user.is_active
        self.course_titles = {}

    @cached_property
    def network_admin(self):
        return is_network_admin(self.user)

    @cached_property
    def staff_centre_ids(self):
        return set(centre_ids_for(self.user, MANAGE))

    @cached_property
    def audiences_naming_profession(self):
        return audiences_naming(self.user.profession) if self.known else set()

    @cached_property
    def course_keys(self):
        """The courses whose materials the person may open: where they took part, and where they organise."""
        if not self.known:
            return set()
        taken = Enrolment.objects.filter(user=self.user, status__in=PARTICIPANT_STATUSES).values_list(
            "occasion__course__translation_key", flat=True
        )
        organised = courses_for(self.user, MANAGE).values_list("translation_key", flat=True)
        return set(taken) | set(organised)

    def prepare(self, materials):
        """The named courses' titles in the active language, for every material at once (one query)."""
        keys = {course.translation_key for material in materials for course in material.courses.all()}
        if keys:
            translated = localized_course_titles(keys)
            self.course_titles.update(translated)

    def is_staff_of(self, material):
        return self.network_admin or (material.centre_id is not None and material.centre_id in self.staff_centre_ids)

    def decide(self, material):
        if self.is_staff_of(material):
            return MaterialDecision(True)
        if material.available_from and material.available_from > self.now:
            decision = MaterialDecision(
                False,
                _("Available from %(when)s.") % {"when": format_datetime(material.available_from)},
            )
            decision.not_yet_released = True
            return decision
        if material.access == MaterialAccess.EVERYONE:
            return MaterialDecision(True)
        if material.access == MaterialAccess.AUDIENCES:
            return self._decide_for_audiences(material)
        return self._decide_for_participants(material)

    def _decide_for_audiences(self, material):
        professions = ", ".join(audience.name for audience in material.localized_audiences)
        profession = self.user.profession if self.known else None
        if profession_among(profession, material.audiences.all(), naming=self.audiences_naming_profession):
            return MaterialDecision(True)
        reason = _("This material is for these professions: %(professions)s.") % {"professions": professions}
        if not self.known:
            how = _("Log in: it opens if the profession in your profile is one of these.")
        elif profession is None:
            how = _("Add your profession to your profile: it opens if it is one of these.")
        else:
            how = _("Ask the contact person if you need it for your work.")
        return MaterialDecision(False, reason, how)

    def _decide_for_participants(self, material):
        courses = list(material.courses.all())
        if {course.translation_key for course in courses} & self.course_keys:
            return MaterialDecision(True)
        titles = [self.course_titles.get(course.translation_key, course.title) for course in courses]
        reason = _("This material is for the participants of %(courses)s.") % {"courses": ", ".join(titles)}
        if not self.known:
            how = _("Log in if you take part in the course, or enrol in it.")
        else:
            how = _("Enrol in the course: it opens once your place is confirmed.")
        decision = MaterialDecision(False, reason, how)
        decision.courses = courses
        return decision


def localized_course_titles(keys):
    """{translation_key: title} of live course pages in the active language (one query)."""
    language = (translation_language() or "sv")[:2]
    return dict(
        CoursePage.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .values_list("translation_key", "title")
    )


def is_document_staff(user, document):
    """The staff of the centre whose collection holds the document (course owners), and admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_network_admin(user):
        return True
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


def document_access(user, document):
    """Decide how a document may be served: public, private (to this user), login needed, denied or hidden."""
    return document_decision(user, document)[0]


def document_decision(user, document):
    """(decision, the material that opens it or None, why not): how a document may be served.

    Deny by default: a document is public only if an owner ticked "public" or a published material for everyone
    offers it; a restricted material opens for those its access rule names (MaterialAccessChecker); anything else
    only for the staff of the centre that holds it, and hidden from everyone else.
    """
    materials = list(
        MaterialPage.objects.live()
        .filter(document=document)
        .select_related("locale")
        .prefetch_related("audiences", "courses")
        .order_by("pk")
    )
    if document.public:
        return PUBLIC, (materials[0] if materials else None), None
    checker = MaterialAccessChecker(user)
    refusal = None
    for material in materials:
        decision = checker.decide(material)
        if decision:
            for_everyone = material.access == MaterialAccess.EVERYONE and not checker.is_staff_of(material)
            return (PUBLIC if for_everyone else PRIVATE), material, None
        refusal = refusal or decision
    if is_document_staff(user, document):
        return PRIVATE, None, None
    if materials and not user.is_authenticated:
        return LOGIN, None, refusal
    return (DENY if materials else HIDDEN), None, refusal
