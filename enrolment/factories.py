"""Factories for enrolments, shared by the tests and the demo-content command.

EnrolmentFactory(occasion=occasion)                         # a confirmed seat for a new user
EnrolmentFactory(occasion=occasion, user=anna, status=Enrolment.Status.WAITING)
EnrolmentFactory.create_batch(18, occasion=occasion)        # fill 18 seats
"""

import factory
from factory.django import DjangoModelFactory

from accounts.factories import UserFactory
from courses.factories import OccasionFactory
from enrolment.models import Enrolment


class EnrolmentFactory(DjangoModelFactory):
    """A confirmed enrolment; it does not go through the enrolment services or check the capacity."""

    occasion = factory.SubFactory(OccasionFactory)
    user = factory.SubFactory(UserFactory)
    status = Enrolment.Status.CONFIRMED

    class Meta:
        model = Enrolment
