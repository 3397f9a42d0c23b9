"""Fixtures for enrolment tests: people who may enrol (verified e-mail, complete profile) and occasions."""

import pytest
from allauth.account.models import EmailAddress

from accounts.factories import UserFactory
from accounts.models import Profession
from courses.factories import OccasionFactory, create_course
from courses.models import CoursePage
from tests.conftest import built_once_for_the_module

COURSE_TITLE = "CAR-T-cellsbehandling för sjuksköterskor"


def make_participant(profession=Profession.NURSE, **fields):
    """A clinician with a verified e-mail and a complete profile: someone who may enrol."""
    fields = {"workplace": "Akademiska sjukhuset", "region": "uppsala", **fields}
    user = UserFactory(profession=profession, **fields)
    user.accept_privacy_notice()
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def participant_factory(site):
    return make_participant


@pytest.fixture
def participant(participant_factory):
    return participant_factory()


@pytest.fixture(scope="module")
def course_id(django_db_setup, django_db_blocker):
    """The course, built once for each module that asks for it (tests/conftest.py); a module with transactional
    tests must not ask for it."""
    with built_once_for_the_module(django_db_blocker) as site:
        yield create_course(site.catalogue["sv"], title=COURSE_TITLE).pk


@pytest.fixture
def course(course_id, site):
    return CoursePage.objects.get(pk=course_id)


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, capacity=2)
