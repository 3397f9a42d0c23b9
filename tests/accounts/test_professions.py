"""A person's profession is accounts' own list, named in the singular in each language."""

from django.utils import translation

from accounts.models import Profession, profession_label


def test_the_professions_read_in_the_singular_in_both_languages():
    with translation.override("sv"):
        assert str(Profession.NURSE.label) == "Sjuksköterska"
        assert profession_label("physician") == "Läkare"
    with translation.override("en"):
        assert str(Profession.NURSE.label) == "Nurse"


def test_no_profession_reads_as_nothing():
    assert profession_label("") == ""
    assert profession_label("astronaut") == ""
