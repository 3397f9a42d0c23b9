"""Fixtures for enrolment tests: people who may enrol (verified e-mail, complete profile) and occasions."""

import pytest
from allauth.account.models import EmailAddress

from accounts.factories import UserFactory
from accounts.models import Profession
from courses.factories import OccasionFactory, create_course


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


@pytest.fixture
def course(site):
    return create_course(site.catalogue["sv"], title="CAR-T-cellsbehandling för sjuksköterskor")


@pytest.fixture
def occasion(course):
    return OccasionFactory(course=course, capacity=2)
