"""Factories for people, shared by the tests and the demo-content command.

UserFactory()                                   # a clinician who can log in with DEMO_PASSWORD
UserFactory(email="anna@example.se", first_name="Anna", is_staff=True)
"""

import factory
from factory.django import DjangoModelFactory

from accounts.models import User

# Every account the factories create can log in with this password (demo and tests only).
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - demo data, never a real account


class UserFactory(DjangoModelFactory):
    """A user with a unique e-mail address, a name and the demo password."""

    first_name = factory.Sequence(lambda n: ("Anna", "Erik", "Maria", "Johan", "Sara", "Karl")[n % 6])
    last_name = factory.Sequence(lambda n: ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson")[n % 5])
    email = factory.Sequence(lambda n: f"user{n}@example.se")
    password = factory.django.Password(DEMO_PASSWORD)
    preferred_language = "sv"

    class Meta:
        model = User
        django_get_or_create = ("email",)
