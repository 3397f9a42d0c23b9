"""Who may see what: participants-only materials, online links, personal calendars.

Personal data and private materials are shown only to the person, the course's organisers and admins.
"""

from django.utils import timezone

from accounts.models import User
from courses.models import CourseMaterial, CoursePage

from .models import Enrolment

UPCOMING_STATUSES = [Enrolment.Status.CONFIRMED, Enrolment.Status.PENDING, Enrolment.Status.OFFERED]
PARTICIPANT_STATUSES = [Enrolment.Status.CONFIRMED, Enrolment.Status.ATTENDED]

# document_access decisions
PUBLIC, PRIVATE, LOGIN, DENY = "public", "private", "login", "deny"


def course_pages_in_language(courses, language_code):
    """{translation_key: live page in that language} for the given course pages, in one query."""
    keys = {course.translation_key for course in courses}
    pages = CoursePage.objects.live().filter(translation_key__in=keys, locale__language_code=language_code)
    return {page.translation_key: page for page in pages}


def user_for_calendar_token(token):
    if not token or len(token) > 64:
        return None
    return User.objects.filter(calendar_token=token, is_active=True).first()


def is_organiser(user, course):
    """Admins, and editors allowed to edit the course's page (its centre's course owners)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and course.permissions_for_user(user).can_edit()


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


def document_access(user, document):
    """Decide how a document may be served: public, private (to this user), login needed, or denied."""
    private_uses = list(
        CourseMaterial.objects.filter(
            document=document, visibility=CourseMaterial.Visibility.PARTICIPANTS
        ).select_related("page")
    )
    if not private_uses:
        return PUBLIC
    if not user.is_authenticated:
        return LOGIN
    now = timezone.now()
    for material in private_uses:
        course = material.page
        if is_organiser(user, course):
            return PRIVATE
        released = material.available_from is None or material.available_from <= now
        if released and is_participant(user, course):
            return PRIVATE
    return DENY
