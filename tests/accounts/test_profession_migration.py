"""Upgrading gives every profile a profession of accounts' own list: the audience a person chose ("Sjuksköterskor")
becomes the singular profession it means ("nurse": "Sjuksköterska"), and each audience names its professions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_alter_user_region"), ("courses", "0010_enrolment_tab_rules")]
AFTER = [("accounts", "0004_professions_of_their_own")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_profiles_and_audiences_get_the_professions_their_audiences_mean():
    old_apps = migrate(BEFORE)
    try:
        Locale = old_apps.get_model("wagtailcore", "Locale")
        Audience = old_apps.get_model("courses", "Audience")
        User = old_apps.get_model("accounts", "User")
        sv = Locale.objects.get_or_create(language_code="sv")[0]
        en = Locale.objects.get_or_create(language_code="en")[0]
        nurses = Audience.objects.create(name="Sjuksköterskor", slug="nurses", locale=sv)
        nurses_en = Audience.objects.create(
            name="Nurses", slug="nurses", locale=en, translation_key=nurses.translation_key
        )
        doctors = Audience.objects.create(name="Läkare", slug="lakare-och-tandlakare", locale=sv)  # known by name
        odd = Audience.objects.create(name="Kuratorer", slug="kuratorer", locale=sv)
        anna = User.objects.create(email="anna@example.se", profession=nurses)
        bo = User.objects.create(email="bo@example.se", profession=nurses_en)
        cilla = User.objects.create(email="cilla@example.se", profession=doctors)
        dan = User.objects.create(email="dan@example.se", profession=odd)
        eva = User.objects.create(email="eva@example.se")

        new_apps = migrate(AFTER)

        User = new_apps.get_model("accounts", "User")
        professions = dict(User.objects.values_list("email", "profession"))
        assert professions == {
            anna.email: "nurse",
            bo.email: "nurse",
            cilla.email: "physician",
            dan.email: "",  # asked again at the next enrolment
            eva.email: "",
        }
        Audience = new_apps.get_model("courses", "Audience")
        assert Audience.objects.get(pk=nurses.pk).professions == ["nurse"]
        assert Audience.objects.get(pk=nurses_en.pk).professions == ["nurse"]
        assert Audience.objects.get(pk=odd.pk).professions == []
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
