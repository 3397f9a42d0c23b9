"""Who may see what: participants-only materials, online links, personal calendars, and the
participants of each centre's courses.

Personal data and private materials are shown only to the person, the course's organisers and admins.
A course belongs to the centre whose page it sits under (see courses.centres); a centre's course owners
manage its participants, its check-in helpers only mark attendance, and network admins do both everywhere.
"""

from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from accounts.models import User
from courses.centres import courses_under_centres
from courses.models import CentreTeam, CourseMaterial, CoursePage, Occasion

from .models import Enrolment

UPCOMING_STATUSES = [Enrolment.Status.CONFIRMED, Enrolment.Status.PENDING, Enrolment.Status.OFFERED]
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
    """The course's materials with, for each, whether this person may open it now."""
    organiser = is_organiser(user, page)
    participant = organiser or is_participant(user, page)
    now = timezone.now()
    result = []
    for material in page.course_materials:
        released = material.available_from is None or material.available_from <= now
        material.can_open = material.is_public or organiser or (participant and released)
        material.not_yet_released = participant and not released and not organiser
        result.append(material)
    return result


def is_document_staff(user, document):
    """The staff of the centre whose collection holds the document (course owners), and admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_network_admin(user):
        return True
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], document)


def document_access(user, document):
    """Decide how a document may be served: public, private (to this user), login needed, denied or hidden.

    Deny by default: a document is public only if an owner ticked "public" or a published course offers it
    as public material; participants-only material is for the course's participants (once released) and
    organisers; anything else only for the staff of the centre that holds it, and hidden from everyone else.
    """
    if document.public:
        return PUBLIC
    uses = list(CourseMaterial.objects.filter(document=document).select_related("page"))
    if any(material.is_public and material.page.live for material in uses):
        return PUBLIC
    private_uses = [material for material in uses if material.visibility == CourseMaterial.Visibility.PARTICIPANTS]
    if private_uses and not user.is_authenticated:
        return LOGIN
    now = timezone.now()
    for material in private_uses:
        course = material.page
        if is_organiser(user, course):
            return PRIVATE
        released = material.available_from is None or material.available_from <= now
        if released and is_participant(user, course):
            return PRIVATE
    if is_document_staff(user, document):
        return PRIVATE
    return DENY if private_uses else HIDDEN
